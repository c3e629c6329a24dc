using Autoencoder.Optimizers;
using Autoencoder.Tests.Kernels;

namespace Autoencoder.Tests.Optimizers;

public class OptimizerKernelTests
{
    public static TheoryData<int> Paths() => new(KernelCheck.Widths);

    [Theory]
    [MemberData(nameof(Paths))]
    public void AdamAndSgdStep_EverySize_MatchStepReference(int width)
    {
        var failures = new List<string>();
        KernelCheck.OnPath(width, () =>
        {
            foreach (int count in KernelCheck.Sizes)
            {
                OptimizerKernels.CheckAdam(count, failures);
                OptimizerKernels.CheckSgd(count, failures);
            }
        });

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void AdamStep_EveryPath_IsBitIdenticalToWidestPath(int width)
    {
        // Fused multiply-adds have one exact result, so the path must not change a single bit.
        const int count = 257;
        float[] Run(int w)
        {
            var adam = new Adam(count, 0.01, 0.9, 0.999, 1e-8, weightDecay: 0.1, decoupledWeightDecay: true);
            float[] parameters = TestData.Uniform(count, seed: 1);
            KernelCheck.OnPath(w, () =>
            {
                for (int t = 1; t <= 3; t++)
                {
                    adam.Step(parameters, TestData.Uniform(count, seed: 10 + t, low: -2f, high: 2f));
                }
            });
            return parameters;
        }

        Assert.Equal(Run(512), Run(width));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void SgdStep_EveryPath_IsBitIdenticalToWidestPath(int width)
    {
        const int count = 257;
        float[] Run(int w)
        {
            var sgd = new Sgd(count, 0.01, momentum: 0.9, nesterov: true, weightDecay: 0.1);
            float[] parameters = TestData.Uniform(count, seed: 1);
            KernelCheck.OnPath(w, () =>
            {
                for (int t = 1; t <= 3; t++)
                {
                    sgd.Step(parameters, TestData.Uniform(count, seed: 10 + t, low: -2f, high: 2f));
                }
            });
            return parameters;
        }

        Assert.Equal(Run(512), Run(width));
    }
}

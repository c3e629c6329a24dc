using Autoencoder.Tests.Kernels;

namespace Autoencoder.Tests.Activations;

public class ActivationKernelTests
{
    public static TheoryData<Activation, int> KernelsAndPaths()
    {
        var data = new TheoryData<Activation, int>();
        foreach (ActivationKernel kernel in ActivationKernels.All)
        {
            foreach (int width in KernelCheck.Widths)
            {
                data.Add(kernel.Activation, width);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KernelsAndPaths))]
    public void ForwardAndBackward_EverySizeInAndOutOfPlace_MatchScalarReference(Activation activation, int width)
    {
        ActivationKernel kernel = ActivationKernels.All.Single(k => k.Activation == activation);
        var failures = new List<string>();
        KernelCheck.OnPath(width, () =>
        {
            foreach (int count in KernelCheck.Sizes)
            {
                ActivationKernels.Check(kernel, count, failures);
            }
        });

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}

using Autoencoder.Tests.Kernels;

namespace Autoencoder.Tests.Losses;

public class LossKernelTests
{
    public static TheoryData<int> Paths() => new(KernelCheck.Widths);

    [Theory]
    [MemberData(nameof(Paths))]
    public void SumsAndGradients_EverySize_MatchScalarReference(int width)
    {
        var failures = new List<string>();
        KernelCheck.OnPath(width, () =>
        {
            foreach (int count in KernelCheck.Sizes)
            {
                LossKernels.Check(count, failures);
            }
        });

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}

using Autoencoder.Kernels;
using Autoencoder.Tests.Activations;
using Autoencoder.Tests.Losses;
using Autoencoder.Tests.Optimizers;

namespace Autoencoder.Tests.Kernels;

/// <summary>
/// Child-process check used by <see cref="ElementwiseDriverTests"/> (started through
/// <see cref="Program"/> with the argument <c>kernel-paths</c>): it prints the vector width the driver picked (<c>vector-width: N</c>),
/// runs every kernel check and exits with 1 if any failed. The test host never calls it.
/// </summary>
internal static class KernelPathsProgram
{
    public const string Command = "kernel-paths";

    public const string WidthPrefix = "vector-width: ";

    public static int Run()
    {
        Console.WriteLine(WidthPrefix + ElementwiseDriver.VectorWidth);
        var failures = new List<string>();
        ActivationKernels.CheckAll(failures);
        LossKernels.CheckAll(failures);
        OptimizerKernels.CheckAll(failures);
        foreach (string failure in failures)
        {
            Console.WriteLine(failure);
        }

        Console.WriteLine($"{failures.Count} failures");
        return failures.Count == 0 ? 0 : 1;
    }
}

using Autoencoder.Kernels;
using Autoencoder.Tests.Activations;
using Autoencoder.Tests.Losses;
using Autoencoder.Tests.Optimizers;

namespace Autoencoder.Tests.Kernels;

/// <summary>
/// Entry point of the test assembly, used only by <see cref="ElementwiseDriverTests"/>: with the
/// argument <c>kernel-paths</c> it prints the vector width the driver picked (<c>vector-width: N</c>),
/// runs every kernel check and exits with 1 if any failed. The test host never calls it.
/// </summary>
internal static class KernelPathsProgram
{
    public const string Command = "kernel-paths";

    public const string WidthPrefix = "vector-width: ";

    public static int Main(string[] args)
    {
        if (args is not [Command])
        {
            Console.Error.WriteLine($"usage: dotnet Autoencoder.Tests.dll {Command}");
            return 2;
        }

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

using Autoencoder.Benchmarks.Kernels;
using Autoencoder.Benchmarks.Serialization;
using BenchmarkDotNet.Running;

namespace Autoencoder.Benchmarks;

/// <summary>
/// Entry point: BenchmarkDotNet's switcher, a quick GFLOP/s table with <c>--gflops</c>, or one
/// timed load per hostile model header with <c>--hostile-headers</c>, or the time of each layer's
/// passes in one training step with <c>--step-profile</c> or at inference with
/// <c>--inference-profile</c>, or quick timings of the inference kernels with
/// <c>--inference-kernels</c>, or the conv-versus-dense quality protocol on Fashion-MNIST with
/// <c>--conv-quality</c>.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--gflops")
        {
            GemmQuickCheck.Run(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == "--hostile-headers")
        {
            HostileHeaderQuickCheck.Run(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == "--conv-quality")
        {
            Training.ConvQuality.Run(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == "--inference-profile")
        {
            Training.InferenceProfile.Run(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == "--inference-kernels")
        {
            InferenceKernelTimings.Run();
            return;
        }

        if (args.Length > 0 && args[0] == "--matrix-input")
        {
            MatrixInputTimings.Run(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == "--step-profile")
        {
            Training.StepProfile.Run(args[1..]);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}

using Autoencoder.Benchmarks.Kernels;
using BenchmarkDotNet.Running;

namespace Autoencoder.Benchmarks;

/// <summary>Entry point: BenchmarkDotNet's switcher, or a quick GFLOP/s table with <c>--gflops</c>.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--gflops")
        {
            GemmQuickCheck.Run(args[1..]);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}

using Autoencoder.Tests.Kernels;

namespace Autoencoder.Tests;

/// <summary>
/// Entry point for child processes started by tests (the test host itself never runs it):
/// <c>--gemm-probe</c> reports which GEMM path this process's runtime switches select and
/// checks it against the reference.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
        => args is ["--gemm-probe"] ? GemmPathProbe.Run() : 2;
}

using System.Diagnostics;
using Autoencoder.Kernels;

namespace Autoencoder.Tests.Kernels;

/// <summary>
/// Proves that the runtime's own switches (<c>DOTNET_EnableAVX512=0</c>, formerly
/// <c>DOTNET_EnableAVX512F=0</c>; <c>DOTNET_EnableHWIntrinsic=0</c>) route <see cref="Gemm.Multiply"/> to the lower paths,
/// by running this test assembly as a child process with the switch set.
/// </summary>
public class GemmPathProbe
{
    [Fact]
    public void Avx512Disabled_SelectsVector256()
    {
        // Without AVX2+FMA the runtime can only fall to the scalar path.
        string expected = System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported
            ? nameof(GemmPath.Vector256) : nameof(GemmPath.Scalar);
        // .NET 10 groups the AVX-512 subsets under one switch and ignores the older
        // per-subset EnableAVX512F (checked: it leaves Vector512 on); set both so the test
        // means the same on older runtimes.
        AssertChildSelects(["DOTNET_EnableAVX512", "DOTNET_EnableAVX512F"], expected);
    }

    [Fact]
    public void HardwareIntrinsicsDisabled_SelectsScalar()
        => AssertChildSelects(["DOTNET_EnableHWIntrinsic"], nameof(GemmPath.Scalar));

    /// <summary>Child-process side: prints the selected path, then checks it on a few shapes.</summary>
    internal static int Run()
    {
        Console.WriteLine($"path={Gemm.BestPath}");
        var random = new Random(7);
        foreach ((int m, int n, int k) in (ReadOnlySpan<(int, int, int)>)[(1, 33, 70), (17, 40, 9), (70, 65, 300)])
        {
            foreach (bool transA in (bool[])[false, true])
            {
                foreach (bool transB in (bool[])[false, true])
                {
                    GemmTests.CheckAgainstReference(GemmPath.Auto, transA, transB, m, n, k, accumulate: true, random);
                }
            }
        }

        Console.WriteLine("checked");
        return 0;
    }

    private static void AssertChildSelects(string[] switchesOff, string expectedPath)
    {
        string assembly = typeof(GemmPathProbe).Assembly.Location;

        // The SDK tells child processes which host runs them; outside it, dotnet on PATH.
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("--gemm-probe");
        foreach (string name in switchesOff)
        {
            start.Environment[name] = "0";
        }

        using Process child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}.");
        Task<string> error = child.StandardError.ReadToEndAsync();
        string output = child.StandardOutput.ReadToEnd();
        Assert.True(child.WaitForExit(60_000), "probe process did not finish within 60 s");
        string report = $"exit {child.ExitCode}, stdout: {output} stderr: {error.Result}";
        Assert.True(child.ExitCode == 0, report);
        Assert.Contains($"path={expectedPath}", output, StringComparison.Ordinal);
        Assert.Contains("checked", output, StringComparison.Ordinal);
    }
}

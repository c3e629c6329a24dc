using System.Diagnostics;
using System.Runtime.Intrinsics;
using Autoencoder.Activations;
using Autoencoder.Kernels;

namespace Autoencoder.Tests.Kernels;

public class ElementwiseDriverTests
{
    /// <summary>The widest path this machine accelerates; the kernel tests of wider paths run on this one.</summary>
    private static int HardwareWidth =>
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0;

    [Avx512Fact]
    public void Machine_AcceleratesEveryPath_SoKernelTestsCoverThemAll()
    {
        // On a machine without AVX-512 this test is reported as skipped (never as passed), saying
        // that the "512" kernel tests ran the 256-bit path there.
        Assert.Equal(512, HardwareWidth);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    [InlineData(128)]
    [InlineData(0)]
    public void MaxVectorWidth_Lowered_SelectsThatPathOnThisThreadOnly(int width)
    {
        KernelCheck.OnPath(width, () =>
        {
            Assert.Equal(width, ElementwiseDriver.MaxVectorWidth);
            Assert.Equal(Math.Min(width, HardwareWidth), ElementwiseDriver.VectorWidth);

            int otherThread = -1;
            var thread = new Thread(() => otherThread = ElementwiseDriver.VectorWidth);
            thread.Start();
            thread.Join();
            Assert.Equal(HardwareWidth, otherThread);
        });

        Assert.Equal(512, ElementwiseDriver.MaxVectorWidth);
        Assert.Equal(HardwareWidth, ElementwiseDriver.VectorWidth);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(64)]
    [InlineData(1024)]
    public void MaxVectorWidth_Unsupported_ThrowsArgumentOutOfRange(int width)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ElementwiseDriver.MaxVectorWidth = width);
        Assert.Contains("0, 128, 256 or 512", e.Message);
    }

    [Fact]
    public void Apply_OutputPartlyOverlapsInput_ThrowsArgument()
    {
        var buffer = new float[40];
        var e = Assert.Throws<ArgumentException>(() => LeakyRelu.Forward(buffer.AsSpan(0, 32), buffer.AsSpan(1, 32)));
        Assert.Contains("offset", e.Message);
    }

    [Fact]
    public void Apply_InputsOfDifferentLengths_ThrowsArgument()
    {
        var e = Assert.Throws<ArgumentException>(() => LeakyRelu.Backward(new float[8], new float[7], new float[8]));
        Assert.Equal("w", e.ParamName);
    }

    [Fact]
    public void Apply_OutputShorterThanInput_ThrowsArgument()
    {
        var e = Assert.Throws<ArgumentException>(() => LeakyRelu.Forward(new float[8], new float[7]));
        Assert.Equal("y", e.ParamName);
    }

    /// <summary>
    /// The runtime's own switches, in a child process: with AVX-512 off the driver must pick the
    /// 256-bit path and with all intrinsics off the scalar one, and every kernel must still match its
    /// reference there (TensorPrimitives' kernels included, which the in-process override cannot
    /// reach). .NET 10 reads <c>DOTNET_EnableAVX512</c>; earlier runtimes read
    /// <c>DOTNET_EnableAVX512F</c>, so both are set.
    /// </summary>
    [Theory]
    [InlineData("DOTNET_EnableAVX512", 256)]
    [InlineData("DOTNET_EnableHWIntrinsic", 0)]
    public async Task RuntimeSwitchOff_ChildProcess_PicksNarrowerPathAndMatchesReferences(string variable, int expectedWidth)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(KernelPathsProgram).Assembly.Location);
        start.ArgumentList.Add(KernelPathsProgram.Command);
        start.Environment[variable] = "0";
        if (variable == "DOTNET_EnableAVX512")
        {
            start.Environment["DOTNET_EnableAVX512F"] = "0";
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        string report = $"{variable}=0, exit code {process.ExitCode}:{Environment.NewLine}{output}{await error}";

        Assert.True(process.ExitCode == 0, report);
        Assert.Contains(KernelPathsProgram.WidthPrefix + Math.Min(expectedWidth, HardwareWidth), output);
    }

    /// <summary>The <c>dotnet</c> host running the tests (the SDK sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
}

/// <summary>A fact that needs 512-bit vectors; reported as skipped, with the reason, on machines without them.</summary>
public sealed class Avx512FactAttribute : FactAttribute
{
    public Avx512FactAttribute()
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            Skip = "This machine has no AVX-512: the 512-bit kernel tests ran the widest available path instead.";
        }
    }
}

using System.Globalization;
using Autoencoder.Kernels;

namespace Autoencoder.Tests.Kernels;

/// <summary>
/// Every kernel training uses gives the same bits on every instruction path: at each vector width
/// the in-process override selects (against the scalar form), and in child processes started with
/// AVX-512, AVX2 or all hardware intrinsics switched off (against this process), which also reaches
/// what the override cannot: TensorPrimitives, the matrix product and the runtime's own emulation.
/// </summary>
public class KernelBitsTests
{
    public static TheoryData<int> VectorWidths() => new(512, 256, 128);

    /// <summary>
    /// Widths this machine does not accelerate run emulated (the runtime's lane-by-lane software
    /// vectors, the same IEEE operations), so the code of every width is checked on any machine;
    /// where the width is accelerated, the hardware runs it.
    /// </summary>
    [Theory]
    [MemberData(nameof(VectorWidths))]
    public void EveryKernel_AtThisVectorWidth_GivesTheScalarBits(int width)
    {
        List<KernelBits.Output> scalar = [], vector = [];
        KernelCheck.OnPath(0, () => scalar = KernelBits.Compute());
        int used = -1;
        ElementwiseDriver.EmulateUnacceleratedWidths = true;
        try
        {
            KernelCheck.OnPath(width, () =>
            {
                used = ElementwiseDriver.VectorWidth;
                vector = KernelBits.Compute();
            });
        }
        finally
        {
            ElementwiseDriver.EmulateUnacceleratedWidths = false;
        }

        Assert.Equal(width, used);

        var failures = new List<string>();
        for (int o = 0; o < scalar.Count; o++)
        {
            double[] expected = scalar[o].Values, actual = vector[o].Values;
            for (int i = 0; i < expected.Length; i++)
            {
                if (KernelBits.Bits(expected[i]) != KernelBits.Bits(actual[i]))
                {
                    failures.Add(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{scalar[o].Name}: index {i}, scalar {expected[i]:R}, {width} bits {actual[i]:R}"));
                    break;
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} kernel outputs differ from the scalar form:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }

    /// <summary>.NET 10 reads <c>DOTNET_EnableAVX512</c>, earlier runtimes <c>DOTNET_EnableAVX512F</c>: both are set.</summary>
    public static TheoryData<string> Switches() => new(["DOTNET_EnableAVX512", "DOTNET_EnableAVX2", "DOTNET_EnableHWIntrinsic"]);

    [Theory]
    [MemberData(nameof(Switches))]
    public async Task EveryKernel_InChildProcessWithSwitchOff_GivesThisProcessBits(string variable)
    {
        var environment = new Dictionary<string, string> { [variable] = "0" };
        if (variable == "DOTNET_EnableAVX512")
        {
            environment["DOTNET_EnableAVX512F"] = "0";
        }

        ChildProcess.Result child = await ChildProcess.RunAsync([KernelBits.Command], environment, TimeSpan.FromMinutes(2));
        Assert.True(child.ExitCode == 0, child.ToString());

        List<string> expected = KernelBits.HashLines();
        var childLines = child.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var differing = expected.Where(line => !childLines.Contains(line)).Select(line => line[..line.LastIndexOf(':')]).ToList();
        Assert.True(
            differing.Count == 0,
            $"{variable}=0: {differing.Count} of {expected.Count} kernel outputs differ from this process:{Environment.NewLine}{string.Join(Environment.NewLine, differing)}");
    }
}

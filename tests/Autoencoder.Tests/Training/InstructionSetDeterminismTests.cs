using System.Runtime.Intrinsics;

namespace Autoencoder.Tests.Training;

/// <summary>
/// The same seed gives the same weights on every instruction-set path: each variant of
/// <see cref="TrainingHashesProgram"/> is trained in this process (the widest path the machine has)
/// and in child processes with AVX-512, AVX2 or all hardware intrinsics switched off, and the
/// SHA-256 hashes of the weights and of the loss histories must agree.
/// </summary>
public class InstructionSetDeterminismTests
{
    private static readonly Lazy<List<string>> InProcess = new(TrainingHashesProgram.Lines);

    /// <summary>
    /// The switches of each path. .NET 10 reads <c>DOTNET_EnableAVX512</c>, earlier runtimes
    /// <c>DOTNET_EnableAVX512F</c>; <c>DOTNET_EnableAVX2=0</c> leaves 128-bit vectors without FMA,
    /// <c>DOTNET_EnableHWIntrinsic=0</c> leaves no vectors at all.
    /// </summary>
    public static TheoryData<string> Paths() => new(["DOTNET_EnableAVX512", "DOTNET_EnableAVX2", "DOTNET_EnableHWIntrinsic"]);

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Fit_SwitchedOffInChildProcess_GivesTheSameWeightsAndLosses(string variable)
    {
        var environment = new Dictionary<string, string> { [variable] = "0" };
        if (variable == "DOTNET_EnableAVX512")
        {
            environment["DOTNET_EnableAVX512F"] = "0";
        }

        ChildProcess.Result child = await ChildProcess.RunAsync([TrainingHashesProgram.Command], environment, TimeSpan.FromMinutes(5));
        Assert.True(child.ExitCode == 0, child.ToString());

        string[] childLines = child.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        List<string> expected = InProcess.Value;
        Assert.Equal(TrainingHashesProgram.Scenarios.Count, expected.Count);
        var differing = expected.Where((line, i) => i >= childLines.Length || childLines[i] != line).ToList();
        Assert.True(
            childLines.Length == expected.Count && differing.Count == 0,
            $"{variable}=0 (in process: {WidestPath()}): {differing.Count} of {expected.Count} runs differ:{Environment.NewLine}" +
            string.Join(Environment.NewLine, differing.Select(line => "in process: " + line + Environment.NewLine + "child:      " + ChildLine(childLines, line))));
    }

    private static string ChildLine(string[] childLines, string line)
    {
        string name = line[..line.IndexOf(" weights=", StringComparison.Ordinal)];
        return childLines.FirstOrDefault(l => l.StartsWith(name + " weights=", StringComparison.Ordinal)) ?? "(missing)";
    }

    private static string WidestPath() =>
        Vector512.IsHardwareAccelerated ? "512-bit vectors" : Vector256.IsHardwareAccelerated ? "256-bit vectors" : Vector128.IsHardwareAccelerated ? "128-bit vectors" : "no vectors";
}

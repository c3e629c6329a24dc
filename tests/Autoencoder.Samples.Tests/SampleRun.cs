using System.Globalization;
using System.Text.RegularExpressions;

namespace Autoencoder.Samples.Tests;

/// <summary>One in-process run of the samples app, with what it wrote.</summary>
internal sealed partial record SampleRun(int ExitCode, string Output, string Error, string OutputFolder)
{
    /// <summary>Runs the app with <paramref name="args"/> plus <c>--output</c> to a fresh temporary folder (unless told not to).</summary>
    public static SampleRun Start(params string[] args) => Start(args, addOutputFolder: true);

    public static SampleRun Start(string[] args, bool addOutputFolder) => Start(args, addOutputFolder, CancellationToken.None);

    /// <summary>
    /// Runs the app with <paramref name="args"/> plus <c>--output</c>, cancelled before it starts:
    /// the options are parsed, the data read and the model built, but training stops in its first
    /// batch, so a run takes well under a second.
    /// </summary>
    public static SampleRun StartUntrained(params string[] args)
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        return Start(args, addOutputFolder: true, cancelled.Token);
    }

    private static SampleRun Start(string[] args, bool addOutputFolder, CancellationToken cancellation)
    {
        string folder = Directory.CreateTempSubdirectory("samples-test-").FullName;
        string[] all = addOutputFolder ? [.. args, "--output", folder] : args;
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = SamplesApp.Run(all, output, error, cancellation);
        return new SampleRun(code, output.ToString(), error.ToString(), folder);
    }

    /// <summary>The PNG files the run says it wrote, in order.</summary>
    public IReadOnlyList<string> WrittenFiles =>
        WroteLine().Matches(Output).Select(m => m.Groups[1].Value).ToArray();

    /// <summary>The number on the summary line that starts with <paramref name="name"/>; fails the test when there is none.</summary>
    public double Figure(string name)
    {
        string? line = Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        Assert.True(line is not null, $"no line starting with '{name}' in:\n{Output}");
        // The value column follows the name column after at least two spaces.
        string value = ValueColumn().Match(line![name.Length..]).Groups[1].Value;
        Match number = Number().Match(value);
        Assert.True(number.Success, $"no number after '{name}' in '{line}'");
        return double.Parse(number.Value.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>Asserts a clean exit: code 0 and nothing on the error writer.</summary>
    public void AssertSucceeded()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}\nstderr: {Error}\nstdout: {Output}");
        Assert.Equal(string.Empty, Error);
    }

    /// <summary>Asserts a failure reported as exactly one line on the error writer, without stack frames.</summary>
    public void AssertFailedWithOneLine(string expectedFragment)
    {
        Assert.NotEqual(0, ExitCode);
        string[] lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got {lines.Length}:\n{Error}");
        Assert.DoesNotContain("   at ", Error, StringComparison.Ordinal);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expectedFragment, lines[0], StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"^wrote (\S+\.png)", RegexOptions.Multiline)]
    private static partial Regex WroteLine();

    [GeneratedRegex(@"\s{2,}(\S.*)$")]
    private static partial Regex ValueColumn();

    [GeneratedRegex(@"-?[0-9][0-9,]*(\.[0-9]+)?([eE][-+]?[0-9]+)?")]
    private static partial Regex Number();
}

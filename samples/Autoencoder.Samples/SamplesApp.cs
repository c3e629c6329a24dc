using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using Autoencoder.Samples.Commands;
using Autoencoder.Samples.Output;
using Spectre.Console;

namespace Autoencoder.Samples;

/// <summary>
/// The samples' entry point, callable in-process: parses the arguments, runs one sample and turns
/// every expected failure (bad options, missing or corrupt files, invalid data) into one line on
/// the error writer and a non-zero exit code.
/// </summary>
internal static class SamplesApp
{
    /// <summary>Exit code of a run that went wrong because of its options or input.</summary>
    public const int ErrorExitCode = 1;

    /// <summary>Exit code of arguments that do not parse.</summary>
    public const int UsageExitCode = 2;

    /// <summary>The samples, in the order <c>--help</c> lists them.</summary>
    public static Sample[] CreateSamples() =>
        [new CompressSample(), new DenoiseSample(), new AnomalySample(), new EmbedSample(), new GenerateSample()];

    /// <summary>Runs the samples app with <paramref name="args"/>, writing to <paramref name="output"/> and <paramref name="error"/>.</summary>
    /// <returns>0 on success, <see cref="UsageExitCode"/> for arguments that do not parse, <see cref="ErrorExitCode"/> for options or data the sample cannot use.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error, CancellationToken cancellation = default)
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            bool live = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
            var console = new SampleConsole(output, live, cancellation);
            var shared = new SharedOptions();
            var root = new RootCommand("Autoencoder samples: compress, denoise, detect anomalies, embed in 2-D and generate images. Run '<command> --help' for a command's options.");
            foreach (Sample sample in CreateSamples())
            {
                var command = new Command(
                    sample.Name,
                    $"{sample.Description} Defaults: {sample.Defaults}.");
                shared.AddTo(command);
                sample.AddOptions(command);
                command.SetAction(parse =>
                {
                    SampleSettings settings = shared.Read(parse, sample, live);
                    if (!Rendering.Charts.FontsAvailable)
                    {
                        console.Line("note: no fonts found on this machine, so the charts' text (titles, axes, legends) is left out; a font package such as Debian's fonts-dejavu-core adds it");
                    }

                    sample.Run(parse, settings, console);
                });
                root.Add(command);
            }

            ParseResult parsed = root.Parse(args);
            if (parsed.Errors.Count > 0 && parsed.Action is not HelpAction)
            {
                // Unrecognised words first: "squash" explains the missing command better than its absence.
                IEnumerable<string> messages = parsed.Errors
                    .Select(e => OneLine(e.Message))
                    .OrderByDescending(m => m.StartsWith("Unrecognized", StringComparison.Ordinal))
                    .Distinct();
                error.WriteLine($"error: {string.Join(' ', messages)} (see --help)");
                return UsageExitCode;
            }

            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (IsExpected(e))
        {
            error.WriteLine($"error: {OneLine(e.Message)}");
            return ErrorExitCode;
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    /// <summary>Failures caused by the options or the input, reported without a stack trace.</summary>
    private static bool IsExpected(Exception e) =>
        e is UsageException or IOException or InvalidDataException or UnauthorizedAccessException
            or ArgumentException or TrainingDivergedException or OperationCanceledException;

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

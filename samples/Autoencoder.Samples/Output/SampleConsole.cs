using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Spectre.Console;

namespace Autoencoder.Samples.Output;

/// <summary>
/// What a sample shows the user: a live Spectre.Console progress bar and tables on an interactive
/// terminal, plain lines (one per epoch, then one per figure) when the output is redirected or
/// captured.
/// </summary>
internal sealed class SampleConsole
{
    private readonly TextWriter _output;
    private readonly IAnsiConsole? _ansi;
    private readonly CancellationToken _cancellation;

    /// <summary>Writes to <paramref name="output"/>; <paramref name="live"/> turns on the progress bar and tables.</summary>
    public SampleConsole(TextWriter output, bool live, CancellationToken cancellation)
    {
        _output = output;
        _cancellation = cancellation;
        if (live)
        {
            _ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        }
    }

    /// <summary>Whether the live display is used.</summary>
    public bool Live => _ansi is not null;

    /// <summary>Writes one line of text.</summary>
    public void Line(string text = "")
    {
        if (_ansi is not null)
        {
            _ansi.WriteLine(text);
        }
        else
        {
            _output.WriteLine(text);
        }
    }

    /// <summary>Trains <paramref name="model"/>, showing each batch (live) or each epoch (plain).</summary>
    public TrainingHistory Train(AutoencoderModel model, Matrix<float> x, TrainingOptions options)
    {
        TrainingHistory history;
        if (_ansi is null)
        {
            history = model.Fit(x, options with { Progress = new PlainProgress(_output) }, _cancellation);
        }
        else
        {
            TrainingHistory? result = null;
            _ansi.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
                .Start(context =>
                {
                    ProgressTask task = context.AddTask("training", autoStart: true, maxValue: 1);
                    result = model.Fit(x, options with { Progress = new LiveProgress(task) }, _cancellation);
                    task.Value = task.MaxValue;
                });
            history = result!;
        }

        if (history.StopReason == StopReason.Cancelled)
        {
            Line($"training cancelled after {history.Epochs.Count} complete epochs; the model is evaluated as it is");
        }

        return history;
    }

    /// <summary>Shows the figures of a run: a table when live, else one aligned line per figure.</summary>
    public void Summary(string title, IReadOnlyList<(string Name, string Value)> rows)
    {
        if (_ansi is not null)
        {
            var table = new Table().Title(Markup.Escape(title)).AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
            foreach ((string name, string value) in rows)
            {
                table.AddRow(Markup.Escape(name), Markup.Escape(value));
            }

            _ansi.Write(table);
            return;
        }

        _output.WriteLine(title);
        int width = rows.Max(r => r.Name.Length);
        foreach ((string name, string value) in rows)
        {
            _output.WriteLine($"  {name.PadRight(width)}  {value}");
        }
    }

    /// <summary>One line of training progress, the same text in both modes.</summary>
    internal static string Describe(TrainingProgress p)
    {
        string validation = p.ValidationLoss is double v ? string.Create(CultureInfo.InvariantCulture, $"  val {v:F4}") : string.Empty;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {p.Epoch}/{p.Epochs}  batch {p.Batch}/{p.Batches}  loss {p.Loss:F4}{validation}  {p.SamplesPerSecond:N0} samples/s  ETA {p.EstimatedRemaining:mm\\:ss}");
    }

    private sealed class PlainProgress(TextWriter output) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.EpochCompleted)
            {
                output.WriteLine(Describe(value));
            }
        }
    }

    private sealed class LiveProgress(ProgressTask task) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            task.MaxValue = (double)value.Epochs * value.Batches;
            task.Value = ((double)(value.Epoch - 1) * value.Batches) + value.Batch;
            task.Description = Markup.Escape(Describe(value));
        }
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;
using Autoencoder.Samples.Commands;

namespace Autoencoder.Samples;

/// <summary>The options every subcommand accepts, and how they become <see cref="SampleSettings"/>.</summary>
internal sealed class SharedOptions
{
    /// <summary>Batch size unless <c>--batch-size</c> is given.</summary>
    public const int DefaultBatchSize = 128;

    /// <summary>Seed unless <c>--seed</c> is given.</summary>
    public const int DefaultSeed = 42;

    /// <summary>The largest latent size accepted (the code of an image is far smaller than the image).</summary>
    public const int MaxLatent = 65_536;

    private readonly Option<int?> _epochs = Positive(new Option<int?>("--epochs") { Description = $"Training epochs (default: the command's own, shown in its description; {Sample.QuickEpochs} with --quick)" });
    private readonly Option<int> _batchSize = Positive(new Option<int>("--batch-size") { Description = "Rows per training batch", DefaultValueFactory = _ => DefaultBatchSize });
    private readonly Option<int?> _latent = AtMost(Positive(new Option<int?>("--latent") { Description = "Size of the latent code (default: the command's own, shown in its description)" }), MaxLatent);
    private readonly Option<int> _seed = new("--seed") { Description = "Seed of the model, the shuffling and every random draw", DefaultValueFactory = _ => DefaultSeed };
    private readonly Option<string?> _data = new("--data") { Description = "Folder of MNIST-style IDX files (train-/t10k-images-idx3-ubyte[.gz] and labels; a folder with only t10k is split 80/20). Default: /usr/share/datasets/fashion-mnist if present, else the built-in SyntheticShapes" };
    private readonly Option<bool> _shapes = new("--shapes") { Description = "Use the built-in SyntheticShapes images even when Fashion-MNIST is installed" };
    private readonly Option<string?> _csv = new("--csv") { Description = "CSV file of numeric rows instead of images (any range: columns are min-max scaled to [0, 1] when needed); 20% held out for testing" };
    private readonly Option<bool> _csvHeader = new("--csv-header") { Description = "The CSV file's first line holds column names" };
    private readonly Option<string?> _csvDelimiter = new("--csv-delimiter") { Description = "The character between CSV values (default ','); 'tab' for a tab, 'auto' to choose , ; tab or | from the first line" };
    private readonly Option<int> _csvSkipLines = NonNegative(new Option<int>("--csv-skip-lines") { Description = "Lines at the start of the CSV file to skip unread, such as scikit-learn's shape line (default 0)" });
    private readonly Option<string?> _columns = new("--columns") { Description = "CSV feature columns: comma-separated header names (with --csv-header) or positions from 0 (default: every column but the label)" };
    private readonly Option<string?> _labelColumn = new("--label-column") { Description = "CSV column of class labels, never trained on: a header name (with --csv-header) or a position from 0; whole numbers are the classes, other texts are numbered in sorted order. Needed by anomaly, optional for embed" };
    private readonly Option<string?> _output = new("--output") { Description = "Folder for the PNG files (default: ./sample-output/<command>)" };
    private readonly Option<bool> _quick = new("--quick") { Description = "A few epochs on a small subset: a first look in seconds" };

    /// <summary>Adds every shared option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { _epochs, _batchSize, _latent, _seed, _data, _shapes, _csv, _csvHeader, _csvDelimiter, _csvSkipLines, _columns, _labelColumn, _output, _quick })
        {
            command.Add(option);
        }
    }

    /// <summary>The settings of one run of <paramref name="sample"/>.</summary>
    public SampleSettings Read(ParseResult parse, Sample sample, bool live)
    {
        bool quick = parse.GetValue(_quick);
        return new SampleSettings(
            Epochs: parse.GetValue(_epochs) ?? (quick ? Sample.QuickEpochs : sample.DefaultEpochs),
            BatchSize: parse.GetValue(_batchSize),
            Latent: parse.GetValue(_latent) ?? sample.DefaultLatent,
            Seed: parse.GetValue(_seed),
            DataFolder: parse.GetValue(_data),
            Shapes: parse.GetValue(_shapes),
            CsvFile: parse.GetValue(_csv),
            CsvHeader: parse.GetValue(_csvHeader),
            CsvDelimiter: parse.GetValue(_csvDelimiter),
            CsvSkipLines: parse.GetValue(_csvSkipLines),
            Columns: parse.GetValue(_columns),
            LabelColumn: parse.GetValue(_labelColumn),
            OutputFolder: parse.GetValue(_output) ?? Path.Combine("sample-output", sample.Name),
            Quick: quick,
            Live: live)
        {
            LatentGiven = parse.GetValue(_latent) is not null,
        };
    }

    private static Option<T> AtMost<T>(Option<T> option, int max)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, out int value) && value > max)
            {
                result.AddError($"{option.Name} must be at most {max}; got {value}.");
            }
        });
        return option;
    }

    private static Option<T> NonNegative<T>(Option<T> option)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, out int value) && value < 0)
            {
                result.AddError($"{option.Name} must be at least 0; got {value}.");
            }
        });
        return option;
    }

    private static Option<T> Positive<T>(Option<T> option)
    {
        // Reads the token itself: a value that is not a number is reported by the parser already.
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, out int value) && value < 1)
            {
                result.AddError($"{option.Name} must be at least 1; got {value}.");
            }
        });
        return option;
    }
}

using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Samples.Data;

/// <summary>
/// Finds the data a sample trains on: a CSV file (<c>--csv</c>), a folder of IDX files
/// (<c>--data</c>), Debian's Fashion-MNIST when installed, else the library's own
/// <see cref="SyntheticShapes"/>, so every sample runs on a fresh machine.
/// </summary>
internal static class DatasetLoader
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package puts its IDX files.</summary>
    public const string DebianFashionMnist = "/usr/share/datasets/fashion-mnist";

    /// <summary>SyntheticShapes rows generated for a full run (training, test).</summary>
    public const int SyntheticTrainCount = 20_000, SyntheticTestCount = 4_000;

    /// <summary>Rows kept in <c>--quick</c> mode (training, test).</summary>
    public const int QuickTrainCount = 3_000, QuickTestCount = 500;

    /// <summary>The largest whole-number label, and the most distinct label texts, a CSV label column may hold.</summary>
    public const int MaxLabel = 1_000_000;

    /// <summary>Share of the rows held out for testing when the source has no test split of its own.</summary>
    public const double HeldOutFraction = 0.2;

    private static readonly string[] FashionMnistClassNames =
    [
        "T-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot",
    ];

    /// <summary>Loads the data chosen by the settings.</summary>
    /// <exception cref="UsageException">The options contradict each other or the CSV rows cannot be used.</exception>
    /// <exception cref="IOException">A file or folder is missing or unreadable.</exception>
    /// <exception cref="InvalidDataException">A file is not valid IDX or CSV.</exception>
    public static Dataset Load(SampleSettings settings)
    {
        if ((settings.CsvFile is not null ? 1 : 0) + (settings.DataFolder is not null ? 1 : 0) + (settings.Shapes ? 1 : 0) > 1)
        {
            throw new UsageException("choose one source of data: --csv, --data or --shapes.");
        }

        if (settings.CsvFile is null)
        {
            string? csvOnly = settings.LabelColumn is not null ? "--label-column"
                : settings.Columns is not null ? "--columns"
                : settings.CsvDelimiter is not null ? "--csv-delimiter"
                : settings.CsvSkipLines != 0 ? "--csv-skip-lines"
                : null;
            if (csvOnly is not null)
            {
                throw new UsageException($"{csvOnly} applies only to --csv input.");
            }
        }

        Dataset data;
        if (settings.CsvFile is not null)
        {
            data = FromCsv(settings.CsvFile, CsvArguments.Options(settings), settings.Seed);
        }
        else if (settings.DataFolder is not null)
        {
            data = FromIdxFolder(settings.DataFolder, classNames: null);
        }
        else if (!settings.Shapes && Directory.Exists(DebianFashionMnist))
        {
            data = FromIdxFolder(DebianFashionMnist, FashionMnistClassNames);
        }
        else
        {
            LabeledImages train = SyntheticShapes.Generate(SyntheticTrainCount, settings.Seed);
            LabeledImages test = SyntheticShapes.Generate(SyntheticTestCount, settings.Seed + 1);
            data = new Dataset(
                train.Images, train.Labels, test.Images, test.Labels, train.Height, train.Width,
                "built-in SyntheticShapes (install dataset-fashion-mnist or pass --data for real images)",
                SyntheticShapes.ClassNames) { IsImages = true };
        }

        return settings.Quick ? Subset(data, QuickTrainCount, QuickTestCount) : data;
    }

    /// <summary>
    /// Reads <c>train-*</c> and <c>t10k-*</c> IDX files; a folder with only the <c>t10k</c> split is
    /// divided into its first 80% for training and the rest for testing.
    /// </summary>
    public static Dataset FromIdxFolder(string folder, IReadOnlyList<string>? classNames)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Data folder not found: '{folder}'.");
        }

        if (HasSplit(folder, "train"))
        {
            LabeledImages train = IdxReader.LoadFolder(folder, "train");
            LabeledImages test = IdxReader.LoadFolder(folder, "t10k");
            if (train.Height != test.Height || train.Width != test.Width)
            {
                throw new InvalidDataException(
                    $"The train and t10k images in '{folder}' must have the same size; got {train.Height}×{train.Width} and {test.Height}×{test.Width}.");
            }
            return new Dataset(train.Images, train.Labels, test.Images, test.Labels, train.Height, train.Width,
                $"IDX files in {folder}", classNames) { IsImages = true };
        }

        LabeledImages all = IdxReader.LoadFolder(folder, "t10k");
        if (all.Count < 2)
        {
            throw new InvalidDataException($"The t10k images in '{folder}' must number at least 2 to split into training and test rows; got {all.Count}.");
        }

        int trainCount = HeldOutSplit(all.Count);
        return new Dataset(
            all.Images.SubMatrix(0, trainCount, 0, all.Images.ColumnCount),
            all.Labels?[..trainCount],
            all.Images.SubMatrix(trainCount, all.Count - trainCount, 0, all.Images.ColumnCount),
            all.Labels?[trainCount..],
            all.Height,
            all.Width,
            $"IDX files in {folder} (t10k split only: first {trainCount:N0} images train, last {all.Count - trainCount:N0} test)",
            classNames) { IsImages = true };
    }

    /// <summary>
    /// Reads the feature columns of a CSV file (and its label column, which is never trained on),
    /// shuffles the rows with the seed and holds out the last 20% for testing. Values outside [0, 1]
    /// are scaled per column to [0, 1] by the training rows' minimum and maximum (test values beyond
    /// that range are clipped to it). Whole-number labels are the classes; other label texts are
    /// numbered in ordinal order and named by their text.
    /// </summary>
    public static Dataset FromCsv(string path, CsvOptions options, int seed)
    {
        CsvTable csv = CsvReader.ReadTable(path, options);
        Matrix<float> table = csv.Features;
        if (table.RowCount < 10)
        {
            throw new UsageException($"CSV file '{path}' has {table.RowCount} data rows; the samples need at least 10.");
        }

        if (table.ColumnCount == 0)
        {
            throw new UsageException($"CSV file '{path}' has no feature columns besides the labels.");
        }

        int[]? labels = null;
        IReadOnlyList<string>? classNames = null;
        if (csv.Labels is not null)
        {
            (labels, classNames) = CsvArguments.Classes(csv.Labels, MaxLabel);
        }

        int[] order = Enumerable.Range(0, table.RowCount).ToArray();
        new Random(seed).Shuffle(order);
        int trainCount = HeldOutSplit(table.RowCount);
        Matrix<float> train = Rows(table, order[..trainCount]);
        Matrix<float> test = Rows(table, order[trainCount..]);
        string scaling = "values already in [0, 1]";
        if (OutsideUnitRange(train) || OutsideUnitRange(test))
        {
            FeatureScaler scaler = FeatureScaler.Fit(train, FeatureScaling.MinMax);
            train = scaler.Transform(train).PointwiseMaximum(0f).PointwiseMinimum(1f);
            test = scaler.Transform(test).PointwiseMaximum(0f).PointwiseMinimum(1f);
            scaling = "columns min-max scaled to [0, 1] on the training rows";
        }

        int side = (int)Math.Round(Math.Sqrt(table.ColumnCount));
        (int height, int width) = side * side == table.ColumnCount ? (side, side) : (1, table.ColumnCount);
        string named = csv.ColumnNames is null ? string.Empty : $" ({string.Join(", ", csv.ColumnNames.Take(4))}{(csv.ColumnNames.Count > 4 ? ", …" : string.Empty)})";
        string labelled = labels is null ? string.Empty : $", {labels.Distinct().Count()} label classes from their own column";
        return new Dataset(train, labels is null ? null : order[..trainCount].Select(i => labels[i]).ToArray(),
            test, labels is null ? null : order[trainCount..].Select(i => labels[i]).ToArray(),
            height, width,
            $"CSV file {path}: {table.RowCount:N0} rows of {table.ColumnCount} values{named}{labelled}, {scaling}, {trainCount:N0} train / {table.RowCount - trainCount:N0} test",
            classNames);
    }

    /// <summary>The first <paramref name="trainCount"/> training and <paramref name="testCount"/> test rows (fewer when there are fewer).</summary>
    public static Dataset Subset(Dataset data, int trainCount, int testCount)
    {
        int train = Math.Min(trainCount, data.Train.RowCount);
        int test = Math.Min(testCount, data.Test.RowCount);
        return data with
        {
            Train = data.Train.SubMatrix(0, train, 0, data.Features),
            TrainLabels = data.TrainLabels?[..train],
            Test = data.Test.SubMatrix(0, test, 0, data.Features),
            TestLabels = data.TestLabels?[..test],
            Source = data.Source + $"; --quick: {train:N0} train / {test:N0} test rows",
        };
    }

    /// <summary>The rows with the given indices, in that order.</summary>
    public static Matrix<float> Rows(Matrix<float> x, IEnumerable<int> rows) =>
        Matrix<float>.Build.DenseOfRowVectors(rows.Select(x.Row));

    private static int HeldOutSplit(int count) => Math.Clamp((int)Math.Round(count * (1 - HeldOutFraction)), 1, count - 1);

    private static bool HasSplit(string folder, string split)
    {
        string images = Path.Combine(folder, split + "-images-idx3-ubyte");
        return File.Exists(images) || File.Exists(images + ".gz");
    }

    private static bool OutsideUnitRange(Matrix<float> x) =>
        x.Enumerate().Any(v => v < 0f || v > 1f);
}

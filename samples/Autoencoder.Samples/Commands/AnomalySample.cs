using System.CommandLine;
using Autoencoder.Evaluation;
using Autoencoder.Samples.Data;
using Autoencoder.Samples.Output;
using Autoencoder.Samples.Rendering;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Samples.Commands;

/// <summary>
/// Anomaly detection: trains on the "normal" classes only, fits a threshold on clean held-out
/// rows at a target false-positive rate, and scores a held-out mix of normal and novel classes
/// with <see cref="AnomalyDetector"/>. Needs labels (IDX label files, SyntheticShapes, or a CSV
/// label column).
/// </summary>
internal sealed class AnomalySample : Sample
{
    /// <summary>Normal classes unless <c>--normal-classes</c> is given.</summary>
    public const string DefaultNormalClasses = "0-4";

    /// <summary>False-positive rate unless <c>--fpr</c> is given.</summary>
    public const double DefaultFalsePositiveRate = 0.05;

    private readonly Option<string> _normal = new("--normal-classes")
    {
        Description = "Classes the model learns as normal, e.g. 0-4 or 1,3,5; the others are novel",
        DefaultValueFactory = _ => DefaultNormalClasses,
    };

    private readonly Option<double> _fpr = new("--fpr")
    {
        Description = "Target false-positive rate: the threshold is this upper quantile of clean held-out scores",
        DefaultValueFactory = _ => DefaultFalsePositiveRate,
    };

    /// <inheritdoc/>
    public override string Name => "anomaly";

    /// <inheritdoc/>
    public override string Description =>
        "Train on normal classes, score a held-out mix by reconstruction error and report ROC-AUC, precision and recall at a threshold; draws a score histogram. Needs labels.";

    /// <inheritdoc/>
    public override int DefaultEpochs => 20;

    /// <inheritdoc/>
    public override int DefaultLatent => 16;

    /// <inheritdoc/>
    public override void AddOptions(Command command)
    {
        command.Add(_normal);
        command.Add(_fpr);
    }

    /// <inheritdoc/>
    public override void Run(ParseResult parse, SampleSettings settings, SampleConsole console)
    {
        HashSet<int> normal = ClassList.Parse(parse.GetRequiredValue(_normal));
        double fpr = parse.GetValue(_fpr);
        if (!(fpr > 0 && fpr < 1))
        {
            throw new UsageException($"--fpr must be between 0 and 1 exclusive; got {fpr}.");
        }

        Dataset data = LoadData(settings, console);
        if (!data.HasLabels)
        {
            throw new UsageException("anomaly needs class labels: use IDX files with labels, the default data, or --csv with --label-column.");
        }

        int[] trainRows = Enumerable.Range(0, data.Train.RowCount).Where(i => normal.Contains(data.TrainLabels![i])).ToArray();
        // The test split's first half: its normal rows set the threshold; its second half, all classes, is scored.
        int half = data.Test.RowCount / 2;
        int[] cleanRows = Enumerable.Range(0, half).Where(i => normal.Contains(data.TestLabels![i])).ToArray();
        int[] mixRows = Enumerable.Range(half, data.Test.RowCount - half).ToArray();
        bool[] isNovel = mixRows.Select(i => !normal.Contains(data.TestLabels![i])).ToArray();
        if (trainRows.Length < 10 || cleanRows.Length == 0 || isNovel.All(n => n) || !isNovel.Any(n => n))
        {
            throw new UsageException(
                $"--normal-classes {string.Join(',', normal.Order())} leaves {trainRows.Length} training rows, {cleanRows.Length} clean held-out rows and " +
                $"{isNovel.Count(n => n)} novel of {isNovel.Length} scored rows; both normal and novel rows are needed.");
        }

        console.Line($"normal classes: {string.Join(", ", normal.Order().Select(data.ClassName))}; every other class is novel");
        Matrix<float> train = DatasetLoader.Rows(data.Train, trainRows);
        AutoencoderModel model = new AutoencoderBuilder(data.Features)
            .AddEncoderLayer(128, Activation.Relu)
            .WithLatent(settings.Latent, Activation.Relu)
            .WithOutputActivation(Activation.Sigmoid)
            .WithSeed(settings.Seed)
            .Build();
        DescribeModel(model, console);
        // Trained with cross-entropy (it learns faster through the sigmoid output than MSE does);
        // rows are scored by their reconstruction MSE.
        TrainingHistory history = console.Train(model, train, Training(settings, Loss.BinaryCrossEntropy));
        SaveLossCurve(settings, console, history, "binary cross-entropy");

        var detector = new AnomalyDetector(model, AnomalyScore.MeanSquaredError);
        float threshold = detector.FitThreshold(DatasetLoader.Rows(data.Test, cleanRows), fpr);
        float[] scores = detector.Scores(DatasetLoader.Rows(data.Test, mixRows)).AsArray();
        double auc = Metrics.RocAuc(scores, isNovel);
        BinaryConfusion counts = Metrics.AtThreshold(scores, isNovel, threshold);

        string histogram = OutputPath(settings, "scores.png");
        Charts.ScoreHistogram(
            histogram,
            scores.Where((_, i) => !isNovel[i]).Select(s => (double)s).ToArray(),
            scores.Where((_, i) => isNovel[i]).Select(s => (double)s).ToArray(),
            threshold);
        console.Line($"wrote {histogram}");

        console.Summary("anomaly: held-out mix scored by reconstruction MSE", [
            .. TrainingFigures(history),
            ("training rows (normal classes only)", train.RowCount.ToString("N0")),
            ("clean rows for the threshold", cleanRows.Length.ToString("N0")),
            ("scored rows (normal + novel)", $"{isNovel.Length - isNovel.Count(n => n):N0} + {isNovel.Count(n => n):N0}"),
            ("target false-positive rate", fpr.ToString("F3")),
            ("threshold", threshold.ToString("G5")),
            ("ROC-AUC", auc.ToString("F3")),
            ("rows flagged (true + false positives)", $"{counts.TruePositives:N0} + {counts.FalsePositives:N0}"),
            ("precision at threshold", counts.TruePositives + counts.FalsePositives > 0 ? counts.Precision.ToString("F3") : "undefined (no row flagged)"),
            ("recall at threshold", counts.Recall.ToString("F3")),
            ("false-positive rate at threshold", counts.FalsePositiveRate.ToString("F3")),
        ]);
    }
}

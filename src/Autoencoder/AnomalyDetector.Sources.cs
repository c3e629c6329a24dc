using Autoencoder.Data;
using Autoencoder.Evaluation;

namespace Autoencoder;

public sealed partial class AnomalyDetector
{
    /// <summary>
    /// As <see cref="Fit(AutoencoderModel, MathNet.Numerics.LinearAlgebra.Matrix{float}, FeatureScaling, TrainingOptions?, double, CancellationToken)"/>,
    /// on any data source: the scaler is fitted by reading the source (once, or twice to
    /// standardize), the model trains on its rows scaled as they are read (rows in memory are
    /// scaled into one copy first, so they train exactly as the same matrix does), and the
    /// threshold is set from the scores of every training row, streamed (memory holds one float per row).
    /// </summary>
    /// <param name="model">An untrained (or pre-trained) model with <c>x.Columns</c> inputs; trained in place.</param>
    /// <param name="x">Training rows in their original units, mostly normal.</param>
    /// <param name="scaling">How to scale the features; binary cross-entropy needs <see cref="FeatureScaling.MinMax"/>.</param>
    /// <param name="options">Training options; <see cref="TrainingOptions.ValidationData"/>, when given, is in original units and scaled the same way.</param>
    /// <param name="contamination">The expected share of anomalies in <paramref name="x"/>, in (0, 0.5].</param>
    /// <param name="cancellationToken">Stops training between batches; the threshold is still fitted.</param>
    /// <returns>The detector, with <see cref="Threshold"/> set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">As the matrix overload; a streamed row's bad value when its block is read.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="contamination"/> or an option is out of range.</exception>
    /// <exception cref="TrainingDivergedException">Training diverged.</exception>
    public static AnomalyDetector Fit(
        AutoencoderModel model,
        DataSource x,
        FeatureScaling scaling,
        TrainingOptions? options = null,
        double contamination = DefaultContamination,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        if (x is MatrixSource { IsWhole: true } matrix)
        {
            return Fit(model, matrix.Matrix, scaling, options, contamination, cancellationToken);
        }

        Guard.Defined(scaling);
        CheckContamination(contamination);
        options ??= new TrainingOptions();
        ArgumentNullException.ThrowIfNull(options.Loss, "options.Loss");
        if (x.Columns != model.InputSize)
        {
            throw new ArgumentException(Invariant($"x must have {model.InputSize} columns (one per input feature of the model); got {x.Columns} columns."), nameof(x));
        }

        if (options.Loss == Loss.BinaryCrossEntropy && scaling != FeatureScaling.MinMax)
        {
            throw new ArgumentException(
                Invariant($"scaling must be {nameof(FeatureScaling.MinMax)} for binary cross-entropy, whose targets lie in [0, 1]; got {scaling}."), nameof(scaling));
        }

        FeatureScaler scaler = FeatureScaler.Fit(x, scaling);
        if (options.ValidationData is { } validation)
        {
            options = options with { ValidationData = ScaledSource.Of(validation, scaler, "options.ValidationData") };
        }

        TrainingHistory history = model.Fit(ScaledSource.Of(x, scaler), options, cancellationToken);
        var detector = new AnomalyDetector(model, options.Loss, scaler) { TrainingHistory = history };
        detector.FitThresholdByContamination(x, contamination);
        return detector;
    }

    /// <summary>
    /// The scores of the rows of <paramref name="x"/> (original units), in order, computed a block
    /// at a time as the sequence is enumerated (files and streams are read ahead in the
    /// background), so a source larger than memory can be scored; each equals the matrix call's.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> has the wrong column count (at once); a row holds NaN or infinity, or a scaled value outside the score's domain (when the enumeration reaches it).</exception>
    public IEnumerable<float> Scores(DataSource x)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckColumns(x);
        return StreamScores(x);
    }

    /// <summary>As <see cref="Scores(DataSource)"/>, each row flagged when its score is strictly above <see cref="Threshold"/> (read when the call is made).</summary>
    /// <exception cref="InvalidOperationException">No threshold is set.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Scores(DataSource)"/>.</exception>
    public IEnumerable<bool> Predict(DataSource x)
    {
        float threshold = RequireThreshold();
        return Scores(x).Select(score => score > threshold);
    }

    /// <summary>As <see cref="FitThreshold(MathNet.Numerics.LinearAlgebra.Matrix{float}, double)"/>, on any data source (scored streamed; memory holds one float per row).</summary>
    /// <returns>The new threshold.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="clean"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="falsePositiveRate"/> is not in [0, 1).</exception>
    /// <exception cref="ArgumentException">As <see cref="Scores(DataSource)"/>, or the source has no rows.</exception>
    public float FitThreshold(DataSource clean, double falsePositiveRate)
    {
        Guard.InRange(falsePositiveRate, 0, 1, maxInclusive: false);
        return SetQuantileThreshold(ScoreArray(clean, nameof(clean)), 1 - falsePositiveRate, nameof(clean));
    }

    /// <summary>As <see cref="FitThresholdByContamination(MathNet.Numerics.LinearAlgebra.Matrix{float}, double)"/>, on any data source (scored streamed; memory holds one float per row).</summary>
    /// <returns>The new threshold.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="train"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="contamination"/> is not in (0, 0.5].</exception>
    /// <exception cref="ArgumentException">As <see cref="Scores(DataSource)"/>, or the source has no rows.</exception>
    public float FitThresholdByContamination(DataSource train, double contamination = DefaultContamination)
    {
        CheckContamination(contamination);
        return SetQuantileThreshold(ScoreArray(train, nameof(train)), 1 - contamination, nameof(train));
    }

    private float[] ScoreArray(DataSource x, string name)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        CheckColumns(x, name);
        float[] scores = [.. StreamScores(x, name)];
        return scores.Length > 0 ? scores : throw new ArgumentException(Invariant($"{name} must have at least one row; the source gave none."), name);
    }

    private void CheckColumns(DataSource x, string name = "x")
    {
        if (x.Columns != InputSize)
        {
            throw new ArgumentException(Invariant($"{name} must have {InputSize} columns (one per input feature of the model); got {x.Columns} columns."), name);
        }
    }

    private IEnumerable<float> StreamScores(DataSource x, string name = "x")
    {
        int width = InputSize, block = BlockRows;
        var rows = new float[block * width];
        var raw = new float[width];
        var scores = new float[block];
        using RowReader reader = Model.OpenScoring(x);
        long done = 0;
        while (true)
        {
            int count = reader.ReadFully(rows, block);
            if (count == 0)
            {
                yield break;
            }

            RowChecks.CheckBlock(rows, count, width, done, name, ValueRule.AnyFinite);
            PrepareBlock(rows, count, raw, done, name);
            _scorer.Scores(rows.AsSpan(0, count * width), count, scores);
            for (int i = 0; i < count; i++)
            {
                yield return scores[i];
            }

            done += count;
        }
    }

    /// <summary>Scales a block's rows in place (when there is a scaler) and checks them against the score's domain.</summary>
    private void PrepareBlock(float[] rows, int count, float[] raw, long first, string name)
    {
        int width = InputSize;
        for (int r = 0; r < count; r++)
        {
            Span<float> row = rows.AsSpan(r * width, width);
            if (Scaler is not null)
            {
                row.CopyTo(raw);
                Scaler.Transform(raw, row);
            }

            for (int c = 0; c < width; c++)
            {
                if (!_scorer.Accepts(row[c]))
                {
                    throw OutsideDomain(name, Invariant($"row {first + r}, column {c}"), Scaler is null ? row[c] : raw[c], row[c]);
                }
            }
        }
    }
}

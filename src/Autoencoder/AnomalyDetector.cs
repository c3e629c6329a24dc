using Autoencoder.Anomaly;
using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder;

/// <summary>
/// Flags unusual rows with a trained autoencoder: a row the model reconstructs badly gets a high
/// score, and a score above <see cref="Threshold"/> marks an anomaly. Train the model on normal
/// data only (or mostly), fit a threshold, then score new rows.
/// </summary>
/// <remarks>
/// <para>
/// A detector applies its optional <see cref="Scaler"/> to every input before scoring, so inputs
/// are always given in their original units. <see cref="Fit(AutoencoderModel, Matrix{float}, FeatureScaling, TrainingOptions?, double, CancellationToken)"/> does everything at once: it fits a
/// scaler, trains the model on the scaled data and sets the threshold from a contamination rate,
/// as PyOD's <c>AutoEncoder.fit</c> does.
/// </para>
/// <para>
/// Thresholds: <see cref="FitThreshold(Matrix{float}, double)"/> targets a false-positive rate on clean held-out rows,
/// <see cref="FitThresholdByContamination(Matrix{float}, double)"/> follows PyOD's contamination convention on the
/// training rows, and <see cref="Threshold"/> can be set directly. Both fitted thresholds are
/// sample quantiles by linear interpolation (numpy's default): with the n scores sorted as
/// <c>s[0] ≤ … ≤ s[n−1]</c> and <c>h = (n − 1)·q</c>, the q quantile is
/// <c>s[⌊h⌋] + (h − ⌊h⌋)·(s[⌊h⌋+1] − s[⌊h⌋])</c>, computed in double and rounded down to a float
/// (which leaves exactly the same scores above it). A row is an anomaly when its score is strictly
/// greater than the threshold (PyOD's <c>scores &gt; threshold_</c>).
/// </para>
/// <para>
/// A row's score depends only on that row and the model, never on the other rows scored with it.
/// Thread safety: any number of threads may score at once (scratch memory is per call); each call
/// reads <see cref="Threshold"/> once, so a call that runs while another thread sets it uses either
/// the old or the new value for all its rows. Training the model (<see cref="AutoencoderModel.Fit(Autoencoder.Data.DataSource, TrainingOptions?, CancellationToken)"/>)
/// must not overlap scoring.
/// </para>
/// </remarks>
public sealed partial class AnomalyDetector
{
    /// <summary>PyOD's default share of outliers in the training data, 0.1.</summary>
    public const double DefaultContamination = 0.1;

    /// <summary>The largest contamination PyOD accepts, 0.5.</summary>
    public const double MaxContamination = 0.5;

    private readonly IRowScorer _scorer;

    // NaN when no threshold is set. A float, like the scores it is compared with, so that a threshold
    // typed as a decimal (0.4) means the float a score would print as. Read and written whole.
    private float _threshold = float.NaN;

    /// <summary>Creates a detector that scores rows with <paramref name="model"/>, which should already be trained.</summary>
    /// <param name="model">The trained autoencoder; it is used, not copied, so later training changes the scores.</param>
    /// <param name="score">The score of a row; match the loss the model was trained with.</param>
    /// <param name="scaler">
    /// Applied to every input before scoring: the scaler whose output the model was trained on, or
    /// null when the model was trained on raw data.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="score"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="scaler"/> was fitted on other than <see cref="AutoencoderModel.InputSize"/> features,
    /// a reconstruction-probability score was asked of a plain model, or the score is
    /// <see cref="AnomalyScore.ReconstructionLoss"/> (which needs its loss: use the constructor taking a <see cref="Loss"/>).
    /// </exception>
    public AnomalyDetector(AutoencoderModel model, AnomalyScore score, FeatureScaler? scaler = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Guard.Defined(score);
        if (scaler is not null && scaler.FeatureCount != model.InputSize)
        {
            throw new ArgumentException(
                Invariant($"scaler must have been fitted on {model.InputSize} features (the model's input size); got {scaler.FeatureCount}."), nameof(scaler));
        }

        Model = model;
        ScoreKind = score;
        Scaler = scaler;
        _scorer = score switch
        {
            AnomalyScore.ReconstructionLoss => throw new ArgumentException(
                Invariant($"score {score} needs its loss: use the constructor that takes a {nameof(Loss)}."), nameof(score)),
            AnomalyScore.MeanSquaredError => new ReconstructionErrorScorer(model.Network, Loss.MeanSquaredError),
            AnomalyScore.BinaryCrossEntropy => new ReconstructionErrorScorer(model.Network, Loss.BinaryCrossEntropy),
            AnomalyScore.BernoulliReconstructionProbability when model.IsVariational => new ReconstructionProbabilityScorer(model.Network, Loss.BinaryCrossEntropy),
            AnomalyScore.GaussianReconstructionProbability when model.IsVariational => new ReconstructionProbabilityScorer(model.Network, Loss.MeanSquaredError),
            AnomalyScore.BernoulliReconstructionProbability or AnomalyScore.GaussianReconstructionProbability => throw new ArgumentException(
                Invariant($"score {score} needs a variational model (built with {nameof(AutoencoderBuilder)}.{nameof(AutoencoderBuilder.WithVariationalLatent)}); got a plain autoencoder."), nameof(score)),
            _ => throw new ArgumentOutOfRangeException(nameof(score), Invariant($"score must be one of {string.Join(", ", Enum.GetNames<AnomalyScore>())}; got {score}.")),
        };
    }

    /// <summary>
    /// A detector that scores each row by its mean reconstruction loss under <paramref name="loss"/>
    /// (built in or your own), as <see cref="AutoencoderModel.ReconstructionErrors(MathNet.Numerics.LinearAlgebra.Matrix{float}, Loss)"/> with that loss.
    /// <see cref="ScoreKind"/> is <see cref="AnomalyScore.MeanSquaredError"/> or
    /// <see cref="AnomalyScore.BinaryCrossEntropy"/> for those two losses, else
    /// <see cref="AnomalyScore.ReconstructionLoss"/>. Only a built-in loss can be saved with the detector.
    /// </summary>
    /// <param name="model">The trained autoencoder.</param>
    /// <param name="loss">The per-element loss; match the loss the model was trained with.</param>
    /// <param name="scaler">Applied to every input before scoring, or null (see the other constructor).</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="loss"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="scaler"/> was fitted on other than <see cref="AutoencoderModel.InputSize"/> features.</exception>
    public AnomalyDetector(AutoencoderModel model, Loss loss, FeatureScaler? scaler = null)
        : this(model, KindOf(loss), scaler, loss)
    {
    }

    private AnomalyDetector(AutoencoderModel model, AnomalyScore kind, FeatureScaler? scaler, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (scaler is not null && scaler.FeatureCount != model.InputSize)
        {
            throw new ArgumentException(
                Invariant($"scaler must have been fitted on {model.InputSize} features (the model's input size); got {scaler.FeatureCount}."), nameof(scaler));
        }

        Model = model;
        ScoreKind = kind;
        Scaler = scaler;
        _scorer = new ReconstructionErrorScorer(model.Network, loss);
    }

    /// <summary>Rebuilds a detector scoring by a loss from its saved parts (threshold null when unset).</summary>
    internal AnomalyDetector(AutoencoderModel model, Loss loss, FeatureScaler? scaler, float? threshold)
        : this(model, loss, scaler)
    {
        Threshold = threshold;
    }

    private static AnomalyScore KindOf(Loss loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return loss == Loss.MeanSquaredError ? AnomalyScore.MeanSquaredError
            : loss == Loss.BinaryCrossEntropy ? AnomalyScore.BinaryCrossEntropy
            : AnomalyScore.ReconstructionLoss;
    }

    /// <summary>Rebuilds a detector from its saved parts (the model, the score kind, the scaler and the threshold, null when unset).</summary>
    /// <exception cref="ArgumentException">The parts do not fit together, or <paramref name="threshold"/> is NaN.</exception>
    internal AnomalyDetector(AutoencoderModel model, AnomalyScore score, FeatureScaler? scaler, float? threshold)
        : this(model, score, scaler)
    {
        Threshold = threshold;
    }

    /// <summary>The autoencoder that reconstructs the rows.</summary>
    public AutoencoderModel Model { get; }

    /// <summary>What is measured for each row.</summary>
    public AnomalyScore ScoreKind { get; }

    /// <summary>The scaler applied to every input before scoring, or null when inputs are scored as given.</summary>
    public FeatureScaler? Scaler { get; }

    /// <summary>Features per row (the model's input size).</summary>
    public int InputSize => Model.InputSize;

    /// <summary>
    /// What <see cref="Fit(AutoencoderModel, Matrix{float}, FeatureScaling, TrainingOptions?, double, CancellationToken)"/>'s
    /// training did (the epochs, their losses, why it stopped, the best epoch); null for a detector
    /// built from a model or loaded from a file (files keep no history).
    /// </summary>
    public TrainingHistory? TrainingHistory { get; private init; }

    /// <summary>The loss a reconstruction-error score uses (mean squared error, binary cross-entropy or the loss given); null for a reconstruction probability.</summary>
    public Loss? ReconstructionLoss => _scorer is ReconstructionErrorScorer r ? r.Loss : null;

    /// <summary>One score per row of <paramref name="x"/> (original units; scaled here when there is a <see cref="Scaler"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="x"/> is empty, has other than <see cref="InputSize"/> columns or holds NaN or
    /// infinity; or a scaled value is outside the score's domain (binary cross-entropy: [0, 1]),
    /// which the message names by row and column.
    /// </exception>
    public Vector<float> Scores(Matrix<float> x) => Vector<float>.Build.Dense(ScoresOf(x));

    /// <summary>The score of one row, without allocating on the managed heap (scratch memory is pooled).</summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="row"/> does not have <see cref="InputSize"/> values, holds NaN or infinity,
    /// or a scaled value is outside the score's domain.
    /// </exception>
    public float Score(ReadOnlySpan<float> row)
    {
        float[] scaled = Model.Network.Scratch.Floats.Rent(InputSize);
        try
        {
            Span<float> prepared = Prepare(row, scaled);
            Span<float> score = stackalloc float[1];
            _scorer.Scores(prepared, 1, score);
            return score[0];
        }
        finally
        {
            Model.Network.Scratch.Floats.Return(scaled);
        }
    }

    /// <summary>Whether one row's score is strictly above <see cref="Threshold"/>.</summary>
    /// <exception cref="InvalidOperationException">No threshold is set.</exception>
    /// <exception cref="ArgumentException">As <see cref="Score"/>.</exception>
    public bool IsAnomaly(ReadOnlySpan<float> row)
    {
        float threshold = RequireThreshold();
        return Score(row) > threshold;
    }

    /// <summary>
    /// For each row of <paramref name="x"/>, whether its score is strictly above
    /// <see cref="Threshold"/>: <see langword="true"/> is PyOD's label 1 (outlier),
    /// <see langword="false"/> its 0 (inlier).
    /// </summary>
    /// <exception cref="InvalidOperationException">No threshold is set.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Scores(Matrix{float})"/>.</exception>
    public bool[] Predict(Matrix<float> x)
    {
        float threshold = RequireThreshold();
        Vector<float> scores = Scores(x);
        var flags = new bool[scores.Count];
        for (int i = 0; i < flags.Length; i++)
        {
            flags[i] = scores[i] > threshold;
        }

        return flags;
    }

    /// <summary>
    /// Writes each feature's share of the row's score into <paramref name="contributions"/>, in
    /// the original feature order: the feature's loss term / n on the scaled values (for mean squared
    /// error <c>(x̂ᵢ − xᵢ)² / n</c>, for binary cross-entropy its cross-entropy term / n; n =
    /// <see cref="InputSize"/>), or its share of a reconstruction probability. They sum to
    /// <see cref="Score"/> up to float rounding (and are non-negative for every built-in loss), so
    /// sorting them names the features that make a row anomalous.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A span does not have <see cref="InputSize"/> values, or <paramref name="row"/> is not
    /// accepted by <see cref="Score"/>.
    /// </exception>
    public void Contributions(ReadOnlySpan<float> row, Span<float> contributions)
    {
        if (contributions.Length != InputSize)
        {
            throw new ArgumentException(Invariant($"contributions must have length {InputSize}; got {contributions.Length}."), nameof(contributions));
        }

        float[] scaled = Model.Network.Scratch.Floats.Rent(InputSize);
        try
        {
            _scorer.Contributions(Prepare(row, scaled), 1, contributions);
        }
        finally
        {
            Model.Network.Scratch.Floats.Return(scaled);
        }
    }

    /// <summary>
    /// Each feature's share of each row's score (see <see cref="Contributions(ReadOnlySpan{float}, Span{float})"/>):
    /// an <c>N × InputSize</c> matrix whose rows sum to <see cref="Scores(Matrix{float})"/> up to float rounding.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Scores(Matrix{float})"/>.</exception>
    public Matrix<float> Contributions(Matrix<float> x)
    {
        Guard.Data(x, InputSize, "one per input feature of the model");
        int total = x.RowCount, width = InputSize;
        Guard.ResultSize(total, width, "an N × InputSize matrix of contributions", nameof(x));
        var result = new float[total * width];
        float[] block = Model.Network.Scratch.Floats.Rent(Math.Min(total, BlockRows) * width);
        try
        {
            ForEachBlock(x, (rows, start, count) =>
            {
                Span<float> shares = block.AsSpan(0, count * width);
                _scorer.Contributions(rows, count, shares);
                RowMajor.WriteRows(shares, count, width, result, total, start);
            });
        }
        finally
        {
            Model.Network.Scratch.Floats.Return(block);
        }

        return Matrix<float>.Build.Dense(total, width, result);
    }

    /// <summary>Rows scored per block: the model's inference block, bounded by scratch bytes.</summary>
    private int BlockRows => Model.Network.InferenceBlockRows;

    private float[] ScoresOf(Matrix<float> x, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(x))] string? name = null)
    {
        Guard.Data(x, InputSize, "one per input feature of the model", name);
        var scores = new float[x.RowCount];
        ForEachBlock(x, (rows, start, count) => _scorer.Scores(rows, count, scores.AsSpan(start, count)), name);
        return scores;
    }

    /// <summary>Checks one row, writes it scaled into <paramref name="buffer"/> and returns that part of it.</summary>
    private Span<float> Prepare(ReadOnlySpan<float> row, float[] buffer)
    {
        if (row.Length != InputSize)
        {
            throw new ArgumentException(Invariant($"row must have length {InputSize}; got {row.Length}."), nameof(row));
        }

        Span<float> scaled = buffer.AsSpan(0, InputSize);
        if (Scaler is null)
        {
            for (int c = 0; c < row.Length; c++)
            {
                if (!float.IsFinite(row[c]))
                {
                    throw new ArgumentException(Invariant($"row must contain only finite values; got {row[c]} at index {c}."), nameof(row));
                }
            }

            row.CopyTo(scaled);
        }
        else
        {
            Scaler.Transform(row, scaled);
        }

        for (int c = 0; c < scaled.Length; c++)
        {
            if (!_scorer.Accepts(scaled[c]))
            {
                throw OutsideDomain("row", Invariant($"index {c}"), row[c], scaled[c]);
            }
        }

        return scaled;
    }

    /// <summary>
    /// Runs <paramref name="action"/> on blocks of at most <see cref="BlockRows"/> rows of
    /// <paramref name="x"/> (checked by the caller), each copied row-major, scaled and checked
    /// against the score's domain; the block's first row index and row count are passed along.
    /// </summary>
    private void ForEachBlock(Matrix<float> x, BlockAction action, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(x))] string? name = null)
    {
        int width = InputSize;
        int block = Math.Min(x.RowCount, BlockRows);
        float[] rows = Model.Network.Scratch.Floats.Rent(block * width);
        float[] raw = Scaler is null ? [] : Model.Network.Scratch.Floats.Rent(width);
        try
        {
            for (int start = 0; start < x.RowCount; start += block)
            {
                int count = Math.Min(block, x.RowCount - start);
                RowMajor.CopyRows(x, start, count, rows);
                for (int r = 0; r < count; r++)
                {
                    Span<float> row = rows.AsSpan(r * width, width);
                    if (Scaler is not null)
                    {
                        row.CopyTo(raw);
                        Scaler.Transform(raw.AsSpan(0, width), row);
                    }

                    for (int c = 0; c < width; c++)
                    {
                        if (!_scorer.Accepts(row[c]))
                        {
                            float original = Scaler is null ? row[c] : raw[c];
                            throw OutsideDomain(name!, Invariant($"row {start + r}, column {c}"), original, row[c]);
                        }
                    }
                }

                action(rows.AsSpan(0, count * width), start, count);
            }
        }
        finally
        {
            Model.Network.Scratch.Floats.Return(rows);
            if (Scaler is not null)
            {
                Model.Network.Scratch.Floats.Return(raw);
            }
        }
    }

    private ArgumentException OutsideDomain(string name, string where, float original, float scaled)
    {
        string value = Scaler is null
            ? Invariant($"{original}")
            : Invariant($"{original}, scaled to {scaled} (outside the range the scaler was fitted on)");
        string what = Scaler is null ? "" : " after scaling";
        return new ArgumentException(
            Invariant($"{name} must lie in {_scorer.Domain}{what}; got {value} at {where}. ") +
            "Score data that can leave the training range with mean squared error.",
            name);
    }

    private delegate void BlockAction(ReadOnlySpan<float> rows, int start, int count);
}

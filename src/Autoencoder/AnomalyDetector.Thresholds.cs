using Autoencoder.Evaluation;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder;

public sealed partial class AnomalyDetector
{
    /// <summary>
    /// Rows scoring strictly above this value are anomalies; null until set directly or by
    /// <see cref="FitThreshold(Matrix{float}, double)"/>, <see cref="FitThresholdByContamination(Matrix{float}, double)"/> or <see cref="Fit(AutoencoderModel, Matrix{float}, Data.FeatureScaling, TrainingOptions?, double, CancellationToken)"/>.
    /// Setting null clears it. Infinities are allowed (+∞ flags nothing, −∞ everything).
    /// </summary>
    /// <exception cref="ArgumentException">Set to NaN.</exception>
    public float? Threshold
    {
        get
        {
            float value = Volatile.Read(ref _threshold);
            return float.IsNaN(value) ? null : value;
        }

        set
        {
            if (value is float v && float.IsNaN(v))
            {
                throw new ArgumentException("Threshold must be a number or null; got NaN.", nameof(value));
            }

            Volatile.Write(ref _threshold, value ?? float.NaN);
        }
    }

    /// <summary>
    /// Sets <see cref="Threshold"/> so that about <paramref name="falsePositiveRate"/> of normal rows
    /// score above it: the <c>1 − falsePositiveRate</c> quantile (linear interpolation, see the
    /// remarks) of the scores of <paramref name="clean"/>, rows known to be normal and not used
    /// for training. On those rows themselves the share flagged is <c>⌈(n − 1)·rate⌉ / n</c> when
    /// their scores are distinct (rate 0: the largest score, so none is flagged).
    /// </summary>
    /// <returns>The new threshold.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="clean"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="falsePositiveRate"/> is not in [0, 1).</exception>
    /// <exception cref="ArgumentException">As <see cref="Scores(Matrix{float})"/>.</exception>
    public float FitThreshold(Matrix<float> clean, double falsePositiveRate)
    {
        Guard.InRange(falsePositiveRate, 0, 1, maxInclusive: false);
        return SetQuantileThreshold(clean, 1 - falsePositiveRate);
    }

    /// <summary>
    /// Sets <see cref="Threshold"/> by PyOD's contamination convention: the
    /// <c>100·(1 − contamination)</c> percentile (numpy's default, linear interpolation) of the
    /// scores of <paramref name="train"/>, the rows the model was trained on, so that about that
    /// share of them is flagged.
    /// </summary>
    /// <param name="train">The training rows, in original units.</param>
    /// <param name="contamination">The expected share of anomalies among them, in (0, 0.5]; PyOD's default 0.1.</param>
    /// <returns>The new threshold.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="train"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="contamination"/> is not in (0, 0.5].</exception>
    /// <exception cref="ArgumentException">As <see cref="Scores(Matrix{float})"/>.</exception>
    public float FitThresholdByContamination(Matrix<float> train, double contamination = DefaultContamination)
    {
        CheckContamination(contamination);
        return SetQuantileThreshold(train, 1 - contamination);
    }

    private float SetQuantileThreshold(Matrix<float> x, double q, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(x))] string? name = null) =>
        SetQuantileThreshold(ScoresOf(x, name), q, name!);

    private float SetQuantileThreshold(float[] scores, double q, string name)
    {
        double quantile = Quantile.Linear(scores, q);
        if (double.IsNaN(quantile))
        {
            throw new ArgumentException(Invariant($"{name} must give comparable scores; their {q} quantile is NaN."), name);
        }

        // Rounded down to a float: the quantile lies in [s[k], s[k+1]) of two float scores, and so
        // does the rounded value, so exactly the same scores are strictly above it.
        float threshold = (float)quantile;
        if (threshold > quantile)
        {
            threshold = MathF.BitDecrement(threshold);
        }

        Threshold = threshold;
        return threshold;
    }

    private static void CheckContamination(double contamination)
    {
        if (!(contamination > 0 && contamination <= MaxContamination))
        {
            throw new ArgumentOutOfRangeException(
                nameof(contamination), Invariant($"contamination must be in (0, {MaxContamination}]; got {contamination}."));
        }
    }

    private float RequireThreshold()
    {
        float threshold = Volatile.Read(ref _threshold);
        if (float.IsNaN(threshold))
        {
            throw new InvalidOperationException(
                $"No threshold is set: call {nameof(FitThreshold)} or {nameof(FitThresholdByContamination)}, or set {nameof(Threshold)}.");
        }

        return threshold;
    }
}

namespace Autoencoder.Evaluation;

/// <summary>
/// Counts of a yes/no decision against the truth (positive = anomaly), as returned by
/// <see cref="Metrics.AtThreshold"/>, with the usual rates. Every count is non-negative; the rates
/// are computed in double, so counts up to <see cref="int.MaxValue"/> do not overflow.
/// </summary>
/// <param name="TruePositives">Positives flagged.</param>
/// <param name="FalsePositives">Negatives flagged.</param>
/// <param name="TrueNegatives">Negatives not flagged.</param>
/// <param name="FalseNegatives">Positives not flagged.</param>
/// <exception cref="ArgumentOutOfRangeException">A count is negative (also through <c>with</c>); the exception names the count.</exception>
public readonly record struct BinaryConfusion(int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
{
    private readonly int _truePositives = Count(TruePositives, nameof(TruePositives));
    private readonly int _falsePositives = Count(FalsePositives, nameof(FalsePositives));
    private readonly int _trueNegatives = Count(TrueNegatives, nameof(TrueNegatives));
    private readonly int _falseNegatives = Count(FalseNegatives, nameof(FalseNegatives));

    /// <summary>Positives flagged.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
    public int TruePositives
    {
        get => _truePositives;
        init => _truePositives = Count(value, nameof(TruePositives));
    }

    /// <summary>Negatives flagged.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
    public int FalsePositives
    {
        get => _falsePositives;
        init => _falsePositives = Count(value, nameof(FalsePositives));
    }

    /// <summary>Negatives not flagged.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
    public int TrueNegatives
    {
        get => _trueNegatives;
        init => _trueNegatives = Count(value, nameof(TrueNegatives));
    }

    /// <summary>Positives not flagged.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
    public int FalseNegatives
    {
        get => _falseNegatives;
        init => _falseNegatives = Count(value, nameof(FalseNegatives));
    }

    /// <summary>
    /// <c>TP / (TP + FP)</c>: the share of flagged rows that are positive; NaN when nothing is
    /// flagged (undefined, and not reported as 0 or 1).
    /// </summary>
    public double Precision => Ratio(TruePositives, (double)TruePositives + FalsePositives);

    /// <summary><c>TP / (TP + FN)</c>: the share of positives flagged (true positive rate); NaN when there are no positives.</summary>
    public double Recall => Ratio(TruePositives, (double)TruePositives + FalseNegatives);

    /// <summary><c>FP / (FP + TN)</c>: the share of negatives flagged; NaN when there are no negatives.</summary>
    public double FalsePositiveRate => Ratio(FalsePositives, (double)FalsePositives + TrueNegatives);

    /// <summary>
    /// <c>2·TP / (2·TP + FP + FN)</c>, the harmonic mean of precision and recall; NaN when there
    /// are no positives and nothing is flagged.
    /// </summary>
    public double F1 => Ratio(2.0 * TruePositives, (2.0 * TruePositives) + FalsePositives + FalseNegatives);

    private static double Ratio(double numerator, double denominator) => denominator == 0 ? double.NaN : numerator / denominator;

    private static int Count(int value, string name) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(name, Invariant($"{name} must be non-negative (a count); got {value}."));
}

namespace Autoencoder.Evaluation;

/// <summary>
/// Counts of a yes/no decision against the truth (positive = anomaly), as returned by
/// <see cref="Metrics.AtThreshold"/>, with the usual rates.
/// </summary>
/// <param name="TruePositives">Positives flagged.</param>
/// <param name="FalsePositives">Negatives flagged.</param>
/// <param name="TrueNegatives">Negatives not flagged.</param>
/// <param name="FalseNegatives">Positives not flagged.</param>
public readonly record struct BinaryConfusion(int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives)
{
    /// <summary>
    /// <c>TP / (TP + FP)</c>: the share of flagged rows that are positive; NaN when nothing is
    /// flagged (undefined, and not reported as 0 or 1).
    /// </summary>
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);

    /// <summary><c>TP / (TP + FN)</c>: the share of positives flagged (true positive rate); NaN when there are no positives.</summary>
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary><c>FP / (FP + TN)</c>: the share of negatives flagged; NaN when there are no negatives.</summary>
    public double FalsePositiveRate => Ratio(FalsePositives, FalsePositives + TrueNegatives);

    /// <summary>
    /// <c>2·TP / (2·TP + FP + FN)</c>, the harmonic mean of precision and recall; NaN when there
    /// are no positives and nothing is flagged.
    /// </summary>
    public double F1 => Ratio(2.0 * TruePositives, (2.0 * TruePositives) + FalsePositives + FalseNegatives);

    private static double Ratio(double numerator, double denominator) => denominator == 0 ? double.NaN : numerator / denominator;
}

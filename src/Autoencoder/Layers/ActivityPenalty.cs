namespace Autoencoder.Layers;

/// <summary>
/// tf.keras 2's <c>activity_regularizer</c>: <c>(l1·Σ|a| + l2·Σa²) / rows</c> over a layer's
/// outputs, with gradient <c>(l1·sign(a) + 2·l2·a) / rows</c>.
/// </summary>
internal sealed class ActivityPenalty(double l1, double l2) : OutputPenalty
{
    /// <summary>Weight of the L1 term.</summary>
    public double L1 { get; } = l1;

    /// <summary>Weight of the L2 term.</summary>
    public double L2 { get; } = l2;

    /// <inheritdoc/>
    public override double Apply(ReadOnlySpan<float> a, int rows, Span<float> dA, Span<double> scratch)
    {
        double sum = 0;
        double scale = 1.0 / rows;
        for (int i = 0; i < a.Length; i++)
        {
            double v = a[i];
            sum += (L1 * Math.Abs(v)) + (L2 * v * v);
            dA[i] += (float)(scale * ((L1 * Math.Sign(v)) + (2 * L2 * v)));
        }

        return sum * scale;
    }
}

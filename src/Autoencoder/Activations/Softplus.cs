namespace Autoencoder.Activations;

/// <summary>
/// Softplus: <c>f(z) = ln(1 + e^z) = max(z, 0) + ln(1 + e^(−|z|))</c> (the second form never
/// overflows); <c>f′(z) = σ(z)</c>.
/// </summary>
internal static class Softplus
{
    public static void Forward(ReadOnlySpan<float> z, Span<float> a)
    {
        for (int i = 0; i < z.Length; i++)
        {
            double v = z[i];
            a[i] = (float)(Math.Max(v, 0.0) + Log1p(Math.Exp(-Math.Abs(v))));
        }
    }

    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> dA, Span<float> dZ)
    {
        for (int i = 0; i < z.Length; i++)
        {
            dZ[i] = dA[i] * Sigmoid.Value(z[i]);
        }
    }

    /// <summary>ln(1 + x) for x ≥ 0, accurate for tiny x where 1 + x rounds to 1.</summary>
    private static double Log1p(double x) => x < 1e-4 ? x * (1.0 - x * (0.5 - x / 3.0)) : Math.Log(1.0 + x);
}

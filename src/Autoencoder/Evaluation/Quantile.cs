namespace Autoencoder.Evaluation;

/// <summary>Sample quantiles by linear interpolation between order statistics (numpy's default, <c>method='linear'</c>).</summary>
internal static class Quantile
{
    /// <summary>
    /// The <paramref name="q"/> quantile of <paramref name="values"/>: with the values sorted
    /// ascending as <c>s[0] ≤ … ≤ s[n−1]</c> and <c>h = (n − 1)·q</c>, it is
    /// <c>s[⌊h⌋] + (h − ⌊h⌋)·(s[⌊h⌋ + 1] − s[⌊h⌋])</c> (Hyndman and Fan's type 7, numpy's
    /// <c>quantile</c>/<c>percentile</c> default). Computed in double; <paramref name="values"/> is not changed.
    /// </summary>
    public static double Linear(ReadOnlySpan<float> values, double q)
    {
        System.Diagnostics.Debug.Assert(values.Length > 0 && q >= 0 && q <= 1);
        float[] sorted = values.ToArray();
        Array.Sort(sorted);
        double h = (sorted.Length - 1) * q;
        int below = (int)Math.Floor(h);
        if (below >= sorted.Length - 1)
        {
            return sorted[^1];
        }

        double fraction = h - below;
        double low = sorted[below], high = sorted[below + 1];
        // Equal neighbours (infinite ones included) need no interpolation, which would give ∞ − ∞.
        return fraction == 0 || high == low ? low : low + (fraction * (high - low));
    }
}

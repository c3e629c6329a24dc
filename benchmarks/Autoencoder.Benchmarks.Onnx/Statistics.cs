namespace Autoencoder.Benchmarks.Onnx;

/// <summary>Order statistics of the timings.</summary>
internal static class Statistics
{
    /// <summary>The median, the mean of the two middle values when their count is even.</summary>
    public static double Median(IEnumerable<double> values) => Quantile(values.Order().ToArray(), 0.5);

    /// <summary>The <paramref name="q"/> quantile of sorted values, interpolating linearly between neighbours.</summary>
    public static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}

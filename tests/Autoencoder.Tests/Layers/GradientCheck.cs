namespace Autoencoder.Tests.Layers;

/// <summary>Central finite differences of a double loss against a float backward pass, for the layer tests.</summary>
internal static class GradientCheck
{
    /// <summary>
    /// Relative agreement expected between float32 backpropagation and double finite differences:
    /// the analytic side carries float rounding of sums (~1e-6 relative), so 1e-3 leaves ample
    /// margin while a wrong term (a missed tap, a shifted window) is off by O(1).
    /// </summary>
    public const double RelativeTolerance = 1e-3;

    /// <summary>Step of the central difference in double.</summary>
    public const double Step = 1e-6;

    /// <summary>
    /// Moves each of <paramref name="values"/> from <paramref name="first"/> on by ±<see cref="Step"/>,
    /// evaluates <paramref name="loss"/> (which reads them) and compares the central difference with
    /// <paramref name="gradient"/> at the same index.
    /// </summary>
    public static void Check(string what, double[] values, int first, float[] gradient, Func<double> loss)
    {
        double scale = gradient.Skip(first).Max(g => Math.Abs(g));
        Assert.True(scale > 0, $"{what}: every gradient is zero, so the check could not fail");
        for (int i = first; i < values.Length; i++)
        {
            double saved = values[i];
            values[i] = saved + Step;
            double plus = loss();
            values[i] = saved - Step;
            double minus = loss();
            values[i] = saved;
            double expected = (plus - minus) / (2 * Step);
            Assert.True(
                Math.Abs(gradient[i] - expected) <= RelativeTolerance * Math.Max(Math.Abs(expected), 1e-2 * scale),
                $"{what} {i} of {values.Length}: expected {expected:E6}, got {gradient[i]:E6}");
        }
    }
}

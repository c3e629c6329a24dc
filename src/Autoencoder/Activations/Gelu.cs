namespace Autoencoder.Activations;

/// <summary>
/// GELU, exact form (PyTorch's and Keras' default): <c>f(z) = z·Φ(z)</c>,
/// <c>f′(z) = Φ(z) + z·φ(z)</c>, with Φ the standard normal CDF and φ its density.
/// </summary>
internal static class Gelu
{
    private const double InvSqrt2 = 0.70710678118654752440;
    private const double InvSqrt2Pi = 0.39894228040143267794;

    public static void Forward(ReadOnlySpan<float> z, Span<float> a)
    {
        for (int i = 0; i < z.Length; i++)
        {
            double v = z[i];
            a[i] = (float)(v * NormalCdf(v));
        }
    }

    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> dA, Span<float> dZ)
    {
        for (int i = 0; i < z.Length; i++)
        {
            double v = z[i];
            double derivative = NormalCdf(v) + v * InvSqrt2Pi * Math.Exp(-0.5 * v * v);
            dZ[i] = (float)(dA[i] * derivative);
        }
    }

    /// <summary>Φ(z) = erfc(−z/√2) / 2.</summary>
    public static double NormalCdf(double z) => 0.5 * Erfc(-z * InvSqrt2);

    /// <summary>
    /// Complementary error function by the Chebyshev-fitted formula of Numerical Recipes
    /// (“erfcc”), fractional error below 1.2e-7 everywhere: ample for float outputs, smooth (so
    /// its finite differences agree with <see cref="Backward"/>), and free of cancellation in the
    /// tails where <c>1 − erf</c> would lose every digit.
    /// </summary>
    public static double Erfc(double x)
    {
        double ax = Math.Abs(x);
        double t = 1.0 / (1.0 + 0.5 * ax);
        double poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
        double r = t * Math.Exp(-ax * ax + poly);
        return x >= 0 ? r : 2.0 - r;
    }
}

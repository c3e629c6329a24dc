using MathNet.Numerics;

namespace Autoencoder.Activations;

/// <summary>
/// First and second derivatives of each activation at one point, in double: what the contractive
/// penalty needs (its gradient involves <c>f″</c>). Scalar on purpose: it runs on a batch × latent
/// block once per step, far from the hot path.
/// </summary>
internal static class ActivationCurvature
{
    private const double InverseSqrt2Pi = 0.3989422804014327;

    /// <summary><c>(f′(z), f″(z))</c>; <paramref name="a"/> is <c>f(z)</c>, used where it is the cheaper form.</summary>
    public static (double First, double Second) At(Activation activation, double z, double a) => activation switch
    {
        Activation.Identity => (1, 0),
        Activation.Relu => (z > 0 ? 1 : 0, 0),
        Activation.LeakyRelu => (z > 0 ? 1 : LeakyRelu.Slope, 0),
        Activation.Sigmoid => (a * (1 - a), a * (1 - a) * (1 - 2 * a)),
        Activation.Tanh => (1 - a * a, -2 * a * (1 - a * a)),
        Activation.Elu => z > 0 ? (1, 0) : (Math.Exp(z), Math.Exp(z)),
        Activation.Gelu => Gelu(z),
        Activation.Softplus => Softplus(z),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), Invariant($"Unknown activation; got {activation}.")),
    };

    private static (double, double) Gelu(double z)
    {
        // f = z·Φ(z): f′ = Φ(z) + z·φ(z), f″ = φ(z)·(2 − z²).
        double phi = InverseSqrt2Pi * Math.Exp(-0.5 * z * z);
        double cdf = 0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2));
        return (cdf + z * phi, phi * (2 - z * z));
    }

    private static (double, double) Softplus(double z)
    {
        // f′ = σ(z), f″ = σ(z)·(1 − σ(z)).
        double s = z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
        return (s, s * (1 - s));
    }
}

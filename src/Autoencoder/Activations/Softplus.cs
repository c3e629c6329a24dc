using System.Runtime.Intrinsics;
using Autoencoder.Kernels;

namespace Autoencoder.Activations;

/// <summary>
/// Softplus: <c>f(z) = ln(1 + e^z) = max(z, 0) + ln(1 + e^(−|z|))</c> (the second form never
/// overflows); <c>f′(z) = σ(z)</c>.
/// </summary>
/// <remarks>
/// Both kernels are hand-written. TensorPrimitives has no softplus, and its <c>LogP1</c> evaluates
/// <c>ln(1 + x)</c> directly, which loses the relative precision of tiny <c>x = e^(−|z|)</c> (the
/// whole value for very negative z). The backward pass needs σ(z) times <c>dA</c>; TensorPrimitives'
/// Sigmoid followed by Multiply would overwrite <c>dA</c> when the kernel runs in place.
/// </remarks>
internal static class Softplus
{
    public static void Forward(ReadOnlySpan<float> z, Span<float> a) => ElementwiseDriver.Apply(default(ForwardOperator), z, a);

    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> dA, Span<float> dZ) =>
        ElementwiseDriver.Apply(default(BackwardOperator), z, dA, dZ);

    /// <summary>Scalar reference for <see cref="Forward"/>.</summary>
    public static void ForwardReference(ReadOnlySpan<float> z, Span<float> a)
    {
        for (int i = 0; i < z.Length; i++)
        {
            a[i] = Value(z[i]);
        }
    }

    /// <summary>Scalar reference for <see cref="Backward"/>.</summary>
    public static void BackwardReference(ReadOnlySpan<float> z, ReadOnlySpan<float> dA, Span<float> dZ)
    {
        for (int i = 0; i < z.Length; i++)
        {
            dZ[i] = dA[i] * Sigmoid.Value(z[i]);
        }
    }

    private static float Value(float z)
    {
        double v = z;
        return (float)(Math.Max(v, 0.0) + Log1p(Math.Exp(-Math.Abs(v))));
    }

    /// <summary>ln(1 + x) for x ≥ 0, accurate for tiny x where 1 + x rounds to 1.</summary>
    private static double Log1p(double x) => x < 1e-4 ? x * (1.0 - x * (0.5 - x / 3.0)) : Math.Log(1.0 + x);

    /// <summary>
    /// <c>z → max(z, 0) + ln(1 + e)</c> with <c>e = e^(−|z|)</c> ∈ [0, 1]. The logarithm uses
    /// Goldberg's identity <c>ln(1 + e) = ln(u)·e/(u − 1)</c> with <c>u = 1 + e</c> rounded (and
    /// <c>e</c> itself when <c>u = 1</c>): the rounding error of <c>u</c> cancels in the quotient,
    /// leaving a few ulps relative (Goldberg, “What every computer scientist should know about
    /// floating-point arithmetic”, 1991, Theorem 4). <c>u − 1</c> is exact since u ∈ [1, 2].
    /// </summary>
    private readonly struct ForwardOperator : IUnaryOperator
    {
        public float Invoke(float z) => Value(z);

        public Vector128<float> Invoke(Vector128<float> z)
        {
            Vector128<float> e = Vector128.Exp(-Vector128.Abs(z));
            Vector128<float> u = Vector128<float>.One + e;
            Vector128<float> log1p = Vector128.ConditionalSelect(
                Vector128.Equals(u, Vector128<float>.One), e, Vector128.Log(u) * (e / (u - Vector128<float>.One)));
            return Vector128.Max(z, Vector128<float>.Zero) + log1p;
        }

        public Vector256<float> Invoke(Vector256<float> z)
        {
            Vector256<float> e = Vector256.Exp(-Vector256.Abs(z));
            Vector256<float> u = Vector256<float>.One + e;
            Vector256<float> log1p = Vector256.ConditionalSelect(
                Vector256.Equals(u, Vector256<float>.One), e, Vector256.Log(u) * (e / (u - Vector256<float>.One)));
            return Vector256.Max(z, Vector256<float>.Zero) + log1p;
        }

        public Vector512<float> Invoke(Vector512<float> z)
        {
            Vector512<float> e = Vector512.Exp(-Vector512.Abs(z));
            Vector512<float> u = Vector512<float>.One + e;
            Vector512<float> log1p = Vector512.ConditionalSelect(
                Vector512.Equals(u, Vector512<float>.One), e, Vector512.Log(u) * (e / (u - Vector512<float>.One)));
            return Vector512.Max(z, Vector512<float>.Zero) + log1p;
        }
    }

    /// <summary>
    /// <c>(z, dA) → dA·σ(z)</c> with <c>e = e^(−|z|)</c>: σ = 1/(1 + e) for z ≥ 0 and e/(1 + e)
    /// otherwise, the reference's overflow-free split with one exponential per element.
    /// </summary>
    private readonly struct BackwardOperator : IBinaryOperator
    {
        public float Invoke(float z, float dA) => dA * Sigmoid.Value(z);

        public Vector128<float> Invoke(Vector128<float> z, Vector128<float> dA)
        {
            Vector128<float> e = Vector128.Exp(-Vector128.Abs(z));
            Vector128<float> q = Vector128<float>.One / (Vector128<float>.One + e);
            return dA * Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(z, Vector128<float>.Zero), q, e * q);
        }

        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> dA)
        {
            Vector256<float> e = Vector256.Exp(-Vector256.Abs(z));
            Vector256<float> q = Vector256<float>.One / (Vector256<float>.One + e);
            return dA * Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(z, Vector256<float>.Zero), q, e * q);
        }

        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> dA)
        {
            Vector512<float> e = Vector512.Exp(-Vector512.Abs(z));
            Vector512<float> q = Vector512<float>.One / (Vector512<float>.One + e);
            return dA * Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(z, Vector512<float>.Zero), q, e * q);
        }
    }
}

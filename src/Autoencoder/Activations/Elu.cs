using System.Runtime.Intrinsics;
using Autoencoder.Kernels;

namespace Autoencoder.Activations;

/// <summary>
/// ELU with α = 1: <c>f(z) = z</c> for <c>z &gt; 0</c>, else <c>e^z − 1</c>; derivative 1, or
/// <c>e^z = f(z) + 1</c> read from the output.
/// </summary>
/// <remarks>
/// Both kernels are hand-written. TensorPrimitives has no ELU, and its <c>ExpM1</c> evaluates
/// <c>e^z − 1</c> directly, which loses all relative precision for tiny |z|; it has no masked
/// select for the backward pass either.
/// </remarks>
internal static class Elu
{
    /// <summary>Below this |z| the forward kernel sums a series for <c>e^z − 1</c> instead of subtracting 1 from <c>e^z</c>.</summary>
    private const float SeriesLimit = 0.5f;

    public static void Forward(ReadOnlySpan<float> z, Span<float> a) => ElementwiseDriver.Apply(default(ForwardOperator), z, a);

    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ) =>
        ElementwiseDriver.Apply(default(BackwardOperator), z, a, dA, dZ);

    /// <summary>Scalar reference for <see cref="Forward"/>.</summary>
    public static void ForwardReference(ReadOnlySpan<float> z, Span<float> a)
    {
        for (int i = 0; i < z.Length; i++)
        {
            a[i] = Value(z[i]);
        }
    }

    /// <summary>Scalar reference for <see cref="Backward"/>.</summary>
    public static void BackwardReference(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ)
    {
        for (int i = 0; i < z.Length; i++)
        {
            dZ[i] = z[i] > 0f ? dA[i] : dA[i] * (a[i] + 1f);
        }
    }

    // e^z − 1 in double: in float it loses all relative precision for tiny |z|.
    private static float Value(float z) => z > 0f ? z : (float)(Math.Exp(z) - 1.0);

    /// <summary>
    /// <c>z → z &gt; 0 ? z : e^z − 1</c>. For −½ &lt; z ≤ 0, <c>e^z − 1</c> is the Taylor series to
    /// degree 8 (truncation below 1e-8 relative, so a few float ulps in all); below −½ it is
    /// <c>e^z − 1</c>, where the subtraction loses at most a factor 1/(1 − e^(−½)) ≈ 2.5 of relative
    /// precision, i.e. about 2 ulps.
    /// </summary>
    private readonly struct ForwardOperator : IUnaryOperator
    {
        private const float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040, C8 = 1f / 40320;

        public float Invoke(float z) => Value(z);

        public Vector128<float> Invoke(Vector128<float> z)
        {
            Vector128<float> series = Vector128.FusedMultiplyAdd(z, Vector128.Create(C8), Vector128.Create(C7));
            series = Vector128.FusedMultiplyAdd(series, z, Vector128.Create(C6));
            series = Vector128.FusedMultiplyAdd(series, z, Vector128.Create(C5));
            series = Vector128.FusedMultiplyAdd(series, z, Vector128.Create(C4));
            series = Vector128.FusedMultiplyAdd(series, z, Vector128.Create(C3));
            series = Vector128.FusedMultiplyAdd(series, z, Vector128.Create(C2));
            series = Vector128.FusedMultiplyAdd(series * z, z, z);
            Vector128<float> expM1 = Vector128.ConditionalSelect(
                Vector128.GreaterThan(z, Vector128.Create(-SeriesLimit)), series, Vector128.Exp(z) - Vector128<float>.One);
            return Vector128.ConditionalSelect(Vector128.GreaterThan(z, Vector128<float>.Zero), z, expM1);
        }

        public Vector256<float> Invoke(Vector256<float> z)
        {
            Vector256<float> series = Vector256.FusedMultiplyAdd(z, Vector256.Create(C8), Vector256.Create(C7));
            series = Vector256.FusedMultiplyAdd(series, z, Vector256.Create(C6));
            series = Vector256.FusedMultiplyAdd(series, z, Vector256.Create(C5));
            series = Vector256.FusedMultiplyAdd(series, z, Vector256.Create(C4));
            series = Vector256.FusedMultiplyAdd(series, z, Vector256.Create(C3));
            series = Vector256.FusedMultiplyAdd(series, z, Vector256.Create(C2));
            series = Vector256.FusedMultiplyAdd(series * z, z, z);
            Vector256<float> expM1 = Vector256.ConditionalSelect(
                Vector256.GreaterThan(z, Vector256.Create(-SeriesLimit)), series, Vector256.Exp(z) - Vector256<float>.One);
            return Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<float>.Zero), z, expM1);
        }

        public Vector512<float> Invoke(Vector512<float> z)
        {
            Vector512<float> series = Vector512.FusedMultiplyAdd(z, Vector512.Create(C8), Vector512.Create(C7));
            series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(C6));
            series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(C5));
            series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(C4));
            series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(C3));
            series = Vector512.FusedMultiplyAdd(series, z, Vector512.Create(C2));
            series = Vector512.FusedMultiplyAdd(series * z, z, z);
            Vector512<float> expM1 = Vector512.ConditionalSelect(
                Vector512.GreaterThan(z, Vector512.Create(-SeriesLimit)), series, Vector512.Exp(z) - Vector512<float>.One);
            return Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<float>.Zero), z, expM1);
        }
    }

    /// <summary><c>(z, a, dA) → z &gt; 0 ? dA : dA·(a + 1)</c>, in the reference's order of operations.</summary>
    private readonly struct BackwardOperator : ITernaryOperator
    {
        public float Invoke(float z, float a, float dA) => z > 0f ? dA : dA * (a + 1f);

        public Vector128<float> Invoke(Vector128<float> z, Vector128<float> a, Vector128<float> dA) =>
            Vector128.ConditionalSelect(Vector128.GreaterThan(z, Vector128<float>.Zero), dA, dA * (a + Vector128<float>.One));

        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> a, Vector256<float> dA) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<float>.Zero), dA, dA * (a + Vector256<float>.One));

        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> a, Vector512<float> dA) =>
            Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<float>.Zero), dA, dA * (a + Vector512<float>.One));
    }
}

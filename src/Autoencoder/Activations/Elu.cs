using System.Runtime.CompilerServices;
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
    public static void Forward(ReadOnlySpan<float> z, Span<float> a) => ElementwiseDriver.Apply(default(ForwardOperator), z, a);

    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ) =>
        ElementwiseDriver.Apply(default(BackwardOperator), z, a, dA, dZ);

    /// <summary>Scalar reference for <see cref="Forward"/>.</summary>
    public static void ForwardReference(ReadOnlySpan<float> z, Span<float> a)
    {
        for (int i = 0; i < z.Length; i++)
        {
            float v = z[i];
            // e^z − 1 in double: in float it loses all relative precision for tiny |z|.
            a[i] = v > 0f ? v : (float)(Math.Exp(v) - 1.0);
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

    /// <summary><c>z → z &gt; 0 ? z : e^z − 1</c>, with <see cref="ExpM1"/> (a few ulps, also for tiny |z|).</summary>
    private readonly struct ForwardOperator : IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float z) => z > 0f ? z : ExpM1.Compute(z);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> z) =>
            Vector128.ConditionalSelect(Vector128.GreaterThan(z, Vector128<float>.Zero), z, ExpM1.Compute(z));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> z) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<float>.Zero), z, ExpM1.Compute(z));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> z) =>
            Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<float>.Zero), z, ExpM1.Compute(z));
    }

    /// <summary><c>(z, a, dA) → z &gt; 0 ? dA : dA·(a + 1)</c>, in the reference's order of operations.</summary>
    private readonly struct BackwardOperator : ITernaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float z, float a, float dA) => z > 0f ? dA : dA * (a + 1f);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> z, Vector128<float> a, Vector128<float> dA) =>
            Vector128.ConditionalSelect(Vector128.GreaterThan(z, Vector128<float>.Zero), dA, dA * (a + Vector128<float>.One));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> a, Vector256<float> dA) =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<float>.Zero), dA, dA * (a + Vector256<float>.One));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> a, Vector512<float> dA) =>
            Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<float>.Zero), dA, dA * (a + Vector512<float>.One));
    }
}

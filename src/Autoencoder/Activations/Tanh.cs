using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Autoencoder.Kernels;

namespace Autoencoder.Activations;

/// <summary>Hyperbolic tangent, derivative from the output: <c>tanh′ = 1 − tanh²</c>.</summary>
internal static class Tanh
{
    // Hand-written: TensorPrimitives.Tanh (System.Numerics.Tensors 10.0.0) is accurate only in
    // absolute terms near 0: its vector path returns tanh(±0) = ∓6e-8 and tanh(1e-3) with a
    // relative error of 3e-5, while pre-activations near 0 are the common case.
    public static void Forward(ReadOnlySpan<float> z, Span<float> a) => ElementwiseDriver.Apply(default(ForwardOperator), z, a);

    // Hand-written: TensorPrimitives has no fused dA·(1 − t²); composing it would take a
    // temporary buffer and three passes over memory.
    public static void Backward(ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ) =>
        ElementwiseDriver.Apply(default(BackwardOperator), a, dA, dZ);

    /// <summary>Scalar reference for <see cref="Forward"/>.</summary>
    public static void ForwardReference(ReadOnlySpan<float> z, Span<float> a)
    {
        for (int i = 0; i < z.Length; i++)
        {
            a[i] = MathF.Tanh(z[i]);
        }
    }

    /// <summary>Scalar reference for <see cref="Backward"/>.</summary>
    public static void BackwardReference(ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ)
    {
        for (int i = 0; i < a.Length; i++)
        {
            float t = a[i];
            dZ[i] = dA[i] * (1f - t * t);
        }
    }

    /// <summary>
    /// <c>z → sign(z)·(−E/(2 + E))</c> with <c>E = e^(−2|z|) − 1</c> from <see cref="ExpM1"/>:
    /// <c>tanh|z| = (1 − e^(−2|z|))/(1 + e^(−2|z|))</c> without the cancellation of <c>1 − e^(−2|z|)</c>
    /// for small |z|, and without overflow for large |z| (E → −1, tanh → 1). A few ulps relative everywhere.
    /// </summary>
    private readonly struct ForwardOperator : IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float z)
        {
            float e = ExpM1.Compute(-2f * MathF.Abs(z));
            return MathF.CopySign(-e / (2f + e), z);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> z)
        {
            Vector128<float> e = ExpM1.Compute(Vector128.Abs(z) * -2f);
            return Vector128.CopySign(-e / (Vector128.Create(2f) + e), z);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> z)
        {
            Vector256<float> e = ExpM1.Compute(Vector256.Abs(z) * -2f);
            return Vector256.CopySign(-e / (Vector256.Create(2f) + e), z);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> z)
        {
            Vector512<float> e = ExpM1.Compute(Vector512.Abs(z) * -2f);
            return Vector512.CopySign(-e / (Vector512.Create(2f) + e), z);
        }
    }

    /// <summary><c>(t, dA) → dA·(1 − t·t)</c>, in the reference's order of operations (same rounding).</summary>
    private readonly struct BackwardOperator : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float t, float dA) => dA * (1f - t * t);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> t, Vector128<float> dA) => dA * (Vector128<float>.One - t * t);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> t, Vector256<float> dA) => dA * (Vector256<float>.One - t * t);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> t, Vector512<float> dA) => dA * (Vector512<float>.One - t * t);
    }
}

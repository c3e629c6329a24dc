using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Autoencoder.Kernels;

namespace Autoencoder.Activations;

/// <summary>Sigmoid: <c>σ(z) = 1 / (1 + e^(−z))</c>, derivative from the output: <c>σ′ = σ(1 − σ)</c>.</summary>
internal static class Sigmoid
{
    // Hand-written: TensorPrimitives.Sigmoid evaluates its exponential one way in vector lanes and
    // another (the C library's) in its scalar tail and where vectors are not accelerated, so its
    // bits depend on the instruction set.
    public static void Forward(ReadOnlySpan<float> z, Span<float> a) => ElementwiseDriver.Apply(default(ForwardOperator), z, a);

    // Hand-written: TensorPrimitives has no fused dA·s·(1 − s); composing it from Subtract and
    // Multiply would take a temporary buffer and three passes over memory.
    public static void Backward(ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ) =>
        ElementwiseDriver.Apply(default(BackwardOperator), a, dA, dZ);

    /// <summary>Scalar reference for <see cref="Forward"/>.</summary>
    public static void ForwardReference(ReadOnlySpan<float> z, Span<float> a)
    {
        for (int i = 0; i < z.Length; i++)
        {
            a[i] = Value(z[i]);
        }
    }

    /// <summary>Scalar reference for <see cref="Backward"/>.</summary>
    public static void BackwardReference(ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ)
    {
        for (int i = 0; i < a.Length; i++)
        {
            float s = a[i];
            dZ[i] = dA[i] * s * (1f - s);
        }
    }

    /// <summary>Scalar σ(z) without overflow for any finite z.</summary>
    public static float Value(float z) =>
        z >= 0f ? 1f / (1f + MathF.Exp(-z)) : MathF.Exp(z) / (1f + MathF.Exp(z));

    /// <summary>
    /// σ(z) with <c>e = e^(−|z|)</c> from <see cref="FloatExponential"/>: <c>1/(1 + e)</c>
    /// for z ≥ 0 and <c>e/(1 + e)</c> otherwise, which never overflows (σ(±∞) = 1 and 0; NaN stays
    /// NaN); within about 2.4 ulps of the exact value. The same operations in every form, so every width and the scalar
    /// form give the same bits (Softplus' backward pass uses them too).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Compute(float z)
    {
        float e = FloatExponential.Compute(-MathF.Abs(z));
        return (z >= 0f ? 1f : e) / (1f + e);
    }

    /// <summary>Four lanes of <see cref="Compute(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Compute(Vector128<float> z)
    {
        Vector128<float> e = FloatExponential.Compute(-Vector128.Abs(z));
        return Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(z, Vector128<float>.Zero), Vector128<float>.One, e) / (Vector128<float>.One + e);
    }

    /// <summary>Eight lanes of <see cref="Compute(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Compute(Vector256<float> z)
    {
        Vector256<float> e = FloatExponential.Compute(-Vector256.Abs(z));
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(z, Vector256<float>.Zero), Vector256<float>.One, e) / (Vector256<float>.One + e);
    }

    /// <summary>Sixteen lanes of <see cref="Compute(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Compute(Vector512<float> z)
    {
        Vector512<float> e = FloatExponential.Compute(-Vector512.Abs(z));
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(z, Vector512<float>.Zero), Vector512<float>.One, e) / (Vector512<float>.One + e);
    }

    /// <summary><c>z → σ(z)</c> by <see cref="Compute(float)"/>.</summary>
    private readonly struct ForwardOperator : IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float z) => Compute(z);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> z) => Compute(z);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> z) => Compute(z);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> z) => Compute(z);
    }

    /// <summary><c>(s, dA) → dA·s·(1 − s)</c>, in the reference's order of operations (same rounding).</summary>
    private readonly struct BackwardOperator : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float s, float dA) => dA * s * (1f - s);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> s, Vector128<float> dA) => dA * s * (Vector128<float>.One - s);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> s, Vector256<float> dA) => dA * s * (Vector256<float>.One - s);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> s, Vector512<float> dA) => dA * s * (Vector512<float>.One - s);
    }
}

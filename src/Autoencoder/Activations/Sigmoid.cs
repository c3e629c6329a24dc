using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Autoencoder.Kernels;

namespace Autoencoder.Activations;

/// <summary>Sigmoid: <c>σ(z) = 1 / (1 + e^(−z))</c>, derivative from the output: <c>σ′ = σ(1 − σ)</c>.</summary>
internal static class Sigmoid
{
    // TensorPrimitives.Sigmoid saturates cleanly: e^(−z) overflows to +∞ for very negative z and
    // 1/(1+∞) = 0, so there is no NaN at the extremes. It throws for empty spans, unlike every other
    // kernel here, so an empty input returns first.
    public static void Forward(ReadOnlySpan<float> z, Span<float> a)
    {
        if (!z.IsEmpty)
        {
            TensorPrimitives.Sigmoid(z, a);
        }
    }

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

    /// <summary><c>(s, dA) → dA·s·(1 − s)</c>, in the reference's order of operations (same rounding).</summary>
    private readonly struct BackwardOperator : IBinaryOperator
    {
        public float Invoke(float s, float dA) => dA * s * (1f - s);

        public Vector128<float> Invoke(Vector128<float> s, Vector128<float> dA) => dA * s * (Vector128<float>.One - s);

        public Vector256<float> Invoke(Vector256<float> s, Vector256<float> dA) => dA * s * (Vector256<float>.One - s);

        public Vector512<float> Invoke(Vector512<float> s, Vector512<float> dA) => dA * s * (Vector512<float>.One - s);
    }
}

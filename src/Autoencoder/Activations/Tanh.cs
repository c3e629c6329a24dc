using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Autoencoder.Kernels;

namespace Autoencoder.Activations;

/// <summary>Hyperbolic tangent, derivative from the output: <c>tanh′ = 1 − tanh²</c>.</summary>
internal static class Tanh
{
    public static void Forward(ReadOnlySpan<float> z, Span<float> a) => TensorPrimitives.Tanh(z, a);

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

    /// <summary><c>(t, dA) → dA·(1 − t·t)</c>, in the reference's order of operations (same rounding).</summary>
    private readonly struct BackwardOperator : IBinaryOperator
    {
        public float Invoke(float t, float dA) => dA * (1f - t * t);

        public Vector128<float> Invoke(Vector128<float> t, Vector128<float> dA) => dA * (Vector128<float>.One - t * t);

        public Vector256<float> Invoke(Vector256<float> t, Vector256<float> dA) => dA * (Vector256<float>.One - t * t);

        public Vector512<float> Invoke(Vector512<float> t, Vector512<float> dA) => dA * (Vector512<float>.One - t * t);
    }
}

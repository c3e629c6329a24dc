using System.Numerics.Tensors;

namespace Autoencoder.Activations;

/// <summary>Sigmoid: <c>σ(z) = 1 / (1 + e^(−z))</c>, derivative from the output: <c>σ′ = σ(1 − σ)</c>.</summary>
internal static class Sigmoid
{
    // TensorPrimitives.Sigmoid saturates cleanly: e^(−z) overflows to +∞ for very negative z and
    // 1/(1+∞) = 0, so there is no NaN at the extremes.
    public static void Forward(ReadOnlySpan<float> z, Span<float> a) => TensorPrimitives.Sigmoid(z, a);

    public static void Backward(ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ)
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
}

using System.Numerics.Tensors;

namespace Autoencoder.Activations;

/// <summary>Hyperbolic tangent, derivative from the output: <c>tanh′ = 1 − tanh²</c>.</summary>
internal static class Tanh
{
    public static void Forward(ReadOnlySpan<float> z, Span<float> a) => TensorPrimitives.Tanh(z, a);

    public static void Backward(ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ)
    {
        for (int i = 0; i < a.Length; i++)
        {
            float t = a[i];
            dZ[i] = dA[i] * (1f - t * t);
        }
    }
}

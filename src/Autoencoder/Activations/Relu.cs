using System.Numerics.Tensors;

namespace Autoencoder.Activations;

/// <summary>ReLU: <c>f(z) = max(z, 0)</c>, <c>f′(z) = 1</c> for <c>z &gt; 0</c>, else 0 (PyTorch's choice at 0).</summary>
internal static class Relu
{
    public static void Forward(ReadOnlySpan<float> z, Span<float> a) => TensorPrimitives.Max(z, 0f, a);

    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> dA, Span<float> dZ)
    {
        for (int i = 0; i < z.Length; i++)
        {
            dZ[i] = z[i] > 0f ? dA[i] : 0f;
        }
    }
}

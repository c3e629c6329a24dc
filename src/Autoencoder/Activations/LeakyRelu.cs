namespace Autoencoder.Activations;

/// <summary>Leaky ReLU: <c>f(z) = z</c> for <c>z &gt; 0</c>, else <c>α·z</c>; <c>f′ = 1</c> or <c>α</c>.</summary>
internal static class LeakyRelu
{
    /// <summary>The negative slope, PyTorch's default.</summary>
    public const float Slope = 0.01f;

    public static void Forward(ReadOnlySpan<float> z, Span<float> a)
    {
        for (int i = 0; i < z.Length; i++)
        {
            float v = z[i];
            a[i] = v > 0f ? v : Slope * v;
        }
    }

    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> dA, Span<float> dZ)
    {
        for (int i = 0; i < z.Length; i++)
        {
            dZ[i] = z[i] > 0f ? dA[i] : Slope * dA[i];
        }
    }
}

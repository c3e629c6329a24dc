namespace Autoencoder.Activations;

/// <summary>
/// ELU with α = 1: <c>f(z) = z</c> for <c>z &gt; 0</c>, else <c>e^z − 1</c>; derivative 1, or
/// <c>e^z = f(z) + 1</c> read from the output.
/// </summary>
internal static class Elu
{
    public static void Forward(ReadOnlySpan<float> z, Span<float> a)
    {
        for (int i = 0; i < z.Length; i++)
        {
            float v = z[i];
            // e^z − 1 in double: in float it loses all relative precision for tiny |z|.
            a[i] = v > 0f ? v : (float)(Math.Exp(v) - 1.0);
        }
    }

    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ)
    {
        for (int i = 0; i < z.Length; i++)
        {
            dZ[i] = z[i] > 0f ? dA[i] : dA[i] * (a[i] + 1f);
        }
    }
}

namespace Autoencoder.Activations;

/// <summary>Identity: <c>f(z) = z</c>, <c>f′(z) = 1</c>.</summary>
internal static class Identity
{
    public static void Forward(ReadOnlySpan<float> z, Span<float> a)
    {
        if (!z.Overlaps(a, out int offset) || offset != 0)
        {
            z.CopyTo(a);
        }
    }

    public static void Backward(ReadOnlySpan<float> dA, Span<float> dZ)
    {
        if (!dA.Overlaps(dZ, out int offset) || offset != 0)
        {
            dA.CopyTo(dZ);
        }
    }
}

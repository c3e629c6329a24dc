namespace Autoencoder.Losses;

/// <summary>
/// Mean squared error. <see cref="Sum"/> gives <c>Σ (y − x)²</c> (the caller divides by the
/// element count it averages over); <see cref="Gradient"/> gives <c>∂/∂y = scale · 2(y − x)</c>.
/// </summary>
internal static class MeanSquaredError
{
    /// <summary><c>Σ (output − target)²</c>, accumulated in double.</summary>
    public static double Sum(ReadOnlySpan<float> output, ReadOnlySpan<float> target)
    {
        double sum = 0;
        for (int i = 0; i < output.Length; i++)
        {
            double d = (double)output[i] - target[i];
            sum += d * d;
        }

        return sum;
    }

    /// <summary>Overwrites <paramref name="dOutput"/> with <c>scale · 2(output − target)</c>; it may alias neither input.</summary>
    public static void Gradient(ReadOnlySpan<float> output, ReadOnlySpan<float> target, float scale, Span<float> dOutput)
    {
        float twoScale = 2f * scale;
        for (int i = 0; i < output.Length; i++)
        {
            dOutput[i] = twoScale * (output[i] - target[i]);
        }
    }
}

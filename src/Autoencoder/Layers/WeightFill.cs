namespace Autoencoder.Layers;

/// <summary>Draws a weight matrix from a <see cref="WeightInitialization"/> scheme, entry by entry in storage order.</summary>
internal static class WeightFill
{
    /// <summary>Fills <paramref name="weights"/> of a layer with <paramref name="fanIn"/> inputs and <paramref name="fanOut"/> outputs.</summary>
    public static void Fill(Span<float> weights, WeightInitialization initialization, double fanIn, double fanOut, ref Pcg32 random)
    {
        switch (initialization)
        {
            case WeightInitialization.GlorotUniform:
                FillUniform(weights, Math.Sqrt(6.0 / (fanIn + fanOut)), ref random);
                break;
            case WeightInitialization.HeUniform:
                FillUniform(weights, Math.Sqrt(6.0 / fanIn), ref random);
                break;
            case WeightInitialization.HeNormal:
                double std = Math.Sqrt(2.0 / fanIn);
                for (int i = 0; i < weights.Length; i++)
                {
                    weights[i] = (float)(std * random.NextGaussian());
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(initialization), Invariant($"Unknown weight initialization; got {initialization}."));
        }
    }

    private static void FillUniform(Span<float> weights, double limit, ref Pcg32 random)
    {
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)((2.0 * random.NextDouble() - 1.0) * limit);
        }
    }
}

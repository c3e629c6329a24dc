namespace Autoencoder.Losses;

/// <summary>
/// Binary cross-entropy <c>−x·ln p − (1 − x)·ln(1 − p)</c> for targets <c>x ∈ [0, 1]</c>, in two
/// forms: from logits (fused with a sigmoid output, exact for any logit) and from probabilities
/// (clamped to <see cref="Epsilon"/>, as Keras does). Sums are returned; the caller averages.
/// </summary>
internal static class BinaryCrossEntropy
{
    /// <summary>Clamp for probabilities, Keras' <c>epsilon()</c>.</summary>
    public const float Epsilon = 1e-7f;

    /// <summary>
    /// <c>Σ max(z, 0) − z·x + ln(1 + e^(−|z|))</c>: the loss of <c>p = σ(z)</c> written so that no
    /// term overflows and no logarithm sees 0.
    /// </summary>
    public static double SumFromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> target)
    {
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            double z = logits[i];
            sum += Math.Max(z, 0.0) - z * target[i] + Log1pExp(-Math.Abs(z));
        }

        return sum;
    }

    /// <summary>
    /// Gradient with respect to the logits, <c>scale · (σ(z) − x)</c>, from the sigmoid output
    /// <paramref name="probabilities"/> already computed in the forward pass. Overwrites <paramref name="dLogits"/>.
    /// </summary>
    public static void GradientFromLogits(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> target, float scale, Span<float> dLogits)
    {
        for (int i = 0; i < probabilities.Length; i++)
        {
            dLogits[i] = scale * (probabilities[i] - target[i]);
        }
    }

    /// <summary><c>Σ −x·ln p − (1 − x)·ln(1 − p)</c> with <c>p</c> clamped to [ε, 1 − ε].</summary>
    public static double SumFromProbabilities(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> target)
    {
        double sum = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            double p = Math.Clamp(probabilities[i], Epsilon, 1f - Epsilon);
            double x = target[i];
            sum -= x * Math.Log(p) + (1 - x) * Math.Log(1 - p);
        }

        return sum;
    }

    /// <summary>
    /// Gradient with respect to the probabilities, <c>scale · (p − x) / (p(1 − p))</c>, and 0 where
    /// the clamp is active (the clamp's own derivative). Overwrites <paramref name="dProbabilities"/>.
    /// </summary>
    public static void GradientFromProbabilities(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> target, float scale, Span<float> dProbabilities)
    {
        for (int i = 0; i < probabilities.Length; i++)
        {
            float p = probabilities[i];
            dProbabilities[i] = p > Epsilon && p < 1f - Epsilon
                ? (float)(scale * ((double)p - target[i]) / ((double)p * (1.0 - p)))
                : 0f;
        }
    }

    /// <summary>ln(1 + e^t) for t ≤ 0.</summary>
    private static double Log1pExp(double t)
    {
        double e = Math.Exp(t);
        return e < 1e-4 ? e * (1.0 - e * (0.5 - e / 3.0)) : Math.Log(1.0 + e);
    }

    /// <summary>Whether the fused logit form applies to this output activation.</summary>
    public static bool UsesLogits(Activation outputActivation) => outputActivation == Activation.Sigmoid;
}

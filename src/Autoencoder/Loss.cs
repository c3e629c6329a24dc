namespace Autoencoder;

/// <summary>The reconstruction loss a model is trained and evaluated with.</summary>
public enum Loss
{
    /// <summary>
    /// Mean squared error: <c>mean((x̂ − x)²)</c> over every element of the batch
    /// (Keras <c>mse</c>, PyTorch <c>MSELoss(reduction='mean')</c>).
    /// </summary>
    MeanSquaredError,

    /// <summary>
    /// Binary cross-entropy: <c>mean(−x·ln x̂ − (1 − x)·ln(1 − x̂))</c> over every element; targets
    /// must lie in [0, 1]. With a <see cref="Activation.Sigmoid"/> output it is computed from the
    /// logits <c>z</c> as <c>max(z, 0) − z·x + ln(1 + e^(−|z|))</c>: finite for any logit, never
    /// clamped, accurate to float precision, with the exact gradient <c>σ(z) − x</c>; otherwise the output is clamped to
    /// [1e-7, 1 − 1e-7] as Keras does.
    /// </summary>
    BinaryCrossEntropy,
}

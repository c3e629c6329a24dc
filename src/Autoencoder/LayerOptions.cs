namespace Autoencoder;

/// <summary>
/// Training-time regularisation and normalization of one layer, given to
/// <see cref="AutoencoderBuilder.AddEncoderLayer(int, Activation, LayerOptions?)"/>,
/// <see cref="AutoencoderBuilder.WithLatent(int, Activation, LayerOptions?)"/> or
/// <see cref="AutoencoderBuilder.AddDecoderLayer(int, Activation, LayerOptions?)"/>.
/// Dropout and the penalties act in training only; batch normalization uses its running statistics at
/// inference. <c>Encode</c>, <c>Decode</c> and <c>Reconstruct</c> are deterministic.
/// </summary>
/// <remarks>
/// The activity penalties follow tf.keras 2's <c>activity_regularizer</c>: for a batch of <c>B</c> rows the
/// loss gains <c>(ActivityL1·Σ|a| + ActivityL2·Σa²) / B</c> over the layer's outputs <c>a</c>, taken
/// before dropout. Dropout follows Keras' <c>Dropout</c> layer placed after this layer.
/// </remarks>
public sealed record LayerOptions
{
    /// <summary>
    /// Fraction in [0, 1) of this layer's outputs set to zero during training, re-drawn every batch;
    /// kept outputs are scaled by <c>1/(1 − Dropout)</c> (inverted dropout), so inference needs no
    /// rescaling. Default 0 (off).
    /// </summary>
    public double Dropout { get; init; }

    /// <summary>Weight of the L1 activity penalty <c>Σ|a|/B</c>; non-negative and within float range. Default 0.</summary>
    public double ActivityL1 { get; init; }

    /// <summary>Weight of the L2 activity penalty <c>Σa²/B</c>; non-negative and within float range. Default 0.</summary>
    public double ActivityL2 { get; init; }

    /// <summary>
    /// Normalizes this layer's pre-activation over each batch before the activation (batch
    /// normalization, Ioffe and Szegedy 2015; PyTorch's <c>BatchNorm1d</c> with momentum 0.1 and
    /// ε = 1e-5): in training with the batch's mean and variance, which also update running
    /// statistics; at inference with those running statistics. Adds a trainable scale and shift per
    /// unit. Training then needs at least two rows in every batch. Default false.
    /// </summary>
    public bool BatchNormalization { get; init; }

    internal static LayerOptions None { get; } = new();

    internal void Validate(string name)
    {
        Guard.InRange(Dropout, 0, 1, maxInclusive: false, Invariant($"{name}.{nameof(Dropout)}"));
        Guard.NonNegativeFloat(ActivityL1, Invariant($"{name}.{nameof(ActivityL1)}"));
        Guard.NonNegativeFloat(ActivityL2, Invariant($"{name}.{nameof(ActivityL2)}"));
    }
}

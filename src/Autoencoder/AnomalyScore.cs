namespace Autoencoder;

/// <summary>What an <see cref="AnomalyDetector"/> measures for each row; higher always means more anomalous.</summary>
public enum AnomalyScore
{
    /// <summary>
    /// The row's mean squared reconstruction error <c>mean((x̂ − x)²)</c> over its features, as
    /// <see cref="AutoencoderModel.ReconstructionErrors"/> with <see cref="Loss.MeanSquaredError"/>.
    /// Defined for any finite input.
    /// </summary>
    MeanSquaredError,

    /// <summary>
    /// The row's mean binary cross-entropy of reconstruction over its features, as
    /// <see cref="AutoencoderModel.ReconstructionErrors"/> with <see cref="Loss.BinaryCrossEntropy"/>.
    /// Inputs (after scaling) must lie in [0, 1]. Note that it is not 0 for a perfect
    /// reconstruction of a value strictly between 0 and 1 (the entropy of that value remains),
    /// so mid-grey inputs score above black and white ones even when reconstructed exactly.
    /// </summary>
    BinaryCrossEntropy,
}

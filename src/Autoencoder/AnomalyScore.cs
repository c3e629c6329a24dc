namespace Autoencoder;

/// <summary>What an <see cref="AnomalyDetector"/> measures for each row; higher always means more anomalous.</summary>
public enum AnomalyScore
{
    /// <summary>
    /// The row's mean squared reconstruction error <c>mean((x̂ − x)²)</c> over its features, as
    /// <see cref="AutoencoderModel.ReconstructionErrors(MathNet.Numerics.LinearAlgebra.Matrix{float}, Loss)"/> with <see cref="Loss.MeanSquaredError"/>.
    /// Defined for any finite input.
    /// </summary>
    MeanSquaredError,

    /// <summary>
    /// The row's mean binary cross-entropy of reconstruction over its features, as
    /// <see cref="AutoencoderModel.ReconstructionErrors(MathNet.Numerics.LinearAlgebra.Matrix{float}, Loss)"/> with <see cref="Loss.BinaryCrossEntropy"/>.
    /// Inputs (after scaling) must lie in [0, 1]. Note that it is not 0 for a perfect
    /// reconstruction of a value strictly between 0 and 1 (the entropy of that value remains),
    /// so mid-grey inputs score above black and white ones even when reconstructed exactly.
    /// </summary>
    BinaryCrossEntropy,

    /// <summary>
    /// Variational models only: the reconstruction probability with a Bernoulli decoder (pairs
    /// with training on binary cross-entropy): <c>−(1/L)·Σₗ log p(x | zₗ)</c> in nats, summed over
    /// features, with L = 10 draws <c>zₗ ~ q(z | x)</c> (An and Cho, 2015). The draws are seeded by
    /// the row's own values, so a row's score does not depend on other rows or on the run. Inputs
    /// (after scaling) must lie in [0, 1].
    /// </summary>
    BernoulliReconstructionProbability,

    /// <summary>
    /// Variational models only: the reconstruction probability with a unit-variance Gaussian decoder
    /// (pairs with training on mean squared error): <c>−(1/L)·Σₗ log N(x; x̂(zₗ), I)</c> in nats, summed
    /// over features, drawn as for <see cref="BernoulliReconstructionProbability"/>.
    /// </summary>
    GaussianReconstructionProbability,

    /// <summary>
    /// The row's mean reconstruction loss over its features under the detector's
    /// <see cref="AnomalyDetector.ReconstructionLoss"/>, any <see cref="Loss"/> (for example
    /// <see cref="Loss.MeanAbsoluteError"/> or <see cref="Loss.Huber"/>), as
    /// <see cref="AutoencoderModel.ReconstructionErrors(MathNet.Numerics.LinearAlgebra.Matrix{float}, Loss)"/> with that loss. Create such a detector with
    /// <see cref="AnomalyDetector(AutoencoderModel, Loss, Data.FeatureScaler?)"/>; with
    /// mean squared error or binary cross-entropy it gets their own score kinds.
    /// </summary>
    ReconstructionLoss,
}

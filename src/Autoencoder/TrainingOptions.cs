using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder;

/// <summary>How <see cref="AutoencoderModel.Fit"/> trains: epochs, batches, loss, optimizer, validation and progress.</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training data; positive. Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>
    /// Samples per gradient step; positive. The last batch of an epoch holds the remainder when the
    /// sample count is not a multiple (its loss is the mean over its own samples, as in PyTorch). Default 32.
    /// </summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The loss to minimise. Default <see cref="Autoencoder.Loss.MeanSquaredError"/>.</summary>
    public Loss Loss { get; init; } = Loss.MeanSquaredError;

    /// <summary>The optimizer and its hyper-parameters. Default Adam with learning rate 1e-3.</summary>
    public OptimizerOptions Optimizer { get; init; } = new AdamOptions();

    /// <summary>Whether to visit the training samples in a new random order every epoch. Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>
    /// Seed for the shuffling order of this run. When null, the model's own generator (seeded by
    /// <see cref="AutoencoderBuilder.WithSeed"/>) is used and advanced, so a sequence of calls is reproducible too.
    /// </summary>
    public int? Seed { get; init; }

    /// <summary>
    /// Held-out samples scored after every epoch (rows = samples). Cannot be combined with
    /// <see cref="ValidationFraction"/>.
    /// </summary>
    public Matrix<float>? ValidationData { get; init; }

    /// <summary>
    /// Fraction in [0, 1) of the training rows held out for validation: the <em>last</em> rows,
    /// taken before any shuffling, as Keras' <c>validation_split</c> does. Default 0 (none).
    /// </summary>
    public double ValidationFraction { get; init; }

    /// <summary>Receives a report after every batch and at the end of every epoch. Optional.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }
}

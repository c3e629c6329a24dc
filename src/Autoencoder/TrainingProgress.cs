namespace Autoencoder;

/// <summary>A snapshot of a training run, reported through <see cref="TrainingOptions.Progress"/>.</summary>
/// <param name="Epoch">The current epoch, 1-based.</param>
/// <param name="Epochs">The number of epochs requested.</param>
/// <param name="Batch">Batches completed in the current epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">Mean training loss over the samples seen so far in this epoch.</param>
/// <param name="ValidationLoss">Validation loss of the last completed epoch, if there is validation data.</param>
/// <param name="SamplesPerSecond">Training throughput of this run so far.</param>
/// <param name="Elapsed">Wall time since training started.</param>
/// <param name="EstimatedRemaining">Estimated wall time until the last epoch ends (validation excluded).</param>
/// <param name="EpochCompleted">True for the report sent when an epoch (and its validation) has finished.</param>
public readonly record struct TrainingProgress(
    int Epoch,
    int Epochs,
    int Batch,
    int Batches,
    double Loss,
    double? ValidationLoss,
    double SamplesPerSecond,
    TimeSpan Elapsed,
    TimeSpan EstimatedRemaining,
    bool EpochCompleted);

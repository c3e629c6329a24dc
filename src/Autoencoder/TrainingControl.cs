namespace Autoencoder;

/// <summary>What a <see cref="ITrainingCallback"/> can see and do about the run it is called from.</summary>
public sealed class TrainingControl
{
    internal TrainingControl()
    {
    }

    /// <summary>The learning rate of the current epoch.</summary>
    public double LearningRate { get; internal set; }

    /// <summary>
    /// The weight of the KL term in the current epoch (variational models; it follows
    /// <see cref="TrainingOptions.KlWeight"/> and <see cref="TrainingOptions.KlWarmUpEpochs"/>).
    /// </summary>
    public double KlWeight { get; internal set; }

    /// <summary>True once <see cref="Stop"/> has been called.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>
    /// Ends training after the current batch (from <see cref="ITrainingCallback.OnBatchEnd"/>) or the
    /// current epoch (from <see cref="ITrainingCallback.OnEpochEnd"/>). The history then ends with
    /// <see cref="StopReason.StoppedByCallback"/>; an epoch stopped part-way is not listed, as with cancellation.
    /// </summary>
    public void Stop() => StopRequested = true;
}

namespace Autoencoder;

/// <summary>What a <see cref="ITrainingCallback"/> can see and do about the run it is called from.</summary>
public sealed class TrainingControl
{
    internal TrainingControl()
    {
    }

    private double _learningRate;

    /// <summary>
    /// The learning rate now in use. Setting it changes the rate from the next optimizer step on:
    /// from <see cref="ITrainingCallback.OnBatchEnd"/> for the rest of the epoch, from
    /// <see cref="ITrainingCallback.OnEpochEnd"/> for the next epoch. A
    /// <see cref="TrainingOptions.LearningRateSchedule"/> sets the rate again at the start of every
    /// epoch; without one, a rate set here stays until it is set again. Each epoch's
    /// <see cref="EpochResult.LearningRate"/> is the rate of its last step. The epoch's checkpoint is
    /// written after the epoch-end callbacks, so it holds a rate they set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a number in [0, <see cref="float.MaxValue"/>] (0 freezes the weights).</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            Guard.NonNegativeFloat(value, nameof(LearningRate));
            _learningRate = value;
        }
    }

    /// <summary>
    /// The weight of the KL term in the current epoch (variational models; it follows
    /// <see cref="TrainingOptions.KlWeight"/> and <see cref="TrainingOptions.KlWarmUpEpochs"/>).
    /// </summary>
    public double KlWeight { get; internal set; }

    /// <summary>Sets the rate the run is using, without the checks a callback's value gets.</summary>
    internal void SetLearningRate(double rate) => _learningRate = rate;

    /// <summary>True once <see cref="Stop"/> has been called.</summary>
    public bool StopRequested { get; private set; }

    /// <summary>
    /// Ends training after the current batch (from <see cref="ITrainingCallback.OnBatchEnd"/>) or the
    /// current epoch (from <see cref="ITrainingCallback.OnEpochEnd"/>). The history then ends with
    /// <see cref="StopReason.StoppedByCallback"/>; an epoch stopped part-way is not listed, as with cancellation.
    /// </summary>
    public void Stop() => StopRequested = true;
}

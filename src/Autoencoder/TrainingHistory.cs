namespace Autoencoder;

/// <summary>Why a training run ended.</summary>
public enum StopReason
{
    /// <summary>Every requested epoch ran.</summary>
    Completed,

    /// <summary>
    /// The cancellation token fired; training stopped between two batches and the model keeps the
    /// weights of the last completed step.
    /// </summary>
    Cancelled,

    /// <summary>The monitored loss stopped improving (see <see cref="Autoencoder.EarlyStopping"/>).</summary>
    EarlyStopped,

    /// <summary>A callback called <see cref="TrainingControl.Stop"/>.</summary>
    StoppedByCallback,
}

/// <summary>The metrics of one completed epoch.</summary>
/// <param name="Epoch">The epoch number, 1-based.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's samples (each batch weighted by its size).</param>
/// <param name="ValidationLoss">Mean loss on the validation data after the epoch, or null without validation data.</param>
/// <param name="Duration">Wall time of the epoch, validation included.</param>
/// <param name="LearningRate">The learning rate the epoch trained with.</param>
public sealed record EpochResult(int Epoch, double TrainLoss, double? ValidationLoss, TimeSpan Duration, double LearningRate);

/// <summary>What <see cref="AutoencoderModel.Fit(Autoencoder.Data.DataSource, TrainingOptions?, CancellationToken)"/> returns: one entry per completed epoch and how the run ended.</summary>
public sealed class TrainingHistory
{
    /// <summary>
    /// A history of <paramref name="epochs"/> ending for <paramref name="stopReason"/> after
    /// <paramref name="elapsed"/>: what <c>Fit</c> returns, and what a run that trains elsewhere
    /// (on several machines) gives back.
    /// </summary>
    /// <param name="epochs">The completed epochs in order; the list is copied.</param>
    /// <param name="stopReason">Whether all epochs ran, or why the run ended early.</param>
    /// <param name="elapsed">Wall time of the whole run.</param>
    /// <param name="bestEpoch">With early stopping, the epoch with the lowest monitored loss; else null.</param>
    public TrainingHistory(IReadOnlyList<EpochResult> epochs, StopReason stopReason, TimeSpan elapsed, int? bestEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        epochs = epochs.ToArray();
        Epochs = epochs;
        StopReason = stopReason;
        Elapsed = elapsed;
        BestEpoch = bestEpoch;
    }

    /// <summary>Completed epochs in order; an epoch cut short by cancellation or a callback is not listed.</summary>
    public IReadOnlyList<EpochResult> Epochs { get; }

    /// <summary>Whether all epochs ran, or why the run ended early.</summary>
    public StopReason StopReason { get; }

    /// <summary>
    /// With <see cref="TrainingOptions.EarlyStopping"/>: the epoch with the lowest monitored loss
    /// (whose weights the model holds when <see cref="Autoencoder.EarlyStopping.RestoreBestWeights"/> is set); otherwise null.
    /// </summary>
    public int? BestEpoch { get; }

    /// <summary>Wall time of the whole run.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Training loss per completed epoch.</summary>
    public IReadOnlyList<double> TrainLoss => Epochs.Select(e => e.TrainLoss).ToArray();

    /// <summary>Validation loss per completed epoch (empty without validation data).</summary>
    public IReadOnlyList<double> ValidationLoss => Epochs.Where(e => e.ValidationLoss.HasValue).Select(e => e.ValidationLoss!.Value).ToArray();
}

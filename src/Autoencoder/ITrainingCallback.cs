namespace Autoencoder;

/// <summary>
/// Code run by <see cref="AutoencoderModel.Fit(Autoencoder.Data.DataSource, TrainingOptions?, CancellationToken)"/> at the end of every batch and every epoch, on the
/// training thread; either method may stop training through <see cref="TrainingControl.Stop"/> or set
/// the learning rate through <see cref="TrainingControl.LearningRate"/>.
/// Both methods do nothing unless implemented. Register callbacks with <see cref="TrainingOptions.Callbacks"/>.
/// </summary>
/// <remarks>
/// A callback must not call <see cref="AutoencoderModel.Fit(Autoencoder.Data.DataSource, TrainingOptions?, CancellationToken)"/> on the model being trained; it may
/// call the model's inference methods, which then see the weights of the last completed step.
/// </remarks>
public interface ITrainingCallback
{
    /// <summary>Called after each optimizer step with the same report <see cref="TrainingOptions.Progress"/> receives.</summary>
    void OnBatchEnd(TrainingProgress progress, TrainingControl control)
    {
    }

    /// <summary>Called after each epoch (after validation, schedules and early stopping have seen it).</summary>
    void OnEpochEnd(EpochResult epoch, TrainingControl control)
    {
    }
}

namespace Autoencoder;

/// <summary>
/// Thrown by <see cref="AutoencoderModel.Fit(Autoencoder.Data.DataSource, TrainingOptions?, CancellationToken)"/> when the loss or a gradient becomes NaN or
/// infinite. The failing step is not applied: the model keeps the last finite weights. Lower the
/// learning rate, scale the inputs, or check the data.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the step at <paramref name="epoch"/> and <paramref name="batch"/>.</summary>
    public TrainingDivergedException(int epoch, int batch, string message)
        : base(message)
    {
        Epoch = epoch;
        Batch = batch;
    }

    /// <summary>The epoch (1-based) of the failing step.</summary>
    public int Epoch { get; }

    /// <summary>The batch (1-based) within the epoch of the failing step.</summary>
    public int Batch { get; }
}

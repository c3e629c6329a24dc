namespace Autoencoder;

/// <summary>
/// Stops training when the monitored loss (validation loss when there is validation data, else
/// training loss) has not improved by more than <see cref="MinDelta"/> for <see cref="Patience"/>
/// epochs in a row, as Keras' <c>EarlyStopping</c>. Set it with <see cref="TrainingOptions.EarlyStopping"/>;
/// the history then ends with <see cref="StopReason.EarlyStopped"/> and records the best epoch.
/// </summary>
public sealed record EarlyStopping
{
    /// <summary>Epochs without improvement before stopping; non-negative (0 stops at the first epoch that does not improve, as Keras' default). Default 5.</summary>
    public int Patience { get; init; } = 5;

    /// <summary>Smallest decrease of the monitored loss that counts as an improvement; non-negative. Default 0.</summary>
    public double MinDelta { get; init; }

    /// <summary>
    /// Whether the model ends with the weights of its best epoch rather than its last one (also when
    /// training runs to the end or is stopped by a callback). Default true.
    /// </summary>
    public bool RestoreBestWeights { get; init; } = true;

    internal void Validate()
    {
        Guard.NonNegative(Patience, "options.EarlyStopping.Patience");
        Guard.NonNegative(MinDelta, "options.EarlyStopping.MinDelta");
    }
}

namespace Autoencoder.Model;

/// <summary>
/// The bounds of a checkpointed run, known to both the components that save their state and the
/// file that stores it: <c>Fit</c> refuses a run past them when it would write checkpoints, and a
/// reader refuses a checkpoint past them.
/// </summary>
internal static class CheckpointLimits
{
    /// <summary>The most training rows: the sample order is stored as float32, exact up to 2^24.</summary>
    public const int MaxRows = 1 << 24;

    /// <summary>
    /// The most epochs a checkpointed run may have: its history, one entry per epoch, then stays
    /// within about 13 MB, which a load checks in well under a second whatever the numbers are.
    /// </summary>
    public const int MaxEpochs = 100_000;
}

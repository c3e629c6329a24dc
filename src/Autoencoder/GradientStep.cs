namespace Autoencoder;

/// <summary>Which training step a <see cref="IGradientReducer"/> is reducing: the same values on every replica of a run.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Batch">The batch within the epoch, from 0.</param>
/// <param name="Rows">The rows of the whole batch (every replica's slices together).</param>
public readonly record struct GradientStep(int Epoch, int Batch, int Rows);

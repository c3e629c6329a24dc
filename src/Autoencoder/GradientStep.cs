namespace Autoencoder;

/// <summary>Which training step a <see cref="IGradientReducer"/> is reducing: the same values on every replica of a run.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Batch">The batch within the epoch, from 0.</param>
/// <param name="Rows">The rows of the whole batch (every replica's slices together).</param>
/// <param name="Batches">The batches of the epoch (so <c>Batch == Batches - 1</c> is its last step).</param>
public readonly record struct GradientStep(int Epoch, int Batch, int Rows, int Batches);

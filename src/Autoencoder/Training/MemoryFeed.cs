using Autoencoder.Data;

namespace Autoencoder.Training;

/// <summary>Rows in memory, gathered batch by batch in the state's sample order, which each shuffled epoch shuffles in place.</summary>
internal sealed class MemoryFeed(InMemorySource source) : TrainingFeed(source.Rows)
{
    /// <inheritdoc/>
    public override bool KeepsOrder => true;

    /// <summary>The rows.</summary>
    public InMemorySource Source { get; } = source;

    /// <inheritdoc/>
    public override void Shuffle(TrainingState state) => state.Random.Shuffle(state.Order);

    /// <inheritdoc/>
    public override void Open(TrainingState state, int batchSize, bool shuffled)
    {
    }

    /// <inheritdoc/>
    public override void Read(TrainingState state, int batch, int rows, int batchSize, TrainingWorkspace workspace) =>
        Source.Gather(state.Order.AsSpan(batch * batchSize, rows), workspace.Input);

    /// <inheritdoc/>
    public override void Close()
    {
    }
}

using Autoencoder.Data;

namespace Autoencoder.Training;

/// <summary>
/// Where a run's batches come from: rows in memory gathered by the run's sample order
/// (<see cref="MemoryFeed"/>), or rows streamed from a source in the order of the epoch's key
/// (<see cref="StreamFeed"/>).
/// </summary>
internal abstract class TrainingFeed : IDisposable
{
    protected TrainingFeed(int rows) => Rows = rows;

    /// <summary>The training rows.</summary>
    public int Rows { get; }

    /// <summary>True when the run's state keeps a sample order (<see cref="TrainingState.Order"/>).</summary>
    public abstract bool KeepsOrder { get; }

    /// <summary>Gives a fresh epoch of <paramref name="state"/> its shuffled order.</summary>
    public abstract void Shuffle(TrainingState state);

    /// <summary>Prepares the epoch's batches from <c>state.Batch</c> on (0, or where a checkpoint stopped).</summary>
    public abstract void Open(TrainingState state, int batchSize, bool shuffled);

    /// <summary>Writes batch <paramref name="batch"/> (<paramref name="rows"/> rows) of the open epoch into <paramref name="destination"/>; batches are read in order.</summary>
    /// <exception cref="ArgumentException">A streamed row holds a value the run cannot use.</exception>
    /// <exception cref="InvalidDataException">The source ended early.</exception>
    public abstract void Read(TrainingState state, int batch, int rows, int batchSize, float[] destination);

    /// <summary>Ends the open epoch's reading.</summary>
    public abstract void Close();

    /// <inheritdoc/>
    public void Dispose() => Close();
}

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
    public override void Read(TrainingState state, int batch, int rows, int batchSize, float[] destination) =>
        Source.Gather(state.Order.AsSpan(batch * batchSize, rows), destination);

    /// <inheritdoc/>
    public override void Close()
    {
    }
}

/// <summary>
/// Rows streamed from a file or enumerable source, read ahead in the background; a shuffled
/// epoch's order is the one its key gives (<see cref="DataSource"/>), so a run resumed part-way
/// reads the rest of the same order. Each batch is checked as it arrives.
/// </summary>
internal sealed class StreamFeed(DataSource source, int rows, ValueRule rule, string name) : TrainingFeed(rows)
{
    private RowReader? _reader;
    private int _epoch;

    /// <inheritdoc/>
    public override bool KeepsOrder => false;

    /// <inheritdoc/>
    public override void Shuffle(TrainingState state) =>
        state.EpochKey = ((ulong)state.Random.NextUInt32() << 32) | state.Random.NextUInt32();

    /// <inheritdoc/>
    public override void Open(TrainingState state, int batchSize, bool shuffled)
    {
        Close();
        _epoch = state.Epoch;
        long skip = Math.Min((long)state.Batch * batchSize, Rows);
        _reader = new PrefetchReader(source.OpenEpoch(0, Rows, shuffled ? state.EpochKey : null, skip), blockRows: batchSize);
    }

    /// <inheritdoc/>
    public override void Read(TrainingState state, int batch, int rows, int batchSize, float[] destination)
    {
        int read = _reader!.ReadFully(destination, rows);
        if (read != rows)
        {
            throw new InvalidDataException(Invariant(
                $"{name} gave {((long)batch * batchSize) + read} rows in epoch {_epoch}; it held {Rows} when training started, and each epoch must read them all."));
        }

        RowChecks.CheckBlock(destination, rows, source.Columns, (long)batch * batchSize, name, rule, Invariant($" of epoch {_epoch}'s order"));
    }

    /// <inheritdoc/>
    public override void Close()
    {
        _reader?.Dispose();
        _reader = null;
    }
}

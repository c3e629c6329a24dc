using Autoencoder.Data;

namespace Autoencoder.Training;

/// <summary>
/// Rows streamed from a file or enumerable source, read ahead in the background; a shuffled
/// epoch's order is the one its key gives (<see cref="DataSource"/>), so a run resumed part-way
/// reads the rest of the same order. Each batch is checked as it arrives.
/// </summary>
internal sealed class StreamFeed(DataSource source, int rows, ValueRule rule, string name) : TrainingFeed(rows)
{
    private PrefetchReader? _reader;
    private int _epoch;
    private string _rowNote = "";

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
        _rowNote = Invariant($" of epoch {_epoch}'s order");
        long skip = Math.Min((long)state.Batch * batchSize, Rows);
        _reader = new PrefetchReader(source.OpenEpoch(0, Rows, shuffled ? state.EpochKey : null, skip), blockRows: batchSize);
    }

    /// <inheritdoc/>
    public override void Read(TrainingState state, int batch, int rows, int batchSize, TrainingWorkspace workspace)
    {
        // A full batch read ahead is swapped in whole; otherwise (the last, short batch) copied.
        int read = _reader!.TryTakeBlock(rows, workspace.Input, out float[]? block)
            ? rows
            : _reader.ReadFully(workspace.Input, rows);
        if (block is not null)
        {
            workspace.SwapInput(block);
        }

        float[] destination = workspace.Input;
        if (read != rows)
        {
            throw new InvalidDataException(Invariant(
                $"{name} gave {((long)batch * batchSize) + read} rows in epoch {_epoch}; it held {Rows} when training started, and each epoch must read them all."));
        }

        RowChecks.CheckBlock(destination, rows, source.Columns, (long)batch * batchSize, name, rule, _rowNote);
    }

    /// <inheritdoc/>
    public override void Close()
    {
        _reader?.Dispose();
        _reader = null;
    }
}

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

    /// <summary>
    /// Puts batch <paramref name="batch"/> (<paramref name="rows"/> rows) of the open epoch into
    /// <paramref name="workspace"/>'s inputs (copied, or a streamed block swapped in); batches are read in order.
    /// </summary>
    /// <exception cref="ArgumentException">A streamed row holds a value the run cannot use.</exception>
    /// <exception cref="InvalidDataException">The source ended early.</exception>
    public abstract void Read(TrainingState state, int batch, int rows, int batchSize, TrainingWorkspace workspace);

    /// <summary>Ends the open epoch's reading.</summary>
    public abstract void Close();

    /// <inheritdoc/>
    public void Dispose() => Close();
}

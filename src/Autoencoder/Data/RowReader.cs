namespace Autoencoder.Data;

/// <summary>
/// One forward pass over rows of a <see cref="DataSource"/>: reads them into a caller's row-major
/// buffer, a block at a time. A reader is used by one thread at a time.
/// </summary>
internal abstract class RowReader : IDisposable
{
    private float[]? _discard;

    protected RowReader(int columns) => Columns = columns;

    /// <summary>Values per row.</summary>
    public int Columns { get; }

    /// <summary>
    /// Reads up to <paramref name="rows"/> rows into <paramref name="destination"/> (at least
    /// <c>rows × Columns</c> values, row-major) and returns how many it read: fewer only at the end of the pass, 0 after it.
    /// </summary>
    public abstract int Read(Span<float> destination, int rows);

    /// <summary>Moves past up to <paramref name="rows"/> rows without returning them; returns how many it passed.</summary>
    public virtual long Skip(long rows)
    {
        int block = Math.Max(1, Math.Min(4096, (1 << 18) / Math.Max(1, Columns)));
        _discard ??= new float[block * Columns];
        long skipped = 0;
        while (skipped < rows)
        {
            int read = Read(_discard, (int)Math.Min(block, rows - skipped));
            if (read == 0)
            {
                break;
            }

            skipped += read;
        }

        return skipped;
    }

    /// <summary>Asks a read that may wait (on an asynchronous stream) to stop; called from another thread before the reader is disposed.</summary>
    public virtual void Cancel()
    {
    }

    /// <summary>Reads until <paramref name="destination"/> holds <paramref name="rows"/> rows or the pass ends; returns the rows read.</summary>
    public int ReadFully(Span<float> destination, int rows)
    {
        int total = 0;
        while (total < rows)
        {
            int read = Read(destination[(total * Columns)..], rows - total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the reader's file handles, enumerators and background work.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}

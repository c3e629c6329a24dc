namespace Autoencoder.Data;

/// <summary>
/// The base of a data source stored in blocks of rows that can each be read on their own (the
/// row groups of a Parquet file, the pages of a table): derive from it to train on a format of your
/// own. A shuffled epoch puts the blocks in a random order and shuffles the rows of about 32 MiB
/// of consecutive blocks at a time (at least one block), so memory holds one window, not the data.
/// </summary>
/// <remarks>
/// <see cref="ReadBlock"/> is called from one thread at a time for a pass (mostly the background
/// thread that reads ahead); different passes (training and validation) may read at once, from
/// different threads, so keep no per-read state in the instance.
/// </remarks>
public abstract class BlockDataSource : DataSource
{
    private long[]? _starts;

    /// <summary>A source of rows of <paramref name="columns"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="columns"/> is not positive.</exception>
    protected BlockDataSource(int columns)
        : base(columns)
    {
    }

    /// <inheritdoc/>
    public sealed override long? RowCount => Starts[^1];

    /// <summary>The number of blocks.</summary>
    protected abstract int BlockCount { get; }

    /// <summary>What identifies the data for a checkpoint (a file's full path, length and time written); a resumed run refuses a source whose identity differs.</summary>
    protected abstract string DataIdentity { get; }

    /// <inheritdoc/>
    internal sealed override bool CanSeek => true;

    /// <inheritdoc/>
    internal sealed override string Identity => DataIdentity;

    private long[] Starts
    {
        get
        {
            if (_starts is null)
            {
                var starts = new long[BlockCount + 1];
                for (int b = 0; b < BlockCount; b++)
                {
                    int rows = RowsInBlock(b);
                    if (rows < 0 || (long)rows * Columns > Array.MaxLength)
                    {
                        throw new InvalidDataException(Invariant($"Block {b} of the data source says it holds {rows} rows of {Columns} values; a block holds from 0 to {Array.MaxLength / Columns} rows."));
                    }

                    starts[b + 1] = starts[b] + rows;
                }

                _starts = starts;
            }

            return _starts;
        }
    }

    /// <summary>The number of rows of block <paramref name="block"/> (0-based).</summary>
    protected abstract int RowsInBlock(int block);

    /// <summary>Writes the rows of block <paramref name="block"/> into <paramref name="destination"/> (<c>RowsInBlock(block) × Columns</c> values, row-major).</summary>
    protected abstract void ReadBlock(int block, Span<float> destination);

    /// <inheritdoc/>
    internal sealed override IEnumerable<(long Start, int Rows)> Blocks(long start, long count)
    {
        long[] starts = Starts;
        long end = start + count;
        for (int b = First(start); b < starts.Length - 1 && starts[b] < end; b++)
        {
            long from = Math.Max(start, starts[b]), to = Math.Min(end, starts[b + 1]);
            if (to > from)
            {
                yield return (from, (int)(to - from));
            }
        }
    }

    /// <inheritdoc/>
    internal sealed override void ReadRange(long start, int count, Span<float> destination)
    {
        long[] starts = Starts;
        int block = count > 0 ? First(start) : -1;
        if (block >= 0 && starts[block] == start && starts[block + 1] - start == count)
        {
            ReadBlock(block, destination[..(count * Columns)]); // a whole block, decoded in place
            return;
        }

        base.ReadRange(start, count, destination);
    }

    /// <inheritdoc/>
    internal sealed override RowReader OpenRows(long start, long count)
    {
        long rows = Starts[^1];
        long first = Math.Min(start, rows);
        return new Reader(this, first, Math.Min(count, rows - first));
    }

    /// <summary>The block holding row <paramref name="row"/>, passing empty blocks.</summary>
    private int First(long row)
    {
        long[] starts = Starts;
        int index = Array.BinarySearch(starts, row);
        int block = index >= 0 ? index : ~index - 1;
        while (block < starts.Length - 2 && starts[block + 1] == starts[block])
        {
            block++; // empty blocks hold no row
        }

        return block;
    }

    /// <summary>A pass over rows <c>[first, first + count)</c>, one block decoded at a time.</summary>
    private sealed class Reader(BlockDataSource source, long first, long count) : RowReader(source.Columns)
    {
        private readonly long _end = first + count;
        private long _next = first;
        private int _block = -1;
        private float[] _values = [];

        public override int Read(Span<float> destination, int rows)
        {
            int read = 0;
            long[] starts = source.Starts;
            while (read < rows && _next < _end)
            {
                int block = source.First(_next);
                int blockRows = (int)(starts[block + 1] - starts[block]);
                if (block != _block)
                {
                    if (_values.Length < (long)blockRows * Columns)
                    {
                        _values = new float[(long)blockRows * Columns];
                    }

                    source.ReadBlock(block, _values.AsSpan(0, blockRows * Columns));
                    _block = block;
                }

                int offset = (int)(_next - starts[block]);
                int take = (int)Math.Min(Math.Min(rows - read, blockRows - offset), _end - _next);
                _values.AsSpan(offset * Columns, take * Columns).CopyTo(destination.Slice(read * Columns, take * Columns));
                read += take;
                _next += take;
            }

            return read;
        }

        public override long Skip(long rows)
        {
            long take = Math.Min(rows, _end - _next);
            _next += take;
            return take;
        }
    }
}

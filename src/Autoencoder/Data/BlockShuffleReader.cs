namespace Autoencoder.Data;

/// <summary>
/// A seekable source's shuffle without holding it: the rows are cut into blocks of about 1 MiB,
/// the blocks are put in a random order, and each window of <see cref="WindowBlocks"/> blocks in
/// that order is read whole and given out in a random order of its rows. The order depends only
/// on the key and the number of rows, so a pass can be started part-way exactly (skipped windows
/// are not read).
/// </summary>
internal sealed class BlockShuffleReader : RowReader
{
    /// <summary>Blocks per window: a window holds about 32 MiB of rows.</summary>
    public const int WindowBlocks = 32;

    private const int BlockBytes = 1 << 20;

    /// <summary>The generator stream of block shuffles (independent of training's generators).</summary>
    private const ulong Stream = 13;

    private readonly DataSource _source;
    private readonly long _start;
    private readonly long _count;
    private readonly int _blockRows;
    private readonly int[] _blocks;
    private readonly float[] _window;
    private int[] _rowOrder = [];
    private Pcg32 _random;
    private int _nextWindow;
    private int _windowRows;
    private int _position;

    public BlockShuffleReader(DataSource source, long start, long count, ulong key, long skip)
        : base(source.Columns)
    {
        _source = source;
        _start = start;
        _count = count;
        _blockRows = BlockRows(source.Columns);
        long blocks = (count + _blockRows - 1) / _blockRows;
        if (blocks > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(count), Invariant($"A shuffled pass holds at most {(long)Array.MaxLength * _blockRows} rows of {source.Columns} values; got {count}."));
        }

        _blocks = new int[blocks];
        for (int i = 0; i < _blocks.Length; i++)
        {
            _blocks[i] = i;
        }

        _random = new Pcg32(key, Stream);
        _random.Shuffle(_blocks);
        _window = new float[(long)Math.Min(count, (long)WindowBlocks * _blockRows) * Columns];

        // Whole windows before the position are passed by drawing their row orders only.
        long remaining = skip;
        while (remaining > 0 && _nextWindow * WindowBlocks < _blocks.Length)
        {
            int rows = WindowRows(_nextWindow);
            if (remaining < rows)
            {
                LoadWindow();
                _position = (int)remaining;
                return;
            }

            ShuffleRows(rows);
            _nextWindow++;
            remaining -= rows;
        }
    }

    /// <summary>Rows per block for rows of <paramref name="columns"/> float32 values.</summary>
    public static int BlockRows(int columns) => Math.Max(1, BlockBytes / (4 * columns));

    /// <inheritdoc/>
    public override int Read(Span<float> destination, int rows)
    {
        int read = 0;
        int width = Columns;
        while (read < rows)
        {
            if (_position == _windowRows)
            {
                if (_nextWindow * WindowBlocks >= _blocks.Length)
                {
                    break;
                }

                LoadWindow();
            }

            int take = Math.Min(rows - read, _windowRows - _position);
            for (int r = 0; r < take; r++)
            {
                _window.AsSpan(_rowOrder[_position + r] * width, width).CopyTo(destination.Slice((read + r) * width, width));
            }

            _position += take;
            read += take;
        }

        return read;
    }

    private int WindowRows(int window)
    {
        int rows = 0;
        for (int b = window * WindowBlocks; b < Math.Min(_blocks.Length, (window + 1) * WindowBlocks); b++)
        {
            rows += BlockLength(_blocks[b]);
        }

        return rows;
    }

    private int BlockLength(int block) => (int)Math.Min(_blockRows, _count - ((long)block * _blockRows));

    private void ShuffleRows(int rows)
    {
        if (_rowOrder.Length != rows)
        {
            _rowOrder = new int[rows];
        }

        for (int i = 0; i < rows; i++)
        {
            _rowOrder[i] = i;
        }

        _random.Shuffle(_rowOrder);
    }

    private void LoadWindow()
    {
        int filled = 0;
        for (int b = _nextWindow * WindowBlocks; b < Math.Min(_blocks.Length, (_nextWindow + 1) * WindowBlocks); b++)
        {
            int block = _blocks[b];
            int length = BlockLength(block);
            using RowReader reader = _source.OpenRows(_start + ((long)block * _blockRows), length);
            int read = reader.ReadFully(_window.AsSpan(filled * Columns), length);
            if (read != length)
            {
                throw new InvalidDataException(Invariant($"The data source ended inside rows {_start + ((long)block * _blockRows)}+{length}; it was to hold {_count} rows from row {_start}."));
            }

            filled += length;
        }

        ShuffleRows(filled);
        _windowRows = filled;
        _position = 0;
        _nextWindow++;
    }
}

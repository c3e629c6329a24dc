namespace Autoencoder.Data;

/// <summary>
/// A seekable source's shuffle without holding it: the rows come in blocks (the source's own,
/// such as a Parquet file's row groups, else about 1 MiB each), the blocks are put in a random
/// order, and each window of consecutive blocks in that order (as many as make up
/// <see cref="WindowBytes"/>, at least one) is read whole and given out in a random order of its
/// rows. The order depends only on the key and the blocks, so a pass can be started part-way
/// exactly (skipped windows are not read).
/// </summary>
internal sealed class BlockShuffleReader : RowReader
{
    /// <summary>The size of the rows a window holds, unless one block is larger: 32 MiB.</summary>
    public const long WindowBytes = 32L << 20;

    private const int BlockBytes = 1 << 20;

    /// <summary>The generator stream of block shuffles (independent of training's generators).</summary>
    private const ulong Stream = 13;

    private readonly DataSource _source;
    private readonly (long Start, int Rows)[] _blocks;
    private readonly List<(int First, int End, int Rows)> _windows = [];
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
        _blocks = [.. source.Blocks(start, count)];
        _random = new Pcg32(key, Stream);
        var order = new int[_blocks.Length];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        _random.Shuffle(order);
        _blocks = [.. order.Select(i => _blocks[i])];

        // Windows: consecutive blocks in the shuffled order, each at least one block and about WindowBytes.
        long bytesPerRow = 4L * Columns;
        int largest = 0;
        for (int first = 0; first < _blocks.Length;)
        {
            int end = first, rows = 0;
            while (end < _blocks.Length && (end == first || (long)(rows + _blocks[end].Rows) * bytesPerRow <= source.ShuffleWindowBytes))
            {
                rows += _blocks[end].Rows;
                end++;
            }

            _windows.Add((first, end, rows));
            largest = Math.Max(largest, rows);
            first = end;
        }

        _window = new float[(long)largest * Columns];

        // Whole windows before the position are passed by drawing their row orders only.
        long remaining = skip;
        while (remaining > 0 && _nextWindow < _windows.Count)
        {
            int rows = _windows[_nextWindow].Rows;
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

    /// <summary>Rows per block for rows of <paramref name="columns"/> float32 values, when the source has no blocks of its own.</summary>
    public static int BlockRows(int columns) => Math.Max(1, BlockBytes / (4 * columns));

    /// <summary>Rows <c>[start, start + count)</c> cut into blocks of <see cref="BlockRows"/> rows.</summary>
    public static IEnumerable<(long Start, int Rows)> FixedBlocks(long start, long count, int columns)
    {
        int rows = BlockRows(columns);
        for (long s = start; s < start + count; s += rows)
        {
            yield return (s, (int)Math.Min(rows, start + count - s));
        }
    }

    /// <inheritdoc/>
    public override int Read(Span<float> destination, int rows)
    {
        int read = 0;
        int width = Columns;
        while (read < rows)
        {
            if (_position == _windowRows)
            {
                if (_nextWindow >= _windows.Count)
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
        var (first, end, rows) = _windows[_nextWindow];
        int filled = 0;
        for (int b = first; b < end; b++)
        {
            var (blockStart, length) = _blocks[b];
            _source.ReadRange(blockStart, length, _window.AsSpan(filled * Columns, length * Columns));
            filled += length;
        }

        ShuffleRows(rows);
        _windowRows = rows;
        _position = 0;
        _nextWindow++;
    }
}

using Autoencoder.Kernels;

namespace Autoencoder.Data;

/// <summary>The rows of a jagged array, read in place.</summary>
internal sealed class JaggedSource : InMemorySource
{
    private readonly float[][] _rows;
    private readonly int _start;

    public JaggedSource(float[][] rows)
        : this(Checked(rows), 0, rows.Length)
    {
    }

    private JaggedSource(float[][] rows, int start, int count)
        : base(rows[0].Length, count)
    {
        _rows = rows;
        _start = start;
    }

    /// <inheritdoc/>
    public override ReadOnlySpan<float> Row(int index) => _rows[_start + index];

    /// <inheritdoc/>
    public override unsafe void Gather(ReadOnlySpan<int> order, float[] destination)
    {
        fixed (int* rows = order)
        {
            var work = new GatherWork { Rows = _rows, Order = rows, Start = _start, Destination = destination, Width = Columns };
            WorkerPool.InHalves(ref work, order.Length, parallelMinimum: ((1 << 16) + Columns - 1) / Columns, alignment: 1);
        }
    }

    /// <inheritdoc/>
    public override bool TryGetContiguous(out ReadOnlyMemory<float> values)
    {
        values = default;
        return false;
    }

    /// <inheritdoc/>
    private protected override InMemorySource SliceRows(int start, int count) => new JaggedSource(_rows, _start + start, count);

    private static float[][] Checked(float[][] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Length == 0)
        {
            throw new ArgumentException("rows must hold at least one row; got an empty array.", nameof(rows));
        }

        int width = rows[0]?.Length ?? throw new ArgumentException("rows[0] is null; every row must be an array of values.", nameof(rows));
        for (int r = 0; r < rows.Length; r++)
        {
            if (rows[r] is not { } row)
            {
                throw new ArgumentException(Invariant($"rows[{r}] is null; every row must be an array of values."), nameof(rows));
            }

            if (row.Length != width)
            {
                throw new ArgumentException(Invariant($"rows[{r}] has {row.Length} values; every row must have as many as rows[0], {width}."), nameof(rows));
            }
        }

        if (width == 0)
        {
            throw new ArgumentException("rows must have at least one value each; got rows of length 0.", nameof(rows));
        }

        return rows;
    }

    /// <summary>Rows <c>[start, start + length)</c> of a batch gathered from the rows.</summary>
    private unsafe struct GatherWork : IRangeWork
    {
        public float[][] Rows;
        public int* Order;
        public int Start;
        public float[] Destination;
        public int Width;

        public readonly void Run(int part, int start, int length)
        {
            for (int r = start; r < start + length; r++)
            {
                Rows[Start + Order[r]].AsSpan().CopyTo(Destination.AsSpan(r * Width, Width));
            }
        }
    }
}

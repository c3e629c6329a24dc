namespace Autoencoder.Data;

/// <summary>Another source's rows passed through a <see cref="FeatureScaler"/> as they are read: same order, blocks and seeking.</summary>
internal sealed class ScaledSource : DataSource
{
    private readonly DataSource _inner;
    private readonly FeatureScaler _scaler;

    public ScaledSource(DataSource inner, FeatureScaler scaler)
        : base(inner.Columns)
    {
        _inner = inner;
        _scaler = scaler;
        ShuffleBufferRows = inner.ShuffleBufferRows;
        ShuffleWindowBytes = inner.ShuffleWindowBytes;
    }

    /// <inheritdoc/>
    public override long? RowCount => _inner.RowCount;

    /// <inheritdoc/>
    internal override bool CanSeek => _inner.CanSeek;

    /// <inheritdoc/>
    internal override string Identity =>
        Invariant($"{_inner.Identity} scaled {_scaler.Scaling} by {string.Join(",", _scaler.Offset.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}/{string.Join(",", _scaler.Scale.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}");

    /// <summary>The rows of <paramref name="source"/> scaled: in memory a scaled copy (so training visits them as it visits any rows in memory), else scaled as they are read.</summary>
    /// <exception cref="ArgumentException">The source's rows are not as wide as the scaler's.</exception>
    public static DataSource Of(DataSource source, FeatureScaler scaler, string name = "x")
    {
        if (source.Columns != scaler.FeatureCount)
        {
            throw new ArgumentException(Invariant($"{name} must have {scaler.FeatureCount} columns (one per input feature of the model); got {source.Columns} columns."), name);
        }

        if (source is MatrixSource matrix)
        {
            source = matrix.ToRowMajor();
        }

        if (source is not InMemorySource memory)
        {
            return new ScaledSource(source, scaler);
        }

        int columns = source.Columns;
        var values = new float[(long)memory.Rows * columns];
        for (int r = 0; r < memory.Rows; r++)
        {
            scaler.Transform(memory.Row(r), values.AsSpan(r * columns, columns));
        }

        return new ContiguousSource(values, columns);
    }

    /// <inheritdoc/>
    internal override IEnumerable<(long Start, int Rows)> Blocks(long start, long count) => _inner.Blocks(start, count);

    /// <inheritdoc/>
    internal override void ReadRange(long start, int count, Span<float> destination)
    {
        _inner.ReadRange(start, count, destination);
        for (int r = 0; r < count; r++)
        {
            Span<float> row = destination.Slice(r * Columns, Columns);
            _scaler.Transform(row, row);
        }
    }

    /// <inheritdoc/>
    internal override RowReader OpenRows(long start, long count) => new Reader(_inner.OpenRows(start, count), _scaler);

    /// <summary>A pass of the inner source, each row scaled in place.</summary>
    private sealed class Reader(RowReader inner, FeatureScaler scaler) : RowReader(inner.Columns)
    {
        public override int Read(Span<float> destination, int rows)
        {
            int read = inner.Read(destination, rows);
            for (int r = 0; r < read; r++)
            {
                Span<float> row = destination.Slice(r * Columns, Columns);
                scaler.Transform(row, row);
            }

            return read;
        }

        public override long Skip(long rows) => inner.Skip(rows);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
        }
    }
}

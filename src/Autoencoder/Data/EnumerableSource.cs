namespace Autoencoder.Data;

/// <summary>Rows streamed from an enumerable, enumerated afresh for each pass.</summary>
internal sealed class EnumerableSource : DataSource
{
    private readonly IEnumerable<float[]> _rows;
    private readonly long? _rowCount;

    public EnumerableSource(IEnumerable<float[]> rows, int columns, long? rowCount)
        : base(columns)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rowCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rowCount), Invariant($"rowCount must not be negative; got {rowCount}."));
        }

        _rows = rows;
        _rowCount = rowCount;
    }

    /// <inheritdoc/>
    public override long? RowCount => _rowCount;

    /// <inheritdoc/>
    internal override string Identity => Invariant($"enumerable of {Columns}-value rows");

    /// <inheritdoc/>
    internal override RowReader OpenRows(long start, long count)
    {
        var reader = new Reader(_rows.GetEnumerator(), Columns, count + start);
        reader.Skip(start);
        return reader;
    }

    /// <summary>One enumeration, ending after <c>end</c> rows.</summary>
    private sealed class Reader(IEnumerator<float[]> rows, int columns, long end) : RowReader(columns)
    {
        private long _index;

        public override int Read(Span<float> destination, int count)
        {
            int read = 0;
            while (read < count && _index < end && rows.MoveNext())
            {
                float[] row = rows.Current ?? throw new ArgumentException(Invariant($"The enumerable gave null for row {_index}; every row must be an array of {Columns} values."), "rows");
                if (row.Length != Columns)
                {
                    throw new ArgumentException(Invariant($"The enumerable's row {_index} has {row.Length} values; expected {Columns}."), "rows");
                }

                row.CopyTo(destination.Slice(read * Columns, Columns));
                read++;
                _index++;
            }

            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                rows.Dispose();
            }
        }
    }
}

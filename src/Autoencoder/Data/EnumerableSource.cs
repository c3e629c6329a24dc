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
        return Skipped(new Reader(_rows.GetEnumerator(), Columns, count + start), start);
    }

    /// <summary>Row <paramref name="index"/> of an enumeration, which must be an array of <paramref name="columns"/> values.</summary>
    /// <exception cref="ArgumentException">The row is null or of another length.</exception>
    internal static float[] Checked(float[]? row, long index, int columns)
    {
        if (row is null)
        {
            throw new ArgumentException(Invariant($"The enumerable gave null for row {index}; every row must be an array of {columns} values."), "rows");
        }

        return row.Length == columns
            ? row
            : throw new ArgumentException(Invariant($"The enumerable's row {index} has {row.Length} values; expected {columns}."), "rows");
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
                float[] row = EnumerableSource.Checked(rows.Current, _index, Columns);
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

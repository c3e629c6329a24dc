namespace Autoencoder.Data;

/// <summary>Rows streamed from an asynchronous enumerable, enumerated afresh for each pass.</summary>
internal sealed class AsyncEnumerableSource : DataSource
{
    private readonly IAsyncEnumerable<float[]> _rows;
    private readonly long? _rowCount;

    public AsyncEnumerableSource(IAsyncEnumerable<float[]> rows, int columns, long? rowCount)
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
    internal override string Identity => Invariant($"asynchronous enumerable of {Columns}-value rows");

    /// <inheritdoc/>
    internal override RowReader OpenRows(long start, long count)
    {
        // Each pass reads ahead on its own thread, which waits for the enumerator.
        var reader = new PrefetchReader(new Reader(_rows.GetAsyncEnumerator(), Columns, start + count), blockRows: 256);
        reader.Skip(start);
        return reader;
    }

    /// <summary>One enumeration, ending after <c>end</c> rows; used from the prefetching thread only.</summary>
    private sealed class Reader(IAsyncEnumerator<float[]> rows, int columns, long end) : RowReader(columns)
    {
        private long _index;

        public override int Read(Span<float> destination, int count)
        {
            int read = 0;
            while (read < count && _index < end && Next())
            {
                float[] row = EnumerableSource.Checked(rows.Current, _index, Columns);
                row.CopyTo(destination.Slice(read * Columns, Columns));
                read++;
                _index++;
            }

            return read;
        }

        private bool Next()
        {
            ValueTask<bool> next = rows.MoveNextAsync();
            return next.IsCompletedSuccessfully ? next.Result : next.AsTask().GetAwaiter().GetResult();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                rows.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }
}

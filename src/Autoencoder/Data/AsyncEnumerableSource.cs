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
        var stop = new CancellationTokenSource();
        return Skipped(new PrefetchReader(new Reader(_rows.GetAsyncEnumerator(stop.Token), Columns, start + count, stop), blockRows: 256), start);
    }

    /// <summary>One enumeration, ending after <c>end</c> rows, cancelled through <c>stop</c>; used (and disposed) on the prefetching thread only.</summary>
    private sealed class Reader(IAsyncEnumerator<float[]> rows, int columns, long end, CancellationTokenSource stop) : RowReader(columns)
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

        /// <inheritdoc/>
        public override void Cancel() => stop.Cancel();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                // The token source is left to the collector: Cancel may still come from the other thread.
                rows.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }
}

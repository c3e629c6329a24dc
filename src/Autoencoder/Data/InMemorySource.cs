namespace Autoencoder.Data;

/// <summary>
/// Rows held in memory and read by index: training gathers each batch straight from them in the
/// epoch's order, as it always did for a matrix.
/// </summary>
internal abstract class InMemorySource : DataSource
{
    private protected InMemorySource(int columns, int rows)
        : base(columns) => Rows = rows;

    /// <summary>The number of rows.</summary>
    public int Rows { get; }

    /// <inheritdoc/>
    public override long? RowCount => Rows;

    /// <inheritdoc/>
    internal override bool CanSeek => true;

    /// <inheritdoc/>
    internal override string Identity => "memory";

    /// <summary>Row <paramref name="index"/> (0-based within this source).</summary>
    public abstract ReadOnlySpan<float> Row(int index);

    /// <summary>Copies the rows listed in <paramref name="order"/>, in that order, into <paramref name="destination"/> (row-major); large batches are copied in two halves on the worker pool.</summary>
    public abstract void Gather(ReadOnlySpan<int> order, float[] destination);

    /// <summary>The values of all rows, row-major, when they lie in one block of memory.</summary>
    public abstract bool TryGetContiguous(out ReadOnlyMemory<float> values);

    /// <summary>Checks every value against <paramref name="rule"/>; the message names <paramref name="name"/>, the row and the column.</summary>
    /// <exception cref="ArgumentException">A value is not finite or not allowed.</exception>
    public void CheckValues(string name, ValueRule rule)
    {
        if (TryGetContiguous(out ReadOnlyMemory<float> all))
        {
            RowChecks.CheckBlock(all.Span, Rows, Columns, 0, name, rule);
            return;
        }

        for (int r = 0; r < Rows; r++)
        {
            RowChecks.Check(Row(r), r, name, rule);
        }
    }

    /// <inheritdoc/>
    internal override RowReader OpenRows(long start, long count) =>
        new Reader(this, (int)Math.Min(start, Rows), (int)Math.Min(count, Rows - Math.Min(start, Rows)));

    /// <summary>The rows <c>[start, start + count)</c> as an in-memory source of their own.</summary>
    private protected abstract InMemorySource SliceRows(int start, int count);

    /// <inheritdoc/>
    private protected override DataSource SliceCore(long start, long count, bool countKnown) => SliceRows((int)start, (int)count);

    /// <summary>A pass over rows <c>[start, start + count)</c>, copied one at a time.</summary>
    private sealed class Reader(InMemorySource source, int start, int count) : RowReader(source.Columns)
    {
        private readonly int _end = start + count;
        private int _next = start;

        public override int Read(Span<float> destination, int rows)
        {
            int take = Math.Min(rows, _end - _next);
            for (int r = 0; r < take; r++)
            {
                source.Row(_next + r).CopyTo(destination.Slice(r * Columns, Columns));
            }

            _next += take;
            return take;
        }

        public override long Skip(long rows)
        {
            int take = (int)Math.Min(rows, _end - _next);
            _next += take;
            return take;
        }
    }
}

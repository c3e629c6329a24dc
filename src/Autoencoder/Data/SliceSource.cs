namespace Autoencoder.Data;

/// <summary>Rows <c>[start, start + count)</c> of a file or stream source, read through it.</summary>
internal sealed class SliceSource : DataSource
{
    private readonly DataSource _inner;
    private readonly long _start;
    private readonly long _count;
    private readonly bool _countKnown;

    /// <summary>The slice; <paramref name="countKnown"/> says the inner source holds all its rows (known, or counted).</summary>
    public SliceSource(DataSource inner, long start, long count, bool countKnown)
        : base(inner.Columns)
    {
        _inner = inner;
        _start = start;
        _count = count;
        _countKnown = countKnown;
    }

    /// <inheritdoc/>
    public override long? RowCount => _countKnown ? _count : null;

    /// <inheritdoc/>
    internal override bool CanSeek => _inner.CanSeek;

    /// <inheritdoc/>
    internal override string Identity => Invariant($"{_inner.Identity} rows {_start}+{_count}");

    /// <inheritdoc/>
    internal override RowReader OpenRows(long start, long count) =>
        _inner.OpenRows(_start + Math.Min(start, _count), Math.Min(count, _count - Math.Min(start, _count)));

    /// <inheritdoc/>
    internal override void ReadRange(long start, int count, Span<float> destination) => _inner.ReadRange(_start + start, count, destination);

    /// <inheritdoc/>
    internal override IEnumerable<(long Start, int Rows)> Blocks(long start, long count) =>
        _inner.Blocks(_start + start, count).Select(b => (b.Start - _start, b.Rows));

    /// <inheritdoc/>
    private protected override DataSource SliceCore(long start, long count, bool countKnown) =>
        new SliceSource(_inner, _start + start, count, countKnown) { ShuffleBufferRows = ShuffleBufferRows, ShuffleWindowBytes = ShuffleWindowBytes };
}

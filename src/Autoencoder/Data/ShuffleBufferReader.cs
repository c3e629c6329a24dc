namespace Autoencoder.Data;

/// <summary>
/// A stream's approximate shuffle, as tf.data's: a buffer is filled with the first rows; each row
/// given out is drawn uniformly from the buffer and its place taken by the next row of the stream.
/// The order depends only on the key and the stream's rows, so a pass can be repeated exactly.
/// </summary>
internal sealed class ShuffleBufferReader : RowReader
{
    /// <summary>The generator stream of shuffle buffers (independent of training's generators).</summary>
    private const ulong Stream = 11;

    private readonly RowReader _inner;
    private readonly float[] _buffer;
    private Pcg32 _random;
    private int _filled;
    private bool _exhausted;

    public ShuffleBufferReader(RowReader inner, int bufferRows, ulong key)
        : base(inner.Columns)
    {
        _inner = inner;
        _random = new Pcg32(key, Stream);
        _buffer = new float[(long)bufferRows * Columns];
        _filled = inner.ReadFully(_buffer, bufferRows);
        _exhausted = _filled < bufferRows;
    }

    /// <inheritdoc/>
    public override int Read(Span<float> destination, int rows)
    {
        int read = 0;
        int width = Columns;
        while (read < rows && _filled > 0)
        {
            int pick = _random.NextInt(_filled);
            Span<float> slot = _buffer.AsSpan(pick * width, width);
            slot.CopyTo(destination.Slice(read * width, width));
            read++;
            if (!_exhausted && _inner.Read(slot, 1) == 1)
            {
                continue;
            }

            _exhausted = true;
            _filled--;
            if (pick != _filled)
            {
                _buffer.AsSpan(_filled * width, width).CopyTo(slot);
            }
        }

        return read;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }
    }
}

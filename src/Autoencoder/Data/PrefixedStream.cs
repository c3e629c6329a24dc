namespace Autoencoder.Data;

/// <summary>
/// A forward-only read stream that first returns bytes already taken from another stream
/// (a peeked prefix) and then the rest of that stream, so a format can be sniffed on streams
/// that cannot seek. Disposing it leaves the inner stream open.
/// </summary>
internal sealed class PrefixedStream : ForwardOnlyStream
{
    private readonly byte[] _prefix;
    private readonly Stream _inner;
    private int _prefixPosition;

    /// <summary>Creates a stream that yields <paramref name="prefix"/> and then the remainder of <paramref name="inner"/>.</summary>
    public PrefixedStream(byte[] prefix, Stream inner)
    {
        _prefix = prefix;
        _inner = inner;
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        int remaining = _prefix.Length - _prefixPosition;
        if (remaining > 0)
        {
            int n = Math.Min(remaining, buffer.Length);
            _prefix.AsSpan(_prefixPosition, n).CopyTo(buffer);
            _prefixPosition += n;
            return n;
        }

        return _inner.Read(buffer);
    }
}

namespace Autoencoder.Data;

/// <summary>
/// A stream that can only be read, front to back: everything but <see cref="Read(Span{byte})"/> is
/// fixed here (no length, no position, no seeking, no writing), so a reader stream states only how it reads.
/// </summary>
internal abstract class ForwardOnlyStream : Stream
{
    public sealed override bool CanRead => true;

    public sealed override bool CanSeek => false;

    public sealed override bool CanWrite => false;

    public sealed override long Length => throw new NotSupportedException("The stream does not support seeking.");

    public sealed override long Position
    {
        get => throw new NotSupportedException("The stream does not support seeking.");
        set => throw new NotSupportedException("The stream does not support seeking.");
    }

    public sealed override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public abstract override int Read(Span<byte> buffer);

    public sealed override void Flush()
    {
    }

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("The stream does not support seeking.");

    public sealed override void SetLength(long value) => throw new NotSupportedException("The stream does not support writing.");

    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("The stream does not support writing.");
}

namespace Autoencoder.Data;

/// <summary>
/// A text reader that first gives back text already taken from another reader (the lines read to
/// detect a delimiter), then the rest of that reader. Disposing it disposes the other reader only
/// when it owns it, so a caller's reader stays open.
/// </summary>
internal sealed class ReplayTextReader(string replay, TextReader inner, bool ownsInner) : TextReader
{
    private int _position;

    public override int Peek() => _position < replay.Length ? replay[_position] : inner.Peek();

    public override int Read() => _position < replay.Length ? replay[_position++] : inner.Read();

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        if (_position >= replay.Length)
        {
            return inner.Read(buffer);
        }

        int count = Math.Min(buffer.Length, replay.Length - _position);
        replay.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override int ReadBlock(Span<char> buffer)
    {
        int total = 0;
        int read;
        while (total < buffer.Length && (read = Read(buffer[total..])) > 0)
        {
            total += read;
        }

        return total;
    }

    public override int ReadBlock(char[] buffer, int index, int count) => ReadBlock(buffer.AsSpan(index, count));

    protected override void Dispose(bool disposing)
    {
        if (disposing && ownsInner)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

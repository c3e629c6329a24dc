using Autoencoder.Data;

namespace Autoencoder.Tests.Data;

public class PrefixedStreamTests
{
    [Fact]
    public void Read_ReturnsThePrefixThenTheInnerStream()
    {
        using var stream = new PrefixedStream([1, 2, 3], new MemoryStream([4, 5, 6, 7]));
        var buffer = new byte[10];

        Assert.Equal(2, stream.Read(buffer, 0, 2));
        Assert.Equal(1, stream.Read(buffer, 2, 8)); // never mixes prefix and inner bytes in one read
        int rest = stream.ReadAtLeast(buffer.AsSpan(3), 4, throwOnEndOfStream: false);

        Assert.Equal(4, rest);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7 }, buffer[..7]);
        Assert.Equal(0, stream.Read(buffer, 0, 10));
    }

    [Fact]
    public void Stream_IsReadOnlyAndNotSeekable()
    {
        using var stream = new PrefixedStream([], new MemoryStream());
        Assert.True(stream.CanRead);
        Assert.False(stream.CanSeek);
        Assert.False(stream.CanWrite);
        Assert.Throws<NotSupportedException>(() => stream.Length);
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.Write([1], 0, 1));
    }

    [Fact]
    public void Dispose_LeavesTheInnerStreamOpen()
    {
        var inner = new MemoryStream([1]);
        new PrefixedStream([], inner).Dispose();
        Assert.True(inner.CanRead);
    }
}

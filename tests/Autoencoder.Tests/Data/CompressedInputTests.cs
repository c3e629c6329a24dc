using Autoencoder.Data;

namespace Autoencoder.Tests.Data;

public class CompressedInputTests
{
    private static (byte[] Content, bool IsGzip) ReadAll(byte[] input)
    {
        using Stream content = CompressedInput.Open(new NonSeekableStream(input, 5), out bool isGzip);
        var output = new MemoryStream();
        content.CopyTo(output);
        return (output.ToArray(), isGzip);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x1F })]
    [InlineData(new byte[] { 0x8B, 0x1F, 3 })]
    [InlineData(new byte[] { 0, 0, 8, 3, 0, 0, 0, 1, 42 })]
    public void Open_PlainInput_ReturnsItUnchanged(byte[] input)
    {
        (byte[] content, bool isGzip) = ReadAll(input);
        Assert.False(isGzip);
        Assert.Equal(input, content);
    }

    [Fact]
    public void Open_GzipInput_ReturnsTheDecompressedContent()
    {
        byte[] original = [.. Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7))];
        (byte[] content, bool isGzip) = ReadAll(IdxBytes.Gzip(original));
        Assert.True(isGzip);
        Assert.Equal(original, content);
    }

    [Fact]
    public void Open_DisposingTheContent_LeavesTheSourceOpen()
    {
        var source = new MemoryStream(IdxBytes.Gzip([1, 2, 3]));
        CompressedInput.Open(source, out _).Dispose();
        Assert.True(source.CanRead);
    }

    [Fact]
    public void Open_ReadsFromTheCurrentPosition()
    {
        var source = new MemoryStream([9, 9, .. IdxBytes.Gzip([1, 2, 3])]);
        source.Position = 2;
        using Stream content = CompressedInput.Open(source, out bool isGzip);
        var output = new MemoryStream();
        content.CopyTo(output);
        Assert.True(isGzip);
        Assert.Equal(new byte[] { 1, 2, 3 }, output.ToArray());
    }
}

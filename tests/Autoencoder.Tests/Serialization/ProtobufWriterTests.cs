using Autoencoder.Serialization;

namespace Autoencoder.Tests.Serialization;

/// <summary>Wire-format bytes checked against the encoding examples of the protocol-buffers documentation and by hand.</summary>
public sealed class ProtobufWriterTests
{
    [Theory]
    [InlineData(1, 150L, new byte[] { 0x08, 0x96, 0x01 })] // the documentation's first example
    [InlineData(2, 0L, new byte[] { 0x10, 0x00 })]
    [InlineData(1, 127L, new byte[] { 0x08, 0x7F })]
    [InlineData(1, 128L, new byte[] { 0x08, 0x80, 0x01 })]
    [InlineData(20, 1L, new byte[] { 0xA0, 0x01, 0x01 })] // field 20: the tag itself takes two bytes
    [InlineData(1, -1L, new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })] // negatives take ten bytes
    public void Int64_WritesTagAndVarint(int field, long value, byte[] expected)
    {
        var writer = new ProtobufWriter();
        writer.Int64(field, value);
        Assert.Equal(expected, writer.ToArray());
    }

    [Fact]
    public void String_WritesLengthPrefixedUtf8()
    {
        var writer = new ProtobufWriter();
        writer.String(2, "testing");
        Assert.Equal([0x12, 0x07, .. "testing"u8.ToArray()], writer.ToArray());
    }

    [Fact]
    public void Float_WritesFixed32LittleEndian()
    {
        var writer = new ProtobufWriter();
        writer.Float(2, 1f);
        Assert.Equal([0x15, 0x00, 0x00, 0x80, 0x3F], writer.ToArray());
    }

    [Fact]
    public void PackedInt64_WritesOneLengthDelimitedField()
    {
        var writer = new ProtobufWriter();
        writer.PackedInt64(4, [3, 270, 86942]); // the documentation's packed example
        Assert.Equal([0x22, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05], writer.ToArray());
    }

    [Fact]
    public void Message_PrefixesTheNestedLength()
    {
        var writer = new ProtobufWriter();
        writer.Message(3, inner => inner.Int64(1, 150)); // the documentation's embedded-message example
        Assert.Equal([0x1A, 0x03, 0x08, 0x96, 0x01], writer.ToArray());
    }

    [Fact]
    public void FloatBytes_WritesRawLittleEndianFloats()
    {
        var writer = new ProtobufWriter();
        writer.FloatBytes(9, [1f, -2f]);
        Assert.Equal([0x4A, 0x08, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0], writer.ToArray());
    }
}

using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Autoencoder.Serialization;

/// <summary>
/// The protocol-buffers wire format, as much of it as ONNX export needs: each field is a tag
/// (<c>field number &lt;&lt; 3 | wire type</c>, a varint) followed by a varint (type 0), a
/// little-endian 32-bit value (type 5) or a length-prefixed byte string (type 2: strings, bytes,
/// packed repeated numbers and nested messages). Nested messages are written to their own writer
/// first, because their length prefix must come before them.
/// </summary>
internal sealed class ProtobufWriter
{
    private const int Varint = 0;
    private const int LengthDelimited = 2;
    private const int Fixed32 = 5;

    private readonly MemoryStream _buffer = new();

    public long Length => _buffer.Length;

    public byte[] ToArray() => _buffer.ToArray();

    public void WriteTo(Stream stream) => _buffer.WriteTo(stream);

    /// <summary>An <c>int32</c>/<c>int64</c>/enum field; negative values take ten bytes, as the format requires.</summary>
    public void Int64(int field, long value)
    {
        Tag(field, Varint);
        WriteVarint((ulong)value);
    }

    public void Float(int field, float value)
    {
        Tag(field, Fixed32);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _buffer.Write(bytes);
    }

    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    /// <summary>A repeated <c>int64</c> field in packed form (proto3's default encoding).</summary>
    public void PackedInt64(int field, IEnumerable<long> values)
    {
        var packed = new ProtobufWriter();
        foreach (long value in values)
        {
            packed.WriteVarint((ulong)value);
        }

        Bytes(field, packed._buffer.GetBuffer().AsSpan(0, (int)packed.Length));
    }

    /// <summary>Floats as little-endian bytes (a <c>bytes</c> field such as ONNX's <c>raw_data</c>).</summary>
    public void FloatBytes(int field, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            Bytes(field, MemoryMarshal.AsBytes(values));
            return;
        }

        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        Bytes(field, bytes);
    }

    /// <summary>A nested message, built by <paramref name="write"/>.</summary>
    public void Message(int field, Action<ProtobufWriter> write)
    {
        var nested = new ProtobufWriter();
        write(nested);
        Bytes(field, nested._buffer.GetBuffer().AsSpan(0, (int)nested.Length));
    }

    private void Tag(int field, int wireType) => WriteVarint(((ulong)(uint)field << 3) | (uint)wireType);

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _buffer.WriteByte((byte)value);
    }
}

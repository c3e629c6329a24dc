using System.Buffers.Binary;
using System.Globalization;

namespace Autoencoder.Data;

/// <summary>
/// The header of an IDX file: a 4-byte big-endian magic number (two zero bytes, an element-type
/// code and the number of dimensions) followed by one big-endian 32-bit size per dimension.
/// Only unsigned-byte data (type code <c>0x08</c>) is supported.
/// </summary>
internal static class IdxHeader
{
    /// <summary>The IDX element-type code for unsigned bytes.</summary>
    public const int UnsignedByteType = 0x08;

    /// <summary>The magic number of the unsigned-byte IDX format with <paramref name="rank"/> dimensions.</summary>
    public static uint MagicFor(int rank) => (uint)(UnsignedByteType << 8) | (uint)rank;

    /// <summary>Number of header bytes for <paramref name="rank"/> dimensions.</summary>
    public static int Length(int rank) => 4 + (4 * rank);

    /// <summary>
    /// Reads and checks the magic number and the dimension sizes of an unsigned-byte IDX stream
    /// with <paramref name="rank"/> dimensions, leaving the stream at the first data byte.
    /// </summary>
    /// <exception cref="InvalidDataException">The stream ends inside the header, the magic number is not the expected one, or a size exceeds <see cref="int.MaxValue"/>.</exception>
    public static int[] ReadDimensions(Stream content, int rank)
    {
        Span<byte> header = stackalloc byte[Length(rank)];
        int read = content.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);

        uint expectedMagic = MagicFor(rank);
        if (read < 4)
        {
            throw new InvalidDataException(Format(
                "Truncated IDX header: expected a 4-byte magic number 0x{0:X8} ({1}) but the data ended after {2} byte(s).",
                expectedMagic,
                Describe(expectedMagic),
                read));
        }

        uint magic = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (magic != expectedMagic)
        {
            throw new InvalidDataException(Format(
                "Wrong IDX magic number: expected 0x{0:X8} ({1}) but found 0x{2:X8} ({3}).",
                expectedMagic,
                Describe(expectedMagic),
                magic,
                Describe(magic)));
        }

        if (read < header.Length)
        {
            throw new InvalidDataException(Format(
                "Truncated IDX header: expected {0} dimension size(s) ({1} header bytes) but the data ended after {2} byte(s).",
                rank,
                header.Length,
                read));
        }

        var dimensions = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(header.Slice(4 + (4 * i), 4));
            if (size > int.MaxValue)
            {
                throw new InvalidDataException(Format(
                    "Invalid IDX dimension: expected size {0} to be at most {1} but found {2}.",
                    i,
                    int.MaxValue,
                    size));
            }

            dimensions[i] = (int)size;
        }

        return dimensions;
    }

    /// <summary>A readable description of an IDX magic number, for error messages.</summary>
    public static string Describe(uint magic)
    {
        if ((magic & 0xFFFF0000u) != 0)
        {
            return "not an IDX header: the first two bytes must be zero";
        }

        int type = (int)((magic >> 8) & 0xFF);
        int rank = (int)(magic & 0xFF);
        string typeName = type switch
        {
            0x08 => "unsigned bytes",
            0x09 => "signed bytes",
            0x0B => "16-bit integers",
            0x0C => "32-bit integers",
            0x0D => "32-bit floats",
            0x0E => "64-bit floats",
            _ => Format("unknown element type 0x{0:X2}", type),
        };
        string what = (type, rank) switch
        {
            (UnsignedByteType, 1) => ", a label file",
            (UnsignedByteType, 3) => ", an image file",
            _ => string.Empty,
        };
        return Format("{0}, {1} dimension{2}{3}", typeName, rank, rank == 1 ? string.Empty : "s", what);
    }

    private static string Format(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}

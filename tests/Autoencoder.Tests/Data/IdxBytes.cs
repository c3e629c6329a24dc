using System.Buffers.Binary;
using System.IO.Compression;

namespace Autoencoder.Tests.Data;

/// <summary>Builds IDX file contents (valid or deliberately broken) for the reader tests.</summary>
internal static class IdxBytes
{
    public const uint ImageMagic = 0x00000803;
    public const uint LabelMagic = 0x00000801;

    /// <summary>An IDX3 image file whose pixel byte at (image i, pixel p) is <paramref name="pixel"/>(i, p).</summary>
    public static byte[] Images(int count, int height, int width, Func<int, int, byte> pixel)
    {
        int pixels = height * width;
        var data = new byte[count * pixels];
        for (int i = 0; i < count; i++)
        {
            for (int p = 0; p < pixels; p++)
            {
                data[(i * pixels) + p] = pixel(i, p);
            }
        }

        return Build(ImageMagic, [(uint)count, (uint)height, (uint)width], data);
    }

    /// <summary>An IDX1 label file holding <paramref name="labels"/>.</summary>
    public static byte[] Labels(params byte[] labels) => Build(LabelMagic, [(uint)labels.Length], labels);

    /// <summary>A header with the given magic and sizes followed by <paramref name="data"/>.</summary>
    public static byte[] Build(uint magic, uint[] dims, byte[] data)
    {
        var result = new byte[4 + (4 * dims.Length) + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(result, magic);
        for (int i = 0; i < dims.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(4 + (4 * i)), dims[i]);
        }

        data.CopyTo(result, 4 + (4 * dims.Length));
        return result;
    }

    public static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(raw);
        }

        return output.ToArray();
    }

    /// <summary>A simple, recognisable pixel pattern that uses 0 and 255 and values in between.</summary>
    public static byte Pattern(int image, int pixel) => (byte)(((image * 37) + (pixel * 11)) % 256);
}

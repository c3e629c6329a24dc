using System.Buffers.Binary;
using SkiaSharp;

namespace Autoencoder.Samples.Tests;

internal static class PngFile
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// Checks that <paramref name="path"/> is a PNG: its signature, an IHDR chunk first, and that
    /// SkiaSharp decodes it to the size the header states. Returns that size.
    /// </summary>
    public static (int Width, int Height) AssertValid(string path)
    {
        Assert.True(File.Exists(path), $"{path} does not exist");
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 33, $"{path} has only {bytes.Length} bytes");
        Assert.Equal(Signature, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        int width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16));
        int height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20));
        Assert.True(width > 0 && height > 0, $"{path}: IHDR says {width}×{height}");
        using SKBitmap? bitmap = SKBitmap.Decode(bytes);
        Assert.True(bitmap is not null, $"{path} does not decode");
        Assert.Equal((width, height), (bitmap!.Width, bitmap.Height));
        return (width, height);
    }

    /// <summary>Distinct colours in the decoded image: a blank picture has one.</summary>
    public static int DistinctColours(string path)
    {
        using SKBitmap bitmap = SKBitmap.Decode(path);
        return bitmap.Pixels.Distinct().Count();
    }
}

using MathNet.Numerics.LinearAlgebra;
using SkiaSharp;

namespace Autoencoder.Samples.Rendering;

/// <summary>Writes rows of grayscale images (values in [0, 1], clipped) as one PNG grid.</summary>
internal static class ImageGrid
{
    private const int Gap = 2;

    /// <summary>
    /// Saves a grid with one grid row per matrix of <paramref name="rows"/> (each matrix row is an
    /// image of <paramref name="height"/>×<paramref name="width"/> pixels), up to
    /// <paramref name="columns"/> images per grid row, each pixel drawn as a
    /// <paramref name="scale"/>×<paramref name="scale"/> square. Images that are a single line of
    /// values are drawn <see cref="StripHeight"/> pixels tall.
    /// </summary>
    /// <returns>The width and height of the PNG, in pixels.</returns>
    public static (int Width, int Height) Save(string path, IReadOnlyList<Matrix<float>> rows, int height, int width, int columns, int scale)
    {
        int drawnHeight = height == 1 ? StripHeight : height;
        int cellWidth = width * scale, cellHeight = drawnHeight * scale;
        int count = Math.Min(columns, rows.Min(r => r.RowCount));
        int imageWidth = Gap + (count * (cellWidth + Gap));
        int imageHeight = Gap + (rows.Count * (cellHeight + Gap));
        using var bitmap = new SKBitmap(new SKImageInfo(imageWidth, imageHeight, SKColorType.Rgba8888, SKAlphaType.Opaque));
        bitmap.Erase(new SKColor(90, 90, 110));
        for (int gridRow = 0; gridRow < rows.Count; gridRow++)
        {
            for (int c = 0; c < count; c++)
            {
                int left = Gap + (c * (cellWidth + Gap)), top = Gap + (gridRow * (cellHeight + Gap));
                for (int y = 0; y < cellHeight; y++)
                {
                    int sourceLine = height == 1 ? 0 : y / scale;
                    for (int x = 0; x < cellWidth; x++)
                    {
                        float value = rows[gridRow][c, (sourceLine * width) + (x / scale)];
                        byte level = (byte)Math.Round(255f * Math.Clamp(float.IsFinite(value) ? value : 0f, 0f, 1f));
                        bitmap.SetPixel(left + x, top + y, new SKColor(level, level, level));
                    }
                }
            }
        }

        Png.Write(path, bitmap);
        return (imageWidth, imageHeight);
    }

    /// <summary>Height in pixels (before scaling) of an image that is a single line of values.</summary>
    public const int StripHeight = 8;
}

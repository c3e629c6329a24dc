using System.Buffers.Binary;
using Autoencoder.Data;

namespace Autoencoder.Benchmarks.Data;

/// <summary>
/// Writes the benchmark's file: an IDX float32 file (type 0x0D, rows × 784) of Fashion-MNIST's
/// training images (or generated shapes without them) repeated, each copy with seeded noise, so
/// no two rows are equal.
/// </summary>
internal static class LargeFile
{
    public static void Write(string path, long rows, float[] images, int imageRows, int seed)
    {
        const int columns = 784;
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        Span<byte> header = stackalloc byte[12];
        header[2] = 0x0D;
        header[3] = 2;
        BinaryPrimitives.WriteInt32BigEndian(header[4..], checked((int)rows));
        BinaryPrimitives.WriteInt32BigEndian(header[8..], columns);
        file.Write(header);

        var random = new Random(seed);
        var bytes = new byte[columns * 4 * 256];
        for (long r = 0; r < rows; r += 256)
        {
            int count = (int)Math.Min(256, rows - r);
            for (int i = 0; i < count; i++)
            {
                int image = (int)((r + i) % imageRows);
                for (int c = 0; c < columns; c++)
                {
                    float noisy = Math.Clamp(images[(image * columns) + c] + ((float)random.NextDouble() - 0.5f) * 0.1f, 0f, 1f);
                    BinaryPrimitives.WriteSingleBigEndian(bytes.AsSpan(((i * columns) + c) * 4), noisy);
                }
            }

            file.Write(bytes, 0, count * columns * 4);
        }
    }

    /// <summary>The images the file repeats, row-major in [0, 1]: Fashion-MNIST's training set when installed, else generated shapes.</summary>
    public static (float[] Images, int Rows, string Name) Images()
    {
        const string fashion = "/usr/share/datasets/fashion-mnist";
        if (File.Exists(Path.Combine(fashion, "train-images-idx3-ubyte.gz")))
        {
            var images = IdxReader.ReadImages(Path.Combine(fashion, "train-images-idx3-ubyte.gz"));
            return (images.ToRowMajorArray(), images.RowCount, "Fashion-MNIST training images");
        }

        LabeledImages shapes = SyntheticShapes.Generate(10_000, seed: 1);
        return (shapes.Images.ToRowMajorArray(), shapes.Images.RowCount, "generated shapes");
    }
}

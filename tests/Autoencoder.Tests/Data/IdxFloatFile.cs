using System.Buffers.Binary;
using System.IO.Compression;

namespace Autoencoder.Tests.Data;

/// <summary>Writes test IDX files of big-endian float32 rows (type 0x0D, rank 2), plain or gzip.</summary>
internal static class IdxFloatFile
{
    public static string Write(string path, float[] rowMajor, int rows, int columns, bool gzip = false)
    {
        using FileStream file = File.Create(path);
        using Stream output = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        Span<byte> word = stackalloc byte[4];
        output.Write([0, 0, 0x0D, 2]);
        BinaryPrimitives.WriteInt32BigEndian(word, rows);
        output.Write(word);
        BinaryPrimitives.WriteInt32BigEndian(word, columns);
        output.Write(word);
        foreach (float value in rowMajor.AsSpan(0, rows * columns))
        {
            BinaryPrimitives.WriteSingleBigEndian(word, value);
            output.Write(word);
        }

        return path;
    }

    /// <summary>Row-major values of a matrix.</summary>
    public static float[] RowMajor(MathNet.Numerics.LinearAlgebra.Matrix<float> x)
    {
        var values = new float[x.RowCount * x.ColumnCount];
        for (int r = 0; r < x.RowCount; r++)
        {
            for (int c = 0; c < x.ColumnCount; c++)
            {
                values[(r * x.ColumnCount) + c] = x[r, c];
            }
        }

        return values;
    }
}

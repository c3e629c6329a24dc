using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Data;

/// <summary>
/// Conversions between MathNet matrices (column-major dense storage, rows = samples) and the
/// row-major blocks the layers compute on (one contiguous row per sample).
/// </summary>
internal static class RowMajor
{
    /// <summary>Rows transposed per tile: their destination cache lines stay in L1 while every column is read.</summary>
    private const int TileRows = 64;

    /// <summary>Copies rows <c>[first, first + count)</c> of <paramref name="source"/> into <paramref name="destination"/> row-major.</summary>
    public static void CopyRows(Matrix<float> source, int first, int count, Span<float> destination) =>
        CopyRows(Guard.DenseColumnMajor(source), source.RowCount, source.ColumnCount, first, count, destination);

    /// <summary>Copies rows <c>[first, first + count)</c> of dense column-major <paramref name="data"/> (<paramref name="rows"/> × <paramref name="columns"/>) row-major into <paramref name="destination"/>.</summary>
    public static void CopyRows(ReadOnlySpan<float> data, int rows, int columns, int first, int count, Span<float> destination)
    {
        // A transpose: walking whole columns would write each value to a different cache line of
        // the destination. Tiles of rows keep reads contiguous and writes within a few lines.
        for (int tile = 0; tile < count; tile += TileRows)
        {
            int tileRows = Math.Min(TileRows, count - tile);
            Span<float> target = destination.Slice(tile * columns, tileRows * columns);
            for (int c = 0; c < columns; c++)
            {
                ReadOnlySpan<float> column = data.Slice(c * rows + first + tile, tileRows);
                for (int r = 0; r < column.Length; r++)
                {
                    target[r * columns + c] = column[r];
                }
            }
        }
    }

    /// <summary>The whole matrix as a new row-major array.</summary>
    public static float[] ToArray(Matrix<float> source)
    {
        var result = new float[checked(source.RowCount * source.ColumnCount)];
        CopyRows(source, 0, source.RowCount, result);
        return result;
    }

    /// <summary>Writes <paramref name="count"/> row-major rows into rows <c>[first, first + count)</c> of a dense column-major array with <paramref name="rows"/> rows.</summary>
    public static void WriteRows(ReadOnlySpan<float> source, int count, int columns, float[] columnMajor, int rows, int first)
    {
        for (int r = 0; r < count; r++)
        {
            ReadOnlySpan<float> row = source.Slice(r * columns, columns);
            for (int c = 0; c < columns; c++)
            {
                columnMajor[c * rows + first + r] = row[c];
            }
        }
    }
}

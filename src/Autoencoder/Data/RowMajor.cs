using Autoencoder.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Data;

/// <summary>
/// Conversions between MathNet matrices (column-major dense storage, rows = samples) and the
/// row-major blocks the layers compute on (one contiguous row per sample).
/// </summary>
internal static class RowMajor
{
    /// <summary>Copies rows <c>[first, first + count)</c> of <paramref name="source"/> into <paramref name="destination"/> row-major.</summary>
    public static void CopyRows(Matrix<float> source, int first, int count, Span<float> destination) =>
        CopyRows(Guard.DenseColumnMajor(source), source.RowCount, source.ColumnCount, first, count, destination);

    /// <summary>Copies rows <c>[first, first + count)</c> of dense column-major <paramref name="data"/> (<paramref name="rows"/> × <paramref name="columns"/>) row-major into <paramref name="destination"/>.</summary>
    public static void CopyRows(ReadOnlySpan<float> data, int rows, int columns, int first, int count, Span<float> destination) =>
        Transpose.Block(data[first..], rows, columns, count, destination, columns);

    /// <summary>The whole matrix as a new row-major array.</summary>
    public static float[] ToArray(Matrix<float> source)
    {
        var result = new float[checked(source.RowCount * source.ColumnCount)];
        CopyRows(source, 0, source.RowCount, result);
        return result;
    }

    /// <summary>Writes <paramref name="count"/> row-major rows into rows <c>[first, first + count)</c> of a dense column-major array with <paramref name="rows"/> rows.</summary>
    public static void WriteRows(ReadOnlySpan<float> source, int count, int columns, Span<float> columnMajor, int rows, int first) =>
        Transpose.Block(source, columns, count, columns, columnMajor[first..], rows);
}

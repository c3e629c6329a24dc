using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Data;

public class RowMajorTests
{
    [Theory]
    [InlineData(1, 1, 0, 1)]
    [InlineData(130, 7, 0, 130)]
    [InlineData(300, 5, 17, 200)] // several tiles and a partial one, from an offset
    public void CopyRows_WritesEachRowContiguously(int rows, int columns, int first, int count)
    {
        Matrix<float> m = Matrix<float>.Build.Dense(rows, columns, (r, c) => r * 1000 + c);
        var destination = new float[count * columns];
        RowMajor.CopyRows(m, first, count, destination);
        for (int r = 0; r < count; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                Assert.Equal((first + r) * 1000 + c, destination[r * columns + c]);
            }
        }
    }

    [Fact]
    public void WriteRows_IsTheInverseOfCopyRows()
    {
        Matrix<float> m = TestData.Matrix(70, 9, seed: 3);
        float[] rowMajor = RowMajor.ToArray(m);
        var back = new float[70 * 9];
        RowMajor.WriteRows(rowMajor, 70, 9, back, 70, 0);
        Assert.Equal(m.ToColumnMajorArray(), back);
    }
}

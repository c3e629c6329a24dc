using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Samples.Evaluation;

/// <summary>Principal component projection by the singular value decomposition of centred rows.</summary>
internal static class Pca
{
    /// <summary>
    /// Projects the rows of <paramref name="x"/> onto its first <paramref name="components"/>
    /// principal axes (rows centred on their mean); returns the projections and the share of the
    /// variance each axis explains.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="components"/> is not between 1 and the column count.</exception>
    public static (Matrix<float> Projected, double[] ExplainedVariance) Project(Matrix<float> x, int components)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(components, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(components, x.ColumnCount);
        Matrix<double> data = x.Map(v => (double)v);
        Vector<double> mean = data.ColumnSums() / data.RowCount;
        Matrix<double> centred = data - Matrix<double>.Build.Dense(data.RowCount, data.ColumnCount, (_, j) => mean[j]);
        var svd = centred.Svd(computeVectors: true);
        Matrix<double> axes = svd.VT.SubMatrix(0, components, 0, data.ColumnCount).Transpose();
        double total = svd.S.Sum(s => s * s);
        double[] explained = Enumerable.Range(0, components)
            .Select(k => total > 0 ? svd.S[k] * svd.S[k] / total : 0)
            .ToArray();
        return ((centred * axes).Map(v => (float)v), explained);
    }
}

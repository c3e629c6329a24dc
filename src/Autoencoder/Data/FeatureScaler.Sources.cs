namespace Autoencoder.Data;

public sealed partial class FeatureScaler
{
    /// <summary>
    /// As <see cref="Fit(MathNet.Numerics.LinearAlgebra.Matrix{float}, FeatureScaling)"/>, on a
    /// data source read block by block: once for min-max scaling, twice for standardization (the
    /// mean, then the spread about it). The offsets and scales are the same, to the last bit, as
    /// for the same rows in a matrix.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> has no rows, or a row holds NaN or infinity.</exception>
    public static FeatureScaler Fit(DataSource data, FeatureScaling scaling)
    {
        ArgumentNullException.ThrowIfNull(data);
        Guard.Defined(scaling);
        int columns = data.Columns;
        var offset = new float[columns];
        var scale = new float[columns];
        if (scaling == FeatureScaling.MinMax)
        {
            var min = new float[columns];
            var max = new float[columns];
            long rows = Pass(data, (row, index) =>
            {
                for (int c = 0; c < columns; c++)
                {
                    float v = row[c];
                    min[c] = index == 0 ? v : Math.Min(min[c], v);
                    max[c] = index == 0 ? v : Math.Max(max[c], v);
                }
            });
            for (int c = 0; c < columns; c++)
            {
                offset[c] = min[c];
                scale[c] = ScaleOf((double)max[c] - min[c], c, roundUp: true);
            }

            return new FeatureScaler(scaling, offset, scale);
        }

        var sum = new double[columns];
        long count = Pass(data, (row, _) =>
        {
            for (int c = 0; c < columns; c++)
            {
                sum[c] += row[c];
            }
        });
        var mean = new double[columns];
        for (int c = 0; c < columns; c++)
        {
            mean[c] = sum[c] / count;
        }

        var squares = new double[columns];
        Pass(data, (row, _) =>
        {
            for (int c = 0; c < columns; c++)
            {
                double d = row[c] - mean[c];
                squares[c] += d * d;
            }
        });
        for (int c = 0; c < columns; c++)
        {
            offset[c] = (float)mean[c];
            scale[c] = ScaleOf(Math.Sqrt(squares[c] / count), c, roundUp: false);
        }

        return new FeatureScaler(scaling, offset, scale);
    }

    private delegate void RowAction(ReadOnlySpan<float> row, long index);

    /// <summary>Calls <paramref name="action"/> on every row in order, checked finite; returns the number of rows (at least one).</summary>
    private static long Pass(DataSource data, RowAction action)
    {
        int columns = data.Columns;
        int block = Math.Max(1, (1 << 18) / columns);
        var values = new float[block * columns];
        using RowReader reader = data is InMemorySource or MatrixSource
            ? data.OpenRows(0, long.MaxValue)
            : new PrefetchReader(data.OpenRows(0, long.MaxValue), block);
        long index = 0;
        int read;
        while ((read = reader.ReadFully(values, block)) > 0)
        {
            RowChecks.CheckBlock(values, read, columns, index, "data", ValueRule.AnyFinite);
            for (int r = 0; r < read; r++)
            {
                action(values.AsSpan(r * columns, columns), index++);
            }
        }

        if (index == 0)
        {
            throw new ArgumentException("data must have at least one row; the source gave none.", nameof(data));
        }

        return index;
    }
}

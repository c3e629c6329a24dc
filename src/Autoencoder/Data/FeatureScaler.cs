using System.Collections.ObjectModel;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Data;

/// <summary>
/// Scales each feature (column) of the data as <c>y = (x − Offset) / Scale</c>, with an offset and
/// a scale per feature learned by <see cref="Fit(MathNet.Numerics.LinearAlgebra.Matrix{float}, FeatureScaling)"/> (minimum and range, or mean and standard
/// deviation; see <see cref="FeatureScaling"/>). Fit it on training data, then transform the
/// training data and every later input with the same scaler.
/// </summary>
/// <remarks>
/// <para>
/// Statistics are accumulated in double and stored as float; <see cref="Transform(Matrix{float})"/>
/// and <see cref="InverseTransform(Matrix{float})"/> compute each value in double from the stored
/// floats and round once, so a scaler rebuilt from its <see cref="Offset"/> and <see cref="Scale"/>
/// gives the same results bit for bit.
/// </para>
/// <para>
/// A constant feature (range or standard deviation 0) gets <c>Scale = 1</c>: its fitted values
/// all map to 0, and a later value maps to its difference from the constant, in the feature's own
/// units, so a change in a feature that never varied is not magnified without bound.
/// </para>
/// <para>
/// Values outside the fitted range are not clamped: with <see cref="FeatureScaling.MinMax"/> they
/// map below 0 or above 1, in proportion to how far out they are, because for anomaly detection
/// that distance is information. A model trained with binary cross-entropy accepts only [0, 1], so
/// such rows are rejected with an <see cref="ArgumentException"/> when scored that way (use mean
/// squared error for data that can leave the training range). The fitted rows themselves always
/// map into [0, 1]: the range is rounded up, never down, when stored as a float.
/// </para>
/// <para>An instance never changes after it is created; any number of threads may use it at once.</para>
/// </remarks>
public sealed partial class FeatureScaler
{
    private readonly float[] _offset;
    private readonly float[] _scale;

    private FeatureScaler(FeatureScaling scaling, float[] offset, float[] scale)
    {
        Scaling = scaling;
        _offset = offset;
        _scale = scale;
        Offset = Array.AsReadOnly(offset);
        Scale = Array.AsReadOnly(scale);
    }

    /// <summary>How the offsets and scales were chosen.</summary>
    public FeatureScaling Scaling { get; }

    /// <summary>Number of features (columns) the scaler was fitted on.</summary>
    public int FeatureCount => _offset.Length;

    /// <summary>The value subtracted from each feature: its minimum (<see cref="FeatureScaling.MinMax"/>) or mean (<see cref="FeatureScaling.Standardize"/>).</summary>
    public ReadOnlyCollection<float> Offset { get; }

    /// <summary>
    /// The divisor of each feature: its range (max − min, rounded up to a float) or its population
    /// standard deviation (rounded to nearest); 1 for a constant feature. Always positive and finite.
    /// </summary>
    public ReadOnlyCollection<float> Scale { get; }

    /// <summary>The offsets, for saving; not to be modified.</summary>
    internal ReadOnlySpan<float> OffsetValues => _offset;

    /// <summary>The scales, for saving; not to be modified.</summary>
    internal ReadOnlySpan<float> ScaleValues => _scale;

    /// <summary>Learns one offset and one scale per column of <paramref name="data"/> (rows = samples).</summary>
    /// <param name="data">The training data; at least one row, every value finite.</param>
    /// <param name="scaling">Min-max to [0, 1] or standardization.</param>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="data"/> has no rows or no columns, holds NaN or infinity, or a feature's range
    /// or standard deviation exceeds the largest float.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scaling"/> is not a defined value.</exception>
    public static FeatureScaler Fit(Matrix<float> data, FeatureScaling scaling)
    {
        ArgumentNullException.ThrowIfNull(data);
        Guard.Defined(scaling);
        if (data.ColumnCount == 0)
        {
            throw new ArgumentException("data must have at least one column; got 0 columns.", nameof(data));
        }

        Guard.Data(data, data.ColumnCount, "one per feature");
        int rows = data.RowCount, columns = data.ColumnCount;
        float[] values = Guard.DenseColumnMajor(data);
        var offset = new float[columns];
        var scale = new float[columns];
        for (int c = 0; c < columns; c++)
        {
            ReadOnlySpan<float> column = values.AsSpan(c * rows, rows);
            double spread;
            if (scaling == FeatureScaling.MinMax)
            {
                float min = column[0], max = column[0];
                foreach (float v in column)
                {
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }

                offset[c] = min;
                spread = (double)max - min;
            }
            else
            {
                double sum = 0;
                foreach (float v in column)
                {
                    sum += v;
                }

                double mean = sum / rows;
                double squares = 0;
                foreach (float v in column)
                {
                    double d = v - mean;
                    squares += d * d;
                }

                offset[c] = (float)mean;
                spread = Math.Sqrt(squares / rows);
            }

            scale[c] = ScaleOf(spread, c, roundUp: scaling == FeatureScaling.MinMax);
        }

        return new FeatureScaler(scaling, offset, scale);
    }

    /// <summary>
    /// Rebuilds a scaler from stored offsets and scales (one per feature), checking them: same
    /// length, at least one, every offset finite, every scale positive and finite.
    /// </summary>
    /// <exception cref="ArgumentException">The vectors break one of those rules; the message names the first bad entry.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scaling"/> is not a defined value.</exception>
    internal static FeatureScaler FromVectors(FeatureScaling scaling, ReadOnlySpan<float> offset, ReadOnlySpan<float> scale)
    {
        Guard.Defined(scaling);
        if (offset.Length == 0 || offset.Length != scale.Length)
        {
            throw new ArgumentException(
                Invariant($"offset and scale must have the same positive length; got {offset.Length} and {scale.Length}."), nameof(scale));
        }

        for (int i = 0; i < offset.Length; i++)
        {
            if (!float.IsFinite(offset[i]))
            {
                throw new ArgumentException(Invariant($"offset must contain only finite values; got {offset[i]} at index {i}."), nameof(offset));
            }

            if (!(scale[i] > 0f) || float.IsInfinity(scale[i]))
            {
                throw new ArgumentException(Invariant($"scale must contain only positive finite values; got {scale[i]} at index {i}."), nameof(scale));
            }
        }

        return new FeatureScaler(scaling, offset.ToArray(), scale.ToArray());
    }

    /// <summary>Returns a new matrix of <c>(x − Offset) / Scale</c>, feature by feature.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="x"/> has no rows, other than <see cref="FeatureCount"/> columns, holds NaN or
    /// infinity, or a scaled value overflows a float (the message names its row and column).
    /// </exception>
    public Matrix<float> Transform(Matrix<float> x) => Map(x, inverse: false);

    /// <summary>Returns a new matrix of <c>y · Scale + Offset</c>, feature by feature: the inverse of <see cref="Transform(Matrix{float})"/> up to float rounding.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="y"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="y"/> has no rows, other than <see cref="FeatureCount"/> columns, holds NaN or
    /// infinity, or a value overflows a float (the message names its row and column).
    /// </exception>
    public Matrix<float> InverseTransform(Matrix<float> y) => Map(y, inverse: true);

    /// <summary>
    /// Writes <c>(row − Offset) / Scale</c> into <paramref name="destination"/> without allocating;
    /// <paramref name="destination"/> may be the same memory as <paramref name="row"/>.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A span's length is not <see cref="FeatureCount"/>, <paramref name="row"/> holds NaN or
    /// infinity, or a scaled value overflows a float.
    /// </exception>
    public void Transform(ReadOnlySpan<float> row, Span<float> destination) => Map(row, destination, inverse: false);

    /// <summary>
    /// Writes <c>scaled · Scale + Offset</c> into <paramref name="destination"/> without allocating;
    /// <paramref name="destination"/> may be the same memory as <paramref name="scaled"/>.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A span's length is not <see cref="FeatureCount"/>, <paramref name="scaled"/> holds NaN or
    /// infinity, or a value overflows a float.
    /// </exception>
    public void InverseTransform(ReadOnlySpan<float> scaled, Span<float> destination) => Map(scaled, destination, inverse: true);

    private static float ScaleOf(double spread, int column, bool roundUp)
    {
        if (spread == 0)
        {
            return 1f;
        }

        // A min-max range is rounded up, so that no fitted value maps beyond 1; a standard
        // deviation is rounded to nearest.
        float scale = (float)spread;
        if (roundUp && scale < spread)
        {
            scale = MathF.BitIncrement(scale);
        }

        if (float.IsInfinity(scale))
        {
            throw new ArgumentException(
                Invariant($"data column {column} must have a spread within the float range; got {spread}."), "data");
        }

        return scale == 0f ? 1f : scale;
    }

    private float Apply(float value, int feature, bool inverse) =>
        inverse
            ? (float)((value * (double)_scale[feature]) + _offset[feature])
            : (float)((value - (double)_offset[feature]) / _scale[feature]);

    private Matrix<float> Map(Matrix<float> x, bool inverse, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(x))] string? name = null)
    {
        Guard.Data(x, FeatureCount, "one per feature the scaler was fitted on", name);
        int rows = x.RowCount;
        float[] source = Guard.DenseColumnMajor(x);
        var result = new float[source.Length];
        for (int c = 0; c < FeatureCount; c++)
        {
            int start = c * rows;
            for (int r = 0; r < rows; r++)
            {
                float v = Apply(source[start + r], c, inverse);
                if (!float.IsFinite(v))
                {
                    throw Overflow(name!, source[start + r], Invariant($"row {r}, column {c}"));
                }

                result[start + r] = v;
            }
        }

        return Matrix<float>.Build.Dense(rows, FeatureCount, result);
    }

    private void Map(ReadOnlySpan<float> source, Span<float> destination, bool inverse)
    {
        string name = inverse ? "scaled" : "row";
        if (source.Length != FeatureCount)
        {
            throw new ArgumentException(Invariant($"{name} must have length {FeatureCount}; got {source.Length}."), name);
        }

        if (destination.Length != FeatureCount)
        {
            throw new ArgumentException(Invariant($"destination must have length {FeatureCount}; got {destination.Length}."), nameof(destination));
        }

        for (int c = 0; c < source.Length; c++)
        {
            if (!float.IsFinite(source[c]))
            {
                throw new ArgumentException(Invariant($"{name} must contain only finite values; got {source[c]} at index {c}."), name);
            }
        }

        for (int c = 0; c < source.Length; c++)
        {
            float v = Apply(source[c], c, inverse);
            if (!float.IsFinite(v))
            {
                throw Overflow(name, source[c], Invariant($"index {c}"));
            }

            destination[c] = v;
        }
    }

    private static ArgumentException Overflow(string name, float value, string where) =>
        new(Invariant($"{name} must map to finite values; got {value} at {where}, which overflows a float once scaled."), name);
}

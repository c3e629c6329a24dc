using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder;

/// <summary>Argument checks shared by the public entry points; messages name the rule and the value given.</summary>
internal static class Guard
{
    public static void Positive(int value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, Invariant($"{name} must be positive; got {value}."));
        }
    }

    public static void Positive(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, Invariant($"{name} must be a positive finite number; got {value}."));
        }
    }

    public static void NonNegative(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, Invariant($"{name} must be a non-negative finite number; got {value}."));
        }
    }

    public static void InRange(double value, double min, double max, bool maxInclusive, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        bool ok = value >= min && (maxInclusive ? value <= max : value < max);
        if (!ok)
        {
            string upper = maxInclusive ? "]" : ")";
            throw new ArgumentOutOfRangeException(name, Invariant($"{name} must be in [{min}, {max}{upper}; got {value}."));
        }
    }

    /// <summary>The smallest positive normal float32 (2⁻¹²⁶); below it a value loses precision, and far below it becomes 0.</summary>
    public const float SmallestNormalFloat = 1.17549435E-38f;

    /// <summary>
    /// A positive hyper-parameter the float32 kernels use as is: it must lie within float's normal
    /// range, or it would become 0 or infinity when converted.
    /// </summary>
    public static void PositiveFloat(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value >= SmallestNormalFloat && value <= float.MaxValue))
        {
            throw new ArgumentOutOfRangeException(
                name, Invariant($"{name} must be a positive number within float range [{SmallestNormalFloat}, {float.MaxValue}]; got {value}."));
        }
    }

    /// <summary>A non-negative hyper-parameter the float32 kernels use as is: at most <see cref="float.MaxValue"/>.</summary>
    public static void NonNegativeFloat(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value >= 0 && value <= float.MaxValue))
        {
            throw new ArgumentOutOfRangeException(
                name, Invariant($"{name} must be a non-negative number within float range [0, {float.MaxValue}]; got {value}."));
        }
    }

    /// <summary>
    /// <paramref name="value"/>'s text with numbers in the invariant culture: a record's generated
    /// <c>ToString</c> formats its numbers with the current culture, so it runs with the invariant one.
    /// </summary>
    public static string InvariantText(object? value)
    {
        System.Globalization.CultureInfo saved = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
        try
        {
            return value?.ToString() ?? "null";
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    public static void Defined<TEnum>(TEnum value, [CallerArgumentExpression(nameof(value))] string? name = null)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(name, Invariant($"{name} must be one of {string.Join(", ", Enum.GetNames<TEnum>())}; got {value}."));
        }
    }

    /// <summary>
    /// A result of <paramref name="rows"/> × <paramref name="width"/> values must fit one array
    /// (MathNet's dense storage is one array); checked before anything is allocated.
    /// </summary>
    public static void ResultSize(int rows, int width, string what, string name)
    {
        if ((long)rows * width > Array.MaxLength)
        {
            throw new ArgumentException(
                Invariant($"{name} has {rows} rows, too many for the result, {what} of at most {Array.MaxLength} values (one array): at most {Array.MaxLength / width} rows at a time."),
                name);
        }
    }

    /// <summary>
    /// Checks a data matrix: not null, at least one row, the expected column count, and every value
    /// finite (the message names the row and column of the first bad value).
    /// </summary>
    public static void Data(Matrix<float>? data, int expectedColumns, string what, [CallerArgumentExpression(nameof(data))] string? name = null)
    {
        DataShape(data, expectedColumns, what, name);
        Finite(data!, name!);
    }

    /// <summary>
    /// <see cref="Data"/> without the scan for NaN and infinity, for the batch passes that check
    /// each block as they read it (and call <see cref="Finite"/> to name a bad value).
    /// </summary>
    public static void DataShape(Matrix<float>? data, int expectedColumns, string what, [CallerArgumentExpression(nameof(data))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(data, name);
        if (data.RowCount == 0)
        {
            throw new ArgumentException(Invariant($"{name} must have at least one row ({what}); got 0 rows."), name);
        }

        if (data.ColumnCount != expectedColumns)
        {
            throw new ArgumentException(
                Invariant($"{name} must have {expectedColumns} columns ({what}); got {data.ColumnCount} columns."), name);
        }
    }

    /// <summary>Throws when any element is NaN or infinite, naming the first one in row-major order.</summary>
    public static void Finite(Matrix<float> data, string name)
    {
        float[] storage = DenseColumnMajor(data);
        if (Kernels.Finite.All(storage))
        {
            return; // the vectorised scan; the search below runs only to name a bad value
        }

        int rows = data.RowCount, columns = data.ColumnCount;
        long first = long.MaxValue; // row-major index of the first bad value in reading order
        for (int i = 0; i < storage.Length; i++)
        {
            if (!float.IsFinite(storage[i]))
            {
                first = Math.Min(first, (long)(i % rows) * columns + i / rows);
            }
        }

        if (first != long.MaxValue)
        {
            int row = (int)(first / columns), column = (int)(first % columns);
            throw new ArgumentException(
                Invariant($"{name} must contain only finite values; got {storage[(long)column * rows + row]} at row {row}, column {column}."), name);
        }
    }

    /// <summary>Throws when any element lies outside [0, 1] (binary cross-entropy targets).</summary>
    public static void UnitInterval(Matrix<float> data, string name)
    {
        float[] storage = DenseColumnMajor(data);
        int rows = data.RowCount;
        for (int i = 0; i < storage.Length; i++)
        {
            float v = storage[i];
            if (!(v >= 0f && v <= 1f))
            {
                throw new ArgumentException(
                    Invariant($"{name} must lie in [0, 1] for binary cross-entropy; got {v} at row {i % rows}, column {i / rows}. ") +
                    "Scale the data (e.g. pixels / 255) or use Loss.MeanSquaredError.", name);
            }
        }
    }

    /// <summary>
    /// The storage of a caller's result matrix for a batch call on <paramref name="x"/>: dense,
    /// <c>x.RowCount × columns</c>, not <paramref name="x"/>'s own storage.
    /// </summary>
    public static float[] Result(Matrix<float>? result, Matrix<float> x, int columns, string what, [CallerArgumentExpression(nameof(result))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(result, name);
        if (result.Storage is not MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<float> dense)
        {
            throw new ArgumentException(
                Invariant($"{name} must be a dense matrix (Matrix<float>.Build.Dense), whose storage the call writes; got {result.Storage.GetType().Name}."), name);
        }

        if (result.RowCount != x.RowCount || result.ColumnCount != columns)
        {
            throw new ArgumentException(
                Invariant($"{name} must be {x.RowCount} × {columns} ({what}); got {result.RowCount} × {result.ColumnCount}."), name);
        }

        if (x.Storage is MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<float> input && ReferenceEquals(input.Data, dense.Data))
        {
            throw new ArgumentException(Invariant($"{name} must not share its storage with the input: the call reads the input while it writes {name}."), name);
        }

        return dense.Data;
    }

    /// <summary>The storage of a caller's result vector of <paramref name="length"/> entries: dense and of that length.</summary>
    public static float[] Result(Vector<float>? result, int length, string what, [CallerArgumentExpression(nameof(result))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(result, name);
        if (result.Storage is not MathNet.Numerics.LinearAlgebra.Storage.DenseVectorStorage<float> dense)
        {
            throw new ArgumentException(
                Invariant($"{name} must be a dense vector (Vector<float>.Build.Dense), whose storage the call writes; got {result.Storage.GetType().Name}."), name);
        }

        if (result.Count != length)
        {
            throw new ArgumentException(Invariant($"{name} must have {length} entries ({what}); got {result.Count}."), name);
        }

        return dense.Data;
    }

    /// <summary>The column-major values of a matrix: the storage array itself when dense, else a copy.</summary>
    public static float[] DenseColumnMajor(Matrix<float> data) =>
        data.Storage is MathNet.Numerics.LinearAlgebra.Storage.DenseColumnMajorMatrixStorage<float> dense
            ? dense.Data
            : data.ToColumnMajorArray();
}

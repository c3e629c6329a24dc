using System.Buffers;
using System.Numerics;
using Parquet;
using Parquet.Schema;

namespace Autoencoder.Parquet;

/// <summary>A numeric column of a Parquet file read as one feature: its values in a row group decoded and written, as float32, into every row of a row-major block.</summary>
internal abstract class FeatureColumn(DataField field)
{
    /// <summary>The CLR types of the columns read as features, in the order messages list them.</summary>
    public static IReadOnlyList<Type> NumericTypes { get; } =
    [
        typeof(float), typeof(double), typeof(sbyte), typeof(short), typeof(int), typeof(long),
        typeof(byte), typeof(ushort), typeof(uint), typeof(ulong), typeof(decimal),
    ];

    /// <summary>The schema field read.</summary>
    public DataField Field { get; } = field;

    /// <summary>The column's name, as the options give it.</summary>
    public string Name => Field.Name;

    /// <summary>True when <paramref name="field"/> is a top-level, non-repeated column of a numeric type.</summary>
    public static bool IsNumeric(Field field) =>
        field is DataField data && !data.IsArray && data.MaxRepetitionLevel == 0 && NumericTypes.Contains(data.ClrType);

    /// <summary>The reader of <paramref name="field"/>, a column for which <see cref="IsNumeric"/> holds.</summary>
    public static FeatureColumn For(DataField field) => field.ClrType switch
    {
        Type t when t == typeof(float) => new Typed<float>(field),
        Type t when t == typeof(double) => new Typed<double>(field),
        Type t when t == typeof(sbyte) => new Typed<sbyte>(field),
        Type t when t == typeof(short) => new Typed<short>(field),
        Type t when t == typeof(int) => new Typed<int>(field),
        Type t when t == typeof(long) => new Typed<long>(field),
        Type t when t == typeof(byte) => new Typed<byte>(field),
        Type t when t == typeof(ushort) => new Typed<ushort>(field),
        Type t when t == typeof(uint) => new Typed<uint>(field),
        Type t when t == typeof(ulong) => new Typed<ulong>(field),
        Type t when t == typeof(decimal) => new Typed<decimal>(field),
        _ => throw new ArgumentException(Invariant($"Column '{field.Name}' of type {field.ClrType.Name} is not numeric."), nameof(field)),
    };

    /// <summary>
    /// Reads this column of <paramref name="group"/> and writes value <c>r</c> to
    /// <c>destination[r · columns + column]</c>, for each of the group's <paramref name="rows"/> rows.
    /// </summary>
    /// <exception cref="InvalidDataException">A null under <see cref="ParquetNulls.Error"/>, or a value that is not a finite float32; the message names the place.</exception>
    public abstract void Read(ParquetRowGroupReader group, int rows, Span<float> destination, int column, int columns, ParquetNulls nulls, Func<int, string> place);

    /// <summary>Waits for a read that Parquet.Net does asynchronously (the caller is a reader's own thread).</summary>
    protected static void Wait(ValueTask task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            task.AsTask().GetAwaiter().GetResult();
        }
    }

    private sealed class Typed<T>(DataField field) : FeatureColumn(field)
        where T : struct, INumberBase<T>
    {
        public override void Read(ParquetRowGroupReader group, int rows, Span<float> destination, int column, int columns, ParquetNulls nulls, Func<int, string> place)
        {
            if (!Field.IsNullable)
            {
                T[] values = ArrayPool<T>.Shared.Rent(Math.Max(rows, 1));
                try
                {
                    Wait(group.ReadAsync(Field, values.AsMemory(0, rows)));
                    for (int r = 0; r < rows; r++)
                    {
                        destination[(r * columns) + column] = Convert(values[r], r, place);
                    }
                }
                finally
                {
                    ArrayPool<T>.Shared.Return(values);
                }

                return;
            }

            T?[] nullable = ArrayPool<T?>.Shared.Rent(Math.Max(rows, 1));
            try
            {
                Wait(group.ReadAsync(Field, nullable.AsMemory(0, rows)));
                for (int r = 0; r < rows; r++)
                {
                    if (nullable[r] is T value)
                    {
                        destination[(r * columns) + column] = Convert(value, r, place);
                    }
                    else if (nulls == ParquetNulls.Zero)
                    {
                        destination[(r * columns) + column] = 0;
                    }
                    else
                    {
                        throw new InvalidDataException(Invariant($"{place(r)}: column '{Name}' is null (set ParquetSourceOptions.Nulls to ParquetNulls.Zero to read nulls as 0)."));
                    }
                }
            }
            finally
            {
                ArrayPool<T?>.Shared.Return(nullable);
            }
        }

        private float Convert(T value, int row, Func<int, string> place)
        {
            float converted = float.CreateTruncating(value);
            if (!float.IsFinite(converted))
            {
                throw new InvalidDataException(Invariant(
                    $"{place(row)}: column '{Name}' holds {value}, which is not a finite float32 value."));
            }

            return converted;
        }
    }
}

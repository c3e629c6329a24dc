using Autoencoder.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoder.MLNet;

/// <summary>The input column of a transformer: a known-size vector of float32, checked and read here.</summary>
internal static class FeatureColumn
{
    /// <summary>
    /// The column named <paramref name="name"/> of <paramref name="schema"/>, which must be a vector of
    /// float32 of known size (of <paramref name="expectedSize"/> values when that is given).
    /// </summary>
    /// <exception cref="ArgumentException">The column is missing, of another type, or of another size.</exception>
    public static DataViewSchema.Column Find(DataViewSchema schema, string name, int? expectedSize, string paramName)
    {
        ArgumentNullException.ThrowIfNull(schema, paramName);
        if (schema.GetColumnOrNull(name) is not { } column)
        {
            string columns = string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => Invariant($"'{c.Name}'")));
            throw new ArgumentException(
                Invariant($"the data must have a feature column '{name}' (a vector of float32 of known size); its columns are {columns}."), paramName);
        }

        if (column.Type is not VectorDataViewType { ItemType: var item, Size: int size } || item != NumberDataViewType.Single || size == 0)
        {
            throw new ArgumentException(
                Invariant($"column '{name}' must be a vector of float32 (Single) of known size, as NormalizeMinMax or Concatenate of float columns make; got {column.Type}."), paramName);
        }

        if (expectedSize is { } expected && size != expected)
        {
            throw new ArgumentException(
                Invariant($"column '{name}' must have {expected} values (the model's input size); got {size}."), paramName);
        }

        return column;
    }

    /// <summary>The size of the vector column <paramref name="column"/> (checked by <see cref="Find"/>).</summary>
    public static int SizeOf(DataViewSchema.Column column) => ((VectorDataViewType)column.Type).Size;

    /// <summary>
    /// The rows of <paramref name="column"/> as a data source that is never held in memory: each pass
    /// opens a new cursor over <paramref name="data"/> that makes only that column active.
    /// </summary>
    public static DataSource Source(IDataView data, DataViewSchema.Column column) =>
        DataSource.FromEnumerable(Rows(data, column), SizeOf(column), data.GetRowCount());

    private static IEnumerable<float[]> Rows(IDataView data, DataViewSchema.Column column)
    {
        using DataViewRowCursor cursor = data.GetRowCursor([column]);
        ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(column);
        var buffer = default(VBuffer<float>);
        // The source copies each row as it reads it, so one array serves every row.
        var row = new float[SizeOf(column)];
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            buffer.CopyTo(row);
            yield return row;
        }
    }
}

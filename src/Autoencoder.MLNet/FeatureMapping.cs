using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoder.MLNet;

/// <summary>A column added by a transformer: its name and type.</summary>
internal readonly record struct AddedColumn(string Name, DataViewType Type);

/// <summary>
/// What a transformer computes: columns added to the input's, each a function of one feature
/// vector column of the input row. The input columns are passed through unchanged (an added
/// column of the same name hides the input's, as in ML.NET).
/// </summary>
internal abstract class FeatureMapping
{
    protected FeatureMapping(string featureColumnName, int inputSize)
    {
        FeatureColumnName = featureColumnName;
        InputSize = inputSize;
    }

    /// <summary>The name of the input's feature column.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The number of values of the feature column.</summary>
    public int InputSize { get; }

    /// <summary>The columns added, in order.</summary>
    public abstract IReadOnlyList<AddedColumn> Added { get; }

    /// <summary>The getters of the added columns for one row (<c>ValueGetter&lt;T&gt;</c> of each column's type), null where a column is inactive.</summary>
    public abstract Delegate?[] CreateGetters(RowFeatures features, bool[] active);

    /// <summary>The feature column of <paramref name="inputSchema"/>, checked.</summary>
    /// <exception cref="ArgumentException">The column is missing or is not a float32 vector of <see cref="InputSize"/> values.</exception>
    public DataViewSchema.Column FeatureColumn(DataViewSchema inputSchema, string paramName) =>
        MLNet.FeatureColumn.Find(inputSchema, FeatureColumnName, InputSize, paramName);

    /// <summary>The input's columns followed by the added ones.</summary>
    /// <exception cref="ArgumentException">The feature column is missing or of the wrong type or size.</exception>
    public DataViewSchema OutputSchema(DataViewSchema inputSchema, string paramName)
    {
        FeatureColumn(inputSchema, paramName);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        foreach (AddedColumn column in Added)
        {
            builder.AddColumn(column.Name, column.Type);
        }

        return builder.ToSchema();
    }
}

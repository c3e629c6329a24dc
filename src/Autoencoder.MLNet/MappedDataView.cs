using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoder.MLNet;

/// <summary>
/// The lazily computed output of a transformer: the input's rows with the mapping's columns added,
/// computed as a cursor reaches each row (nothing is held in memory).
/// </summary>
internal sealed class MappedDataView : IDataView
{
    private readonly IDataView _input;
    private readonly FeatureMapping _mapping;

    public MappedDataView(IDataView input, FeatureMapping mapping)
    {
        _input = input;
        _mapping = mapping;
        Schema = mapping.OutputSchema(input.Schema, nameof(input));
    }

    /// <inheritdoc/>
    public bool CanShuffle => _input.CanShuffle;

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public long? GetRowCount() => _input.GetRowCount();

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        DataViewSchema.Column[] active = [.. columnsNeeded];
        return new MappedCursor(_input.GetRowCursor(InputColumns(_input.Schema, _mapping, active), rand), Schema, _mapping, active);
    }

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        DataViewSchema.Column[] active = [.. columnsNeeded];
        return [.. _input.GetRowCursorSet(InputColumns(_input.Schema, _mapping, active), n, rand)
            .Select(cursor => new MappedCursor(cursor, Schema, _mapping, active))];
    }

    /// <summary>The input columns that <paramref name="outputColumns"/> need: those passed through, and the feature column when an added column is among them.</summary>
    public static IEnumerable<DataViewSchema.Column> InputColumns(DataViewSchema inputSchema, FeatureMapping mapping, IEnumerable<DataViewSchema.Column> outputColumns)
    {
        var needed = new SortedSet<int>();
        foreach (DataViewSchema.Column column in outputColumns)
        {
            needed.Add(column.Index < inputSchema.Count ? column.Index : mapping.FeatureColumn(inputSchema, nameof(inputSchema)).Index);
        }

        return needed.Select(i => inputSchema[i]);
    }
}

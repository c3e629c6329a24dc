using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoder.MLNet;

/// <summary>A transformer's row-to-row mapping, which ML.NET's prediction engine uses on single rows.</summary>
internal sealed class MappedRowMapper : IRowToRowMapper
{
    private readonly FeatureMapping _mapping;

    public MappedRowMapper(DataViewSchema inputSchema, FeatureMapping mapping)
    {
        _mapping = mapping;
        InputSchema = inputSchema;
        OutputSchema = mapping.OutputSchema(inputSchema, nameof(inputSchema));
    }

    /// <inheritdoc/>
    public DataViewSchema InputSchema { get; }

    /// <inheritdoc/>
    public DataViewSchema OutputSchema { get; }

    /// <inheritdoc/>
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        MappedDataView.InputColumns(InputSchema, _mapping, dependingColumns);

    /// <inheritdoc/>
    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(activeColumns);
        return new MappedRow(input, OutputSchema, _mapping, activeColumns);
    }
}

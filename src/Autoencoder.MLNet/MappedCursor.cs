using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoder.MLNet;

/// <summary>A cursor over an input cursor's rows with the columns of a <see cref="FeatureMapping"/> added.</summary>
internal sealed class MappedCursor : DataViewRowCursor
{
    private readonly DataViewRowCursor _input;
    private readonly MappedRow _row;

    public MappedCursor(DataViewRowCursor input, DataViewSchema outputSchema, FeatureMapping mapping, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        _input = input;
        _row = new MappedRow(input, outputSchema, mapping, activeColumns);
    }

    /// <inheritdoc/>
    public override DataViewSchema Schema => _row.Schema;

    /// <inheritdoc/>
    public override long Position => _input.Position;

    /// <inheritdoc/>
    public override long Batch => _input.Batch;

    /// <inheritdoc/>
    public override bool MoveNext() => _input.MoveNext();

    /// <inheritdoc/>
    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    /// <inheritdoc/>
    public override bool IsColumnActive(DataViewSchema.Column column) => _row.IsColumnActive(column);

    /// <inheritdoc/>
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _row.GetGetter<TValue>(column);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _row.Dispose();
        }

        base.Dispose(disposing);
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoder.MLNet;

/// <summary>An input row with the columns of a <see cref="FeatureMapping"/> added after its own.</summary>
internal sealed class MappedRow : DataViewRow
{
    private readonly DataViewRow _input;
    private readonly bool[] _active;
    private readonly Delegate?[] _getters;

    public MappedRow(DataViewRow input, DataViewSchema outputSchema, FeatureMapping mapping, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        _input = input;
        Schema = outputSchema;
        int inputCount = input.Schema.Count;
        _active = new bool[mapping.Added.Count];
        foreach (DataViewSchema.Column column in activeColumns)
        {
            if (column.Index >= inputCount)
            {
                _active[column.Index - inputCount] = true;
            }
        }

        _getters = _active.Any(a => a)
            ? mapping.CreateGetters(new RowFeatures(input, mapping.FeatureColumn(input.Schema, nameof(input))), _active)
            : new Delegate?[_active.Length];
    }

    /// <inheritdoc/>
    public override DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public override long Position => _input.Position;

    /// <inheritdoc/>
    public override long Batch => _input.Batch;

    /// <inheritdoc/>
    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    /// <inheritdoc/>
    public override bool IsColumnActive(DataViewSchema.Column column) =>
        column.Index < _input.Schema.Count ? _input.IsColumnActive(_input.Schema[column.Index]) : _active[column.Index - _input.Schema.Count];

    /// <inheritdoc/>
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        int inputCount = _input.Schema.Count;
        if (column.Index < inputCount)
        {
            return _input.GetGetter<TValue>(_input.Schema[column.Index]);
        }

        int added = column.Index - inputCount;
        if (added >= _getters.Length || _getters[added] is not { } getter)
        {
            throw new InvalidOperationException(Invariant($"column '{column.Name}' is not active in this row; ask for it when making the cursor."));
        }

        return getter as ValueGetter<TValue> ?? throw new InvalidOperationException(
            Invariant($"column '{column.Name}' holds {Schema[column.Index].Type.RawType.Name}; a getter of {typeof(TValue).Name} was asked for."));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _input.Dispose();
        }

        base.Dispose(disposing);
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoder.MLNet;

/// <summary>The feature vector of an input row's current position, read densely once per position.</summary>
internal sealed class RowFeatures
{
    private readonly DataViewRow _row;
    private readonly ValueGetter<VBuffer<float>> _getter;
    private readonly float[] _values;
    private VBuffer<float> _buffer;
    private long _position = -1;

    public RowFeatures(DataViewRow row, DataViewSchema.Column column)
    {
        _row = row;
        _getter = row.GetGetter<VBuffer<float>>(column);
        _values = new float[FeatureColumn.SizeOf(column)];
    }

    /// <summary>The position of the input row (a value computed from the features may be kept until it changes).</summary>
    public long Position => _row.Position;

    /// <summary>The features of the current row, dense.</summary>
    public ReadOnlySpan<float> Values
    {
        get
        {
            // A row that does not advance its position (-1) is read every time.
            if (_position != _row.Position || _position < 0)
            {
                _getter(ref _buffer);
                _buffer.CopyTo(_values);
                _position = _row.Position;
            }

            return _values;
        }
    }
}

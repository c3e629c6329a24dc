using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoder.MLNet;

/// <summary>The column an encoding transformer adds: the model's code of the features.</summary>
internal sealed class EncodingMapping : FeatureMapping
{
    private readonly AutoencoderModel _model;

    public EncodingMapping(AutoencoderModel model, string inputColumnName, string outputColumnName)
        : base(inputColumnName, model.InputSize)
    {
        _model = model;
        Added = [new(outputColumnName, new VectorDataViewType(NumberDataViewType.Single, model.LatentSize))];
    }

    /// <inheritdoc/>
    public override IReadOnlyList<AddedColumn> Added { get; }

    /// <inheritdoc/>
    public override Delegate?[] CreateGetters(RowFeatures features, bool[] active)
    {
        if (!active[0])
        {
            return [null];
        }

        int latent = _model.LatentSize;
        return
        [
            (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                var editor = VBufferEditor.Create(ref value, latent);
                _model.Encode(features.Values, editor.Values);
                value = editor.Commit();
            }),
        ];
    }
}

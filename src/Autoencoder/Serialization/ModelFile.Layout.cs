using Autoencoder.Model;

namespace Autoencoder.Serialization;

// Where the writer puts each tensor of the network a header describes, computed from the spec
// alone (the layers' own offsets, without allocating their buffers).
internal static partial class ModelFile
{
    /// <summary>
    /// The network a header describes and where the writer puts each layer's tensors: the
    /// parameter buffer (<see cref="ParameterCount"/> values) then the state buffer
    /// (<see cref="StateCount"/>), each layer's slices in pipeline order.
    /// </summary>
    private sealed record Architecture(NetworkSpec Spec, int Seed, long ParameterCount, long StateCount, LayerLayout[] Layers)
    {
        /// <summary>The network, its buffers allocated: only once the file is known to hold their values.</summary>
        public Network Build() => new(Spec);

        /// <summary>Index in the data section of the first value of tensor <paramref name="kind"/> of layer <paramref name="layer"/>.</summary>
        public long DataBegin(int layer, LayerTensorKind kind) =>
            (LayerLayout.IsState(kind) ? ParameterCount : 0) + Layers[layer].Offset(kind);

        /// <summary>The name of tensor <paramref name="kind"/> of layer <paramref name="layer"/> (counted over both stacks).</summary>
        public string TensorName(int layer, LayerTensorKind kind)
        {
            int encoderLayers = Spec.Encoder.Count;
            return Serialization.TensorName.Network(layer >= encoderLayers, layer < encoderLayers ? layer : layer - encoderLayers, kind);
        }
    }

    /// <summary>
    /// One layer of the spec as <see cref="Network"/> lays it out: the shape of its weight tensor
    /// (empty when it has none: a tied layer, pooling, reshapes), its bias count (0 when none), the
    /// channels its batch normalization has (0 without), and where its slices start in the parameter
    /// buffer (weight, bias, then γ and β) and the state buffer (running mean, then variance).
    /// </summary>
    private readonly record struct LayerLayout(WeightDimensions WeightShape, long BiasCount, long NormCount, long ParameterOffset, long StateOffset)
    {
        /// <summary>A dense layer: <c>[inputs, outputs]</c> weights unless tied, a bias of <paramref name="outputs"/>, batch normalization of as many.</summary>
        public static LayerLayout Dense(int inputs, int outputs, bool tied, bool batchNorm, long parameterOffset, long stateOffset) =>
            new(tied ? default : new WeightDimensions(2, inputs, outputs, 0, 0), outputs, batchNorm ? outputs : 0, parameterOffset, stateOffset);

        /// <summary>Values of the weight tensor.</summary>
        public long WeightCount => WeightShape.Count;

        /// <summary>The layer's own values: its weights and its bias.</summary>
        public long OwnCount => WeightCount + BiasCount;

        /// <summary>Trainable values: the layer's own, then batch normalization's γ and β.</summary>
        public long ParameterCount => OwnCount + (2 * NormCount);

        /// <summary>State values: batch normalization's running mean and variance.</summary>
        public long StateCount => 2 * NormCount;

        /// <summary>True for the tensors kept in the state buffer.</summary>
        public static bool IsState(LayerTensorKind kind) => kind >= LayerTensorKind.RunningMean;

        /// <summary>Whether the layer has tensor <paramref name="kind"/>.</summary>
        public bool Has(LayerTensorKind kind) => kind switch
        {
            LayerTensorKind.Weight => WeightShape.Rank > 0,
            LayerTensorKind.Bias => BiasCount > 0,
            _ => NormCount > 0,
        };

        /// <summary>Values in tensor <paramref name="kind"/> (which the layer has).</summary>
        public long Count(LayerTensorKind kind) => kind switch
        {
            LayerTensorKind.Weight => WeightCount,
            LayerTensorKind.Bias => BiasCount,
            _ => NormCount,
        };

        /// <summary>Index of tensor <paramref name="kind"/>'s first value in its buffer (see <see cref="IsState"/>).</summary>
        public long Offset(LayerTensorKind kind) => kind switch
        {
            LayerTensorKind.Weight => ParameterOffset,
            LayerTensorKind.Bias => ParameterOffset + WeightCount,
            LayerTensorKind.BatchNormWeight => ParameterOffset + OwnCount,
            LayerTensorKind.BatchNormBias => ParameterOffset + OwnCount + NormCount,
            LayerTensorKind.RunningMean => StateOffset,
            _ => StateOffset + NormCount,
        };

        /// <summary>Tensor <paramref name="kind"/>'s shape: <see cref="WeightShape"/> for the weights, else one dimension.</summary>
        public ReadOnlySpan<long> Shape(LayerTensorKind kind, Span<long> buffer)
        {
            if (kind != LayerTensorKind.Weight)
            {
                buffer[0] = Count(kind);
                return buffer[..1];
            }

            return WeightShape.CopyTo(buffer);
        }
    }

    /// <summary>A weight tensor's shape of up to four dimensions, held inline (a layout per layer allocates nothing); rank 0 for none.</summary>
    private readonly record struct WeightDimensions(int Rank, int D0, int D1, int D2, int D3)
    {
        /// <summary>The shape <paramref name="dimensions"/> (at most four), or none when empty.</summary>
        public static WeightDimensions Of(int[] dimensions) => new(
            dimensions.Length,
            dimensions.Length > 0 ? dimensions[0] : 0,
            dimensions.Length > 1 ? dimensions[1] : 0,
            dimensions.Length > 2 ? dimensions[2] : 0,
            dimensions.Length > 3 ? dimensions[3] : 0);

        /// <summary>Values in the tensor (0 for none).</summary>
        public long Count => Rank switch
        {
            0 => 0,
            1 => D0,
            2 => (long)D0 * D1,
            3 => (long)D0 * D1 * D2,
            _ => (long)D0 * D1 * D2 * D3,
        };

        /// <summary>Writes the dimensions to <paramref name="buffer"/> (at least <see cref="Rank"/> long) and returns them.</summary>
        public ReadOnlySpan<long> CopyTo(Span<long> buffer)
        {
            ReadOnlySpan<long> all = [D0, D1, D2, D3];
            all[..Rank].CopyTo(buffer);
            return buffer[..Rank];
        }
    }
}

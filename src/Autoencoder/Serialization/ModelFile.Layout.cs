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
    /// One layer of the spec as <see cref="Network"/> lays it out: the dense layer's widths (the
    /// output twice the latent size for a variational head), whether it is tied (bias only) and
    /// batch-normalized, and where its slices start in the parameter and the state buffer.
    /// </summary>
    private readonly record struct LayerLayout(int Inputs, int Outputs, bool Tied, bool BatchNorm, long ParameterOffset, long StateOffset)
    {
        /// <summary>The dense layer's values: its weights (unless tied) and its bias.</summary>
        public long DenseCount => (Tied ? 0 : (long)Inputs * Outputs) + Outputs;

        /// <summary>Trainable values: the dense layer's, then batch normalization's γ and β.</summary>
        public long ParameterCount => DenseCount + (BatchNorm ? 2L * Outputs : 0);

        /// <summary>State values: batch normalization's running mean and variance.</summary>
        public long StateCount => BatchNorm ? 2L * Outputs : 0;

        /// <summary>True for the tensors kept in the state buffer.</summary>
        public static bool IsState(LayerTensorKind kind) => kind >= LayerTensorKind.RunningMean;

        /// <summary>Whether the layer has tensor <paramref name="kind"/>.</summary>
        public bool Has(LayerTensorKind kind) => kind switch
        {
            LayerTensorKind.Weight => !Tied,
            LayerTensorKind.Bias => true,
            _ => BatchNorm,
        };

        /// <summary>Values in tensor <paramref name="kind"/> (which the layer has).</summary>
        public long Count(LayerTensorKind kind) => kind == LayerTensorKind.Weight ? (long)Inputs * Outputs : Outputs;

        /// <summary>Index of tensor <paramref name="kind"/>'s first value in its buffer (see <see cref="IsState"/>).</summary>
        public long Offset(LayerTensorKind kind) => kind switch
        {
            LayerTensorKind.Weight => ParameterOffset,
            LayerTensorKind.Bias => ParameterOffset + DenseCount - Outputs,
            LayerTensorKind.BatchNormWeight => ParameterOffset + DenseCount,
            LayerTensorKind.BatchNormBias => ParameterOffset + DenseCount + Outputs,
            LayerTensorKind.RunningMean => StateOffset,
            _ => StateOffset + Outputs,
        };

        /// <summary>Tensor <paramref name="kind"/>'s shape: <c>[inputs, outputs]</c> for the weights, else <c>[outputs]</c>.</summary>
        public ReadOnlySpan<long> Shape(LayerTensorKind kind, Span<long> buffer)
        {
            if (kind != LayerTensorKind.Weight)
            {
                buffer[0] = Outputs;
                return buffer[..1];
            }

            buffer[0] = Inputs;
            buffer[1] = Outputs;
            return buffer[..2];
        }
    }
}

using Autoencoder.Activations;

namespace Autoencoder.Layers;

/// <summary>
/// A decoder layer with tied weights: <c>A = f(X·Wᵀ + b)</c>, where <c>W</c> (<c>Outputs × Inputs</c>)
/// is the weight matrix of its mirror encoder layer <see cref="Source"/>. It owns only its bias;
/// its weight gradient goes to the shared matrix, and since the decoder's backward runs first it
/// overwrites it and the encoder layer adds its own (<see cref="DenseLayer.AccumulatesWeightGradient"/>).
/// </summary>
internal sealed class TiedDenseLayer : DenseLayer
{
    public TiedDenseLayer(string name, DenseLayer source, Activation activation)
        : base(name, source.Outputs, source.Inputs, activation)
    {
        Source = source;
        source.AccumulatesWeightGradient = true;
    }

    /// <summary>The encoder layer whose weights this layer reads transposed.</summary>
    public DenseLayer Source { get; }

    /// <inheritdoc/>
    public override string Kind => "dense, tied";

    /// <inheritdoc/>
    public override int ParameterCount => Outputs;

    /// <inheritdoc/>
    public override int WeightOffset => Source.WeightOffset;

    /// <inheritdoc/>
    public override int BiasOffset => ParameterOffset;

    /// <inheritdoc/>
    public override bool TransposedWeights => true;

    /// <summary>Clears the bias; the weights are the source layer's draw.</summary>
    public override void Initialize(Span<float> parameters, Span<float> state, WeightInitialization initialization, ref Pcg32 random) =>
        parameters.Slice(BiasOffset, Outputs).Clear();

    /// <inheritdoc/>
    public override bool TryWriteFileToken(Span<byte> utf8, out int written) =>
        System.Text.Unicode.Utf8.TryWrite(utf8, System.Globalization.CultureInfo.InvariantCulture, $"tied_dense:{ActivationFunctions.Name(Activation)}", out written);

    /// <inheritdoc/>
    public override IEnumerable<LayerTensor> Tensors => [new(Name + ".bias", [Outputs], BiasOffset, Outputs)];

    /// <summary>Exports the shared weights transposed, so the layer is a plain <c>[inputs, outputs]</c> Gemm.</summary>
    public override string EmitOnnx(IOnnxGraph graph, ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> state, string input, string? output)
    {
        ReadOnlySpan<float> stored = parameters.Span.Slice(WeightOffset, WeightCount);
        var transposed = new float[WeightCount];
        for (int i = 0; i < Inputs; i++)
        {
            for (int j = 0; j < Outputs; j++)
            {
                transposed[(i * Outputs) + j] = stored[(j * Inputs) + i];
            }
        }

        return EmitGemm(graph, Name, transposed, parameters.Slice(BiasOffset, Outputs), Outputs, input, output);
    }
}

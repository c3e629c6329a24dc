using Autoencoder.Kernels;

namespace Autoencoder.Layers;

/// <summary>
/// Batch normalization over each feature of a vector (PyTorch's <c>BatchNorm1d</c>, Ioffe and
/// Szegedy 2015) or each channel of an image (PyTorch's <c>BatchNorm2d</c>):
/// <c>y = γ·(x − μ)/√(σ² + ε) + β</c>. In training <c>μ</c> and <c>σ²</c> are the batch's mean
/// and biased variance, and the running statistics move towards them with momentum
/// <see cref="Momentum"/> (the running variance takes the unbiased batch variance); at inference
/// the running statistics stand in. <c>γ</c> and <c>β</c> are trainable (the parameter buffer:
/// <c>γ</c> then <c>β</c>); the running mean and variance are state (the state buffer: mean then
/// variance), which the optimizer never touches. The formulas and their derivatives are in
/// <see cref="BatchNorm"/>.
/// </summary>
/// <remarks>
/// An image's statistics are per channel, over the batch's samples and pixels alike. A batch of
/// <c>B</c> channels-last images is a row-major <c>(B·H·W) × C</c> matrix (see
/// <see cref="LayerShape"/>), so the per-feature kernels of <see cref="BatchNorm"/> apply unchanged
/// with <c>B·H·W</c> rows of <see cref="Features"/> = <c>C</c> values; a vector is the case
/// <c>H = W = 1</c>, with the same arithmetic it always had.
/// </remarks>
internal sealed class BatchNormLayer : Layer
{
    /// <summary>PyTorch's default momentum.</summary>
    public const float DefaultMomentum = 0.1f;

    /// <summary>PyTorch's default ε.</summary>
    public const float DefaultEpsilon = 1e-5f;

    /// <summary>Normalizes each of the <paramref name="features"/> values of a vector.</summary>
    public BatchNormLayer(string name, int features, float momentum = DefaultMomentum, float epsilon = DefaultEpsilon)
        : this(name, LayerShape.Vector(features), momentum, epsilon)
    {
    }

    /// <summary>Normalizes each feature of a vector <paramref name="shape"/>, or each channel of an image <paramref name="shape"/>.</summary>
    public BatchNormLayer(string name, LayerShape shape, float momentum = DefaultMomentum, float epsilon = DefaultEpsilon)
        : base(name, shape, shape)
    {
        Features = shape.Channels;
        Momentum = momentum;
        Epsilon = epsilon;
    }

    /// <summary>Features (of a vector) or channels (of an image) normalized, each with its own statistics.</summary>
    public int Features { get; }

    /// <summary>Rows of the <c>(samples·H·W) × C</c> matrix per sample: the pixels of an image, 1 for a vector.</summary>
    public int PixelsPerSample => InputShape.Height * InputShape.Width;

    /// <summary>Weight of the batch's statistics in each update of the running ones.</summary>
    public float Momentum { get; }

    /// <summary>Added to the variance before its square root.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    public override string Kind => "batch norm";

    /// <summary>
    /// Samples enough for two values per feature, which a variance needs (PyTorch refuses one as
    /// well): two for a vector or a one-pixel image, one for an image of two or more pixels.
    /// </summary>
    public override int MinimumTrainingRows => PixelsPerSample >= 2 ? 1 : 2;

    /// <inheritdoc/>
    public override int ParameterCount => 2 * Features;

    /// <inheritdoc/>
    public override int StateCount => 2 * Features;

    /// <summary>The normalized batch <c>x̂</c> (<c>rows × InputSize</c>) and each feature's <c>1/√(σ² + ε)</c>: <c>(rows·H·W + 1) × Features</c>.</summary>
    public override long SavedCount(int rows) => (((long)rows * PixelsPerSample) + 1) * Features;

    /// <summary><c>γ = 1</c>, <c>β = 0</c>, running mean 0 and variance 1, as PyTorch starts; draws nothing.</summary>
    public override void Initialize(Span<float> parameters, Span<float> state, WeightInitialization initialization, ref Pcg32 random)
    {
        parameters.Slice(ParameterOffset, Features).Fill(1f);
        parameters.Slice(ParameterOffset + Features, Features).Clear();
        state.Slice(StateOffset, Features).Clear();
        state.Slice(StateOffset + Features, Features).Fill(1f);
    }

    /// <summary>
    /// Training: normalizes with the batch's statistics (at least two values per feature), keeps <c>x̂</c> and
    /// <c>1/√(σ² + ε)</c>, and writes the updated running statistics to the pass's next state.
    /// Inference: normalizes with the running statistics.
    /// </summary>
    public override void Forward(ref ForwardPass pass, ReadOnlySpan<float> x, Span<float> y, Span<float> saved)
    {
        int rows = pass.Rows * PixelsPerSample, f = Features;
        ReadOnlySpan<float> gamma = pass.Parameters.Slice(ParameterOffset, f);
        ReadOnlySpan<float> beta = pass.Parameters.Slice(ParameterOffset + f, f);
        ReadOnlySpan<float> mean = pass.State.Slice(StateOffset, f);
        ReadOnlySpan<float> variance = pass.State.Slice(StateOffset + f, f);
        if (!pass.Training)
        {
            BatchNorm.InferenceForward(x[..(rows * f)], rows, f, gamma, beta, mean, variance, Epsilon, y[..(rows * f)]);
            return;
        }

        BatchNorm.TrainingForward(
            x[..(rows * f)], rows, f, gamma, beta, mean, variance, Momentum, Epsilon,
            y[..(rows * f)], saved[..(rows * f)], saved.Slice(rows * f, f),
            pass.NextState.Slice(StateOffset, f), pass.NextState.Slice(StateOffset + f, f), pass.Scratch);
    }

    /// <summary>
    /// Inference on a feature-major block of a vector layer: feature j's values of the
    /// <paramref name="rows"/> samples at <c>x[j·xStride, …)</c> into <c>y[j·yStride, …)</c>, with
    /// the bits <see cref="Forward"/> gives them row-major (<see cref="BatchNorm.InferenceForwardFeatureMajor"/>).
    /// </summary>
    public void ForwardFeatureMajor(ReadOnlySpan<float> parameters, ReadOnlySpan<float> state, ReadOnlySpan<float> x, int xStride, int rows, Span<float> y, int yStride)
    {
        if (PixelsPerSample != 1)
        {
            throw new InvalidOperationException(Invariant($"Only a vector batch normalization runs feature-major; {Name} normalizes {PixelsPerSample}-pixel images."));
        }

        int f = Features;
        BatchNorm.InferenceForwardFeatureMajor(
            x, xStride, rows, f, parameters.Slice(ParameterOffset, f), parameters.Slice(ParameterOffset + f, f),
            state.Slice(StateOffset, f), state.Slice(StateOffset + f, f), Epsilon, y, yStride);
    }

    /// <summary>Overwrites <c>dγ</c>, <c>dβ</c> and <c>dX</c> (<c>dY</c> when <paramref name="dX"/> is empty) from <c>dY</c> and what the training forward kept.</summary>
    public override void Backward(ref BackwardPass pass, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> saved, Span<float> dY, Span<float> dX)
    {
        int rows = pass.Rows * PixelsPerSample, f = Features;
        Span<float> dInput = dX.IsEmpty ? dY[..(rows * f)] : dX[..(rows * f)];
        BatchNorm.Backward(
            dY[..(rows * f)], saved[..(rows * f)], saved.Slice(rows * f, f), pass.Parameters.Slice(ParameterOffset, f), rows, f,
            pass.Gradients.Slice(ParameterOffset, f), pass.Gradients.Slice(ParameterOffset + f, f), dInput, pass.Scratch);
    }

    /// <inheritdoc/>
    public override bool TryWriteFileToken(Span<byte> utf8, out int written) =>
        System.Text.Unicode.Utf8.TryWrite(utf8, System.Globalization.CultureInfo.InvariantCulture, $"batch_norm:{Momentum:R}:{Epsilon:R}", out written);

    /// <summary>PyTorch's names: <c>weight</c> (γ), <c>bias</c> (β), <c>running_mean</c>, <c>running_var</c>.</summary>
    public override IEnumerable<LayerTensor> Tensors =>
    [
        new(Name + ".weight", [Features], ParameterOffset, Features),
        new(Name + ".bias", [Features], ParameterOffset + Features, Features),
        new(Name + ".running_mean", [Features], StateOffset, Features, IsState: true),
        new(Name + ".running_var", [Features], StateOffset + Features, Features, IsState: true),
    ];

    /// <summary>
    /// One ONNX <c>BatchNormalization</c> node in inference mode: its channel axis is 1, which is a
    /// vector's features in the graph's <c>N × C</c> tensor and an image's channels in its NCHW one.
    /// </summary>
    public override string EmitOnnx(IOnnxGraph graph, ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> state, string input, string? output)
    {
        int f = Features;
        string scale = graph.Initializer(Name + ".weight", [f], parameters.Slice(ParameterOffset, f));
        string bias = graph.Initializer(Name + ".bias", [f], parameters.Slice(ParameterOffset + f, f));
        string mean = graph.Initializer(Name + ".running_mean", [f], state.Slice(StateOffset, f));
        string variance = graph.Initializer(Name + ".running_var", [f], state.Slice(StateOffset + f, f));
        return graph.Node(
            "BatchNormalization", Invariant($"{Name}/BatchNormalization"), [input, scale, bias, mean, variance], output,
            ("epsilon", Epsilon), ("momentum", 1 - Momentum));
    }
}

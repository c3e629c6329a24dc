using Autoencoder.Activations;
using Autoencoder.Kernels;

namespace Autoencoder.Layers;

/// <summary>
/// A 1-D convolution over signal windows with its activation fused in, Keras' <c>Conv1D</c>:
/// the input is a signal of <c>Width</c> steps of <c>Channels</c> values (a shape one row high),
/// the output <c>1 × Wo × filters</c> with Keras' length. The parameters are the kernel as Keras
/// stores it, <c>[kernelSize, Cin, filters]</c> row-major, then the bias <c>[filters]</c>: the same
/// floats as a <c>1 × kernelSize</c> <see cref="Conv2DLayer"/> kernel, whose arithmetic
/// (<see cref="Convolution"/>) this layer runs.
/// </summary>
internal sealed class Conv1DLayer : Layer
{
    private readonly Convolution _convolution;

    /// <summary>A convolution of <paramref name="filters"/> kernels of <paramref name="kernelSize"/> steps over <paramref name="input"/> signals.</summary>
    /// <exception cref="ArgumentException">The input is more than one row high, a size or stride is not positive, or a <c>valid</c> kernel is longer than the signal.</exception>
    public Conv1DLayer(string name, LayerShape input, int filters, int kernelSize, int stride, Padding padding, Activation activation)
        : this(name, input, filters, CheckedGeometry(name, input, filters, kernelSize, stride, padding), padding, activation)
    {
    }

    private Conv1DLayer(string name, LayerShape input, int filters, ConvGeometry geometry, Padding padding, Activation activation)
        : base(name, input, LayerShape.Image(1, geometry.OutputWidth, filters))
    {
        _convolution = new Convolution(geometry, filters, activation);
        Padding = padding;
    }

    /// <summary>Output channels (kernels).</summary>
    public int Filters => _convolution.Filters;

    /// <summary>Steps of a kernel.</summary>
    public int KernelSize => _convolution.Geometry.KernelWidth;

    /// <summary>Input steps between consecutive outputs.</summary>
    public int Stride => _convolution.Geometry.StrideWidth;

    /// <summary>Keras' padding mode.</summary>
    public Padding Padding { get; }

    /// <summary>The fused activation <c>f</c>.</summary>
    public Activation Activation => _convolution.Activation;

    /// <summary>Zero steps added before the signal (the smaller half of a <c>same</c> padding).</summary>
    public int PadLeft => _convolution.Geometry.PadLeft;

    /// <summary>Zero steps the last window covers after the signal.</summary>
    public int PadRight => _convolution.Geometry.PadRight;

    /// <summary>Where the windows fall (a geometry one row high).</summary>
    internal ConvGeometry Geometry => _convolution.Geometry;

    /// <inheritdoc/>
    public override string Kind => "conv1d";

    /// <inheritdoc/>
    public override string Description => ActivationFunctions.Name(Activation);

    /// <inheritdoc/>
    public override Activation OutputActivation => Activation;

    /// <inheritdoc/>
    public override bool WritesPreActivation => true;

    /// <inheritdoc/>
    public override int ParameterCount => checked(WeightCount + Filters);

    /// <summary>Values of the kernel: <c>kernelSize·Cin·filters</c>.</summary>
    public int WeightCount => _convolution.WeightCount;

    /// <summary>Start of the <c>[kernelSize, Cin, filters]</c> kernel in the parameter buffer.</summary>
    public int WeightOffset => ParameterOffset;

    /// <summary>Start of the bias in the parameter buffer.</summary>
    public int BiasOffset => ParameterOffset + WeightCount;

    /// <summary><c>Z</c> and the column matrix: <c>rows·Wo·(filters + kernelSize·Cin)</c> (<c>Z</c> alone for a kernel of 1 with stride 1).</summary>
    public override long SavedCount(int rows) => _convolution.SavedCount(rows);

    /// <summary>Zero bias; the kernel from <paramref name="initialization"/> with Keras' fans, <c>kernelSize·Cin</c> in and <c>kernelSize·filters</c> out.</summary>
    public override void Initialize(Span<float> parameters, Span<float> state, WeightInitialization initialization, ref Pcg32 random)
    {
        parameters.Slice(BiasOffset, Filters).Clear();
        WeightFill.Fill(parameters.Slice(WeightOffset, WeightCount), initialization, KernelSize * InputShape.Channels, KernelSize * Filters, ref random);
    }

    /// <summary><c>Z = im2col(X)·W + b</c> (into the saved buffer in training), then <c>A = f(Z)</c> into <paramref name="y"/>, as <see cref="Conv2DLayer.Forward"/>.</summary>
    public override void Forward(ref ForwardPass pass, ReadOnlySpan<float> x, Span<float> y, Span<float> saved) =>
        _convolution.Forward(ref pass, WeightOffset, x, y, saved);

    /// <summary>Overwrites <c>dW</c>, <c>db</c> and (unless empty) <c>dX</c>, as <see cref="Conv2DLayer.Backward"/>.</summary>
    public override void Backward(ref BackwardPass pass, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> saved, Span<float> dY, Span<float> dX) =>
        _convolution.Backward(ref pass, WeightOffset, x, y, saved, dY, dX);

    /// <inheritdoc/>
    public override ReadOnlySpan<float> PreActivation(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> saved) =>
        saved[..Math.Min(y.Length, saved.Length)];

    /// <summary><c>conv1d:{filters}:{k}:{s}:{same|valid}:{activation}</c>.</summary>
    public override bool TryWriteFileToken(Span<byte> utf8, out int written) =>
        System.Text.Unicode.Utf8.TryWrite(
            utf8, System.Globalization.CultureInfo.InvariantCulture,
            $"conv1d:{Filters}:{KernelSize}:{Stride}:{ConvGeometry.PaddingName(Padding)}:{ActivationFunctions.Name(Activation)}",
            out written);

    /// <summary>The kernel as Keras stores it, <c>[kernelSize, Cin, filters]</c>, and the bias.</summary>
    public override IEnumerable<LayerTensor> Tensors =>
    [
        new(Name + ".weight", [KernelSize, InputShape.Channels, Filters], WeightOffset, WeightCount),
        new(Name + ".bias", [Filters], BiasOffset, Filters),
    ];

    /// <inheritdoc/>
    public override string? OnnxPreActivation => OutputShape.IsVector ? Invariant($"{Name}/ToVector") : Invariant($"{Name}/Conv");

    /// <summary>A 2-D ONNX <c>Conv</c> with a <c>1 × kernelSize</c> kernel on the <c>[N, C, 1, W]</c> signal, then the activation's nodes.</summary>
    public override string EmitOnnx(IOnnxGraph graph, ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> state, string input, string? output) =>
        _convolution.EmitOnnx(graph, Name, parameters, WeightOffset, input, output);

    private static ConvGeometry CheckedGeometry(string name, LayerShape input, int filters, int kernelSize, int stride, Padding padding)
    {
        string layer = Invariant($"{name} (conv1d)");
        if (input.Height != 1)
        {
            throw new ArgumentException(Invariant($"Layer {layer}: a signal is one row high (Width steps × Channels); got the shape {input}."));
        }

        Conv2DLayer.CheckFilters(layer, filters);
        if (padding == Padding.Valid && kernelSize > input.Width)
        {
            throw new ArgumentException(Invariant($"Layer {layer}: a kernel of {kernelSize} with 'valid' padding needs a signal of at least {kernelSize} steps; got {input.Width}."));
        }

        return ConvGeometry.ForConvolution(layer, 1, input.Width, input.Channels, 1, kernelSize, 1, stride, padding);
    }
}

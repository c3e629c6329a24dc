using Autoencoder.Activations;
using Autoencoder.Kernels;

namespace Autoencoder.Layers;

/// <summary>
/// A 2-D convolution over channels-last images with its activation fused in, Keras'
/// <c>Conv2D</c>: <c>A = f(conv(X, W) + b)</c>. The input is <c>H × W × Cin</c>, the output
/// <c>Ho × Wo × filters</c> with Keras' sizes (see <see cref="ConvGeometry.ForConvolution"/>).
/// The parameters are the kernel in Keras' <c>HWIO</c> order, <c>[kh, kw, Cin, filters]</c>
/// row-major (at <see cref="WeightOffset"/>), then the bias, <c>[filters]</c> (at
/// <see cref="BiasOffset"/>). The arithmetic, forward beside backward, is <see cref="Convolution"/>'s.
/// </summary>
internal sealed class Conv2DLayer : Layer
{
    private readonly Convolution _convolution;

    /// <summary>A convolution of <paramref name="filters"/> <paramref name="kernelHeight"/> × <paramref name="kernelWidth"/> kernels over <paramref name="input"/> images.</summary>
    /// <exception cref="ArgumentException">A size or stride is not positive, or a <c>valid</c> kernel is larger than the input.</exception>
    public Conv2DLayer(
        string name, LayerShape input, int filters, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, Padding padding, Activation activation)
        : this(name, input, filters, CheckedGeometry(name, input, filters, kernelHeight, kernelWidth, strideHeight, strideWidth, padding), padding, activation)
    {
    }

    private Conv2DLayer(string name, LayerShape input, int filters, ConvGeometry geometry, Padding padding, Activation activation)
        : base(name, input, LayerShape.Image(geometry.OutputHeight, geometry.OutputWidth, filters))
    {
        _convolution = new Convolution(geometry, filters, activation);
        Padding = padding;
    }

    /// <summary>Output channels (kernels).</summary>
    public int Filters => _convolution.Filters;

    /// <summary>Rows of a kernel.</summary>
    public int KernelHeight => _convolution.Geometry.KernelHeight;

    /// <summary>Columns of a kernel.</summary>
    public int KernelWidth => _convolution.Geometry.KernelWidth;

    /// <summary>Input rows between consecutive output rows.</summary>
    public int StrideHeight => _convolution.Geometry.StrideHeight;

    /// <summary>Input columns between consecutive output columns.</summary>
    public int StrideWidth => _convolution.Geometry.StrideWidth;

    /// <summary>Keras' padding mode.</summary>
    public Padding Padding { get; }

    /// <summary>The fused activation <c>f</c>.</summary>
    public Activation Activation => _convolution.Activation;

    /// <summary>Zero rows added above the input (the smaller half of a <c>same</c> padding).</summary>
    public int PadTop => _convolution.Geometry.PadTop;

    /// <summary>Zero columns added left of the input (the smaller half of a <c>same</c> padding).</summary>
    public int PadLeft => _convolution.Geometry.PadLeft;

    /// <summary>Zero rows the last window covers below the input.</summary>
    public int PadBottom => _convolution.Geometry.PadBottom;

    /// <summary>Zero columns the last window covers right of the input.</summary>
    public int PadRight => _convolution.Geometry.PadRight;

    /// <summary>Where the windows fall.</summary>
    internal ConvGeometry Geometry => _convolution.Geometry;

    /// <inheritdoc/>
    public override string Kind => "conv2d";

    /// <inheritdoc/>
    public override string Description => ActivationFunctions.Name(Activation);

    /// <inheritdoc/>
    public override Activation OutputActivation => Activation;

    /// <inheritdoc/>
    public override bool WritesPreActivation => true;

    /// <inheritdoc/>
    public override int ParameterCount => checked(WeightCount + Filters);

    /// <summary>Values of the kernel: <c>kh·kw·Cin·filters</c>.</summary>
    public int WeightCount => _convolution.WeightCount;

    /// <summary>Start of the <c>HWIO</c> kernel in the parameter buffer.</summary>
    public int WeightOffset => ParameterOffset;

    /// <summary>Start of the bias in the parameter buffer.</summary>
    public int BiasOffset => ParameterOffset + WeightCount;

    /// <summary><c>Z</c> and the column matrix: <c>rows·Ho·Wo·(filters + kh·kw·Cin)</c> (<c>Z</c> alone for a 1×1 kernel with stride 1).</summary>
    public override long SavedCount(int rows) => _convolution.SavedCount(rows);

    /// <summary>Zero bias; the kernel from <paramref name="initialization"/> with Keras' fans for a convolution, <c>kh·kw·Cin</c> in and <c>kh·kw·filters</c> out.</summary>
    public override void Initialize(Span<float> parameters, Span<float> state, WeightInitialization initialization, ref Pcg32 random)
    {
        parameters.Slice(BiasOffset, Filters).Clear();
        int window = KernelHeight * KernelWidth;
        WeightFill.Fill(parameters.Slice(WeightOffset, WeightCount), initialization, window * InputShape.Channels, window * Filters, ref random);
    }

    /// <summary>
    /// <c>Z = im2col(X)·W + b</c> into the saved buffer (training), the pass's pre-activation
    /// buffer (the last layer at inference, when asked) or <paramref name="y"/>; then <c>A = f(Z)</c> into <paramref name="y"/>.
    /// </summary>
    public override void Forward(ref ForwardPass pass, ReadOnlySpan<float> x, Span<float> y, Span<float> saved) =>
        _convolution.Forward(ref pass, WeightOffset, x, y, saved);

    /// <summary>
    /// Turns <c>dA</c> into <c>dZ</c> in place (unless it already is <c>dZ</c>), overwrites
    /// <c>dW = colsᵀ·dZ</c> and <c>db = Σ dZ</c>, and unless <paramref name="dX"/> is empty overwrites
    /// <c>dX = col2im(dZ·Wᵀ)</c>; the saved columns are overwritten on the way.
    /// </summary>
    public override void Backward(ref BackwardPass pass, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> saved, Span<float> dY, Span<float> dX) =>
        _convolution.Backward(ref pass, WeightOffset, x, y, saved, dY, dX);

    /// <inheritdoc/>
    public override ReadOnlySpan<float> PreActivation(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> saved) =>
        saved[..Math.Min(y.Length, saved.Length)];

    /// <summary><c>conv2d:{filters}:{kh}x{kw}:{sh}x{sw}:{same|valid}:{activation}</c>.</summary>
    public override bool TryWriteFileToken(Span<byte> utf8, out int written) =>
        System.Text.Unicode.Utf8.TryWrite(
            utf8, System.Globalization.CultureInfo.InvariantCulture,
            $"conv2d:{Filters}:{KernelHeight}x{KernelWidth}:{StrideHeight}x{StrideWidth}:{ConvGeometry.PaddingName(Padding)}:{ActivationFunctions.Name(Activation)}",
            out written);

    /// <summary>The kernel as Keras stores it, <c>[kh, kw, Cin, filters]</c>, and the bias.</summary>
    public override IEnumerable<LayerTensor> Tensors =>
    [
        new(Name + ".weight", [KernelHeight, KernelWidth, InputShape.Channels, Filters], WeightOffset, WeightCount),
        new(Name + ".bias", [Filters], BiasOffset, Filters),
    ];

    /// <inheritdoc/>
    public override string? OnnxPreActivation => OutputShape.IsVector ? Invariant($"{Name}/ToVector") : Invariant($"{Name}/Conv");

    /// <summary>An ONNX <c>Conv</c> on the NCHW image with explicit pads, then the activation's nodes.</summary>
    public override string EmitOnnx(IOnnxGraph graph, ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> state, string input, string? output) =>
        _convolution.EmitOnnx(graph, Name, parameters, WeightOffset, input, output);

    private static ConvGeometry CheckedGeometry(
        string name, LayerShape input, int filters, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, Padding padding)
    {
        string layer = Invariant($"{name} (conv2d)");
        CheckFilters(layer, filters);
        return ConvGeometry.ForConvolution(layer, input.Height, input.Width, input.Channels, kernelHeight, kernelWidth, strideHeight, strideWidth, padding);
    }

    /// <summary>Throws unless <paramref name="filters"/> is positive.</summary>
    internal static void CheckFilters(string layer, int filters)
    {
        if (filters < 1)
        {
            throw new ArgumentException(Invariant($"Layer {layer}: a convolution needs at least 1 filter; got {filters}."));
        }
    }
}

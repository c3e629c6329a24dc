using System.Buffers;
using Autoencoder.Activations;
using Autoencoder.Kernels;

namespace Autoencoder.Layers;

/// <summary>
/// A transposed 2-D convolution over channels-last images with its activation fused in, Keras'
/// <c>Conv2DTranspose</c>: the adjoint of a convolution from the output image back to the input,
/// so each input pixel adds its kernel-weighted copy to a window of the output. The input is
/// <c>H × W × Cin</c>, the output <c>Ho × Wo × filters</c> with Keras' sizes and TensorFlow's
/// cropping (see <see cref="ConvGeometry.ForTransposed"/>, whose geometry reads the output as the
/// image and the input as the window positions). The parameters are the kernel as Keras stores
/// it, <c>[kh, kw, filters, Cin]</c> row-major (a <c>(kh·kw·filters) × Cin</c> matrix <c>W</c>),
/// then the bias <c>[filters]</c>.
/// </summary>
/// <remarks>
/// <code>
/// forward                                backward (given dA, or dZ when the loss fused f′)
/// cols = X·Wᵀ   ((B·H·W) × (kh·kw·F))     dZ    = dA ⊙ f′(Z)
/// Z    = b + col2im(cols)                dcols = im2col(dZ)
/// A    = f(Z)                            dW    = dcolsᵀ·X,  db = Σ_rows dZ,  dX = dcols·W
/// </code>
/// Training keeps <c>Z</c> and the columns (overwritten by <c>dcols</c> in backward); a 1×1
/// kernel with stride 1 needs no columns (<c>Z = X·Wᵀ + b</c>). Inference borrows the columns per
/// chunk of samples from the network's arrays, as <see cref="Convolution"/> does.
/// </remarks>
internal sealed class Conv2DTransposeLayer : Layer
{
    /// <summary>
    /// A transposed convolution of <paramref name="input"/> images into <paramref name="filters"/>
    /// channels; <paramref name="outputPaddingHeight"/> and <paramref name="outputPaddingWidth"/>
    /// are Keras' <c>output_padding</c> (null: none given).
    /// </summary>
    /// <exception cref="ArgumentException">A size or stride is not positive, an output padding is negative or not below its stride, or the output would be empty.</exception>
    public Conv2DTransposeLayer(
        string name, LayerShape input, int filters, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        Padding padding, int? outputPaddingHeight, int? outputPaddingWidth, Activation activation)
        : this(name, input, filters, CheckedGeometry(name, input, filters, kernelHeight, kernelWidth, strideHeight, strideWidth, padding, outputPaddingHeight, outputPaddingWidth), padding, activation)
    {
    }

    private Conv2DTransposeLayer(string name, LayerShape input, int filters, ConvGeometry geometry, Padding padding, Activation activation)
        : base(name, input, LayerShape.Image(geometry.InputHeight, geometry.InputWidth, filters))
    {
        Geometry = geometry;
        Padding = padding;
        Activation = activation;
    }

    /// <summary>The convolution this layer is the adjoint of: its image is this layer's output, its window positions this layer's input pixels.</summary>
    internal ConvGeometry Geometry { get; }

    /// <summary>Output channels.</summary>
    public int Filters => Geometry.Channels;

    /// <summary>Rows of a kernel.</summary>
    public int KernelHeight => Geometry.KernelHeight;

    /// <summary>Columns of a kernel.</summary>
    public int KernelWidth => Geometry.KernelWidth;

    /// <summary>Output rows between the windows of consecutive input rows.</summary>
    public int StrideHeight => Geometry.StrideHeight;

    /// <summary>Output columns between the windows of consecutive input columns.</summary>
    public int StrideWidth => Geometry.StrideWidth;

    /// <summary>Keras' padding mode.</summary>
    public Padding Padding { get; }

    /// <summary>The fused activation <c>f</c>.</summary>
    public Activation Activation { get; }

    /// <summary>Rows cropped from the top of the full <c>(H − 1)·sh + kh</c> rows of windows (ONNX's begin pad).</summary>
    public int PadTop => Geometry.PadTop;

    /// <summary>Columns cropped from the left of the full <c>(W − 1)·sw + kw</c> columns of windows.</summary>
    public int PadLeft => Geometry.PadLeft;

    /// <summary>Keras' output padding along the height that gives this output size (the one given, or the one Keras' sizes imply).</summary>
    public int OutputPaddingHeight =>
        ConvGeometry.EffectiveOutputPadding(InputShape.Height, OutputShape.Height, KernelHeight, StrideHeight, Padding);

    /// <summary>Keras' output padding along the width that gives this output size.</summary>
    public int OutputPaddingWidth =>
        ConvGeometry.EffectiveOutputPadding(InputShape.Width, OutputShape.Width, KernelWidth, StrideWidth, Padding);

    /// <inheritdoc/>
    public override string Kind => "conv2d_transpose";

    /// <inheritdoc/>
    public override string Description => ActivationFunctions.Name(Activation);

    /// <inheritdoc/>
    public override Activation OutputActivation => Activation;

    /// <inheritdoc/>
    public override bool WritesPreActivation => true;

    /// <inheritdoc/>
    public override int ParameterCount => checked(WeightCount + Filters);

    /// <summary>Values of the kernel: <c>kh·kw·filters·Cin</c>.</summary>
    public int WeightCount => Geometry.ColumnWidth * InputShape.Channels;

    /// <summary>Start of the <c>[kh, kw, filters, Cin]</c> kernel in the parameter buffer.</summary>
    public int WeightOffset => ParameterOffset;

    /// <summary>Start of the bias in the parameter buffer.</summary>
    public int BiasOffset => ParameterOffset + WeightCount;

    private int Inputs => InputShape.Channels;

    /// <summary><c>Z</c> and the column matrix: <c>rows·(Ho·Wo·filters + H·W·kh·kw·filters)</c> (<c>Z</c> alone for a 1×1 kernel with stride 1).</summary>
    public override long SavedCount(int rows) =>
        (long)rows * (OutputSize + (Geometry.IsPointwise ? 0 : (long)Geometry.OutputPixels * Geometry.ColumnWidth));

    /// <summary>Zero bias; the kernel from <paramref name="initialization"/> with the fans Keras computes from its shape, <c>kh·kw·filters</c> in and <c>kh·kw·Cin</c> out.</summary>
    public override void Initialize(Span<float> parameters, Span<float> state, WeightInitialization initialization, ref Pcg32 random)
    {
        parameters.Slice(BiasOffset, Filters).Clear();
        int window = KernelHeight * KernelWidth;
        WeightFill.Fill(parameters.Slice(WeightOffset, WeightCount), initialization, window * Filters, window * Inputs, ref random);
    }

    /// <summary>
    /// <c>Z = b + col2im(X·Wᵀ)</c> into the saved buffer (training), the pass's pre-activation buffer
    /// (the last layer at inference, when asked) or <paramref name="y"/>; then <c>A = f(Z)</c> into <paramref name="y"/>.
    /// </summary>
    public override void Forward(ref ForwardPass pass, ReadOnlySpan<float> x, Span<float> y, Span<float> saved)
    {
        int rows = pass.Rows, count = checked(rows * OutputSize);
        ReadOnlySpan<float> weights = pass.Parameters.Slice(WeightOffset, WeightCount);
        ReadOnlySpan<float> bias = pass.Parameters.Slice(BiasOffset, Filters);
        ReadOnlySpan<float> input = x[..checked(rows * InputSize)];
        Span<float> z;
        if (pass.Training)
        {
            z = saved[..count];
            Product(input, rows, weights, bias, saved[count..], z);
        }
        else
        {
            z = (!pass.PreActivation.IsEmpty ? pass.PreActivation : y)[..count];
            ProductInChunks(input, rows, weights, bias, z, pass.Arrays);
        }

        ActivationFunctions.Forward(Activation, z, y[..count]);
    }

    /// <summary>
    /// Turns <c>dA</c> into <c>dZ</c> in place (unless it already is <c>dZ</c>), overwrites
    /// <c>dW = dcolsᵀ·X</c> and <c>db = Σ dZ</c> with <c>dcols = im2col(dZ)</c> (written over the saved
    /// columns), and unless <paramref name="dX"/> is empty overwrites <c>dX = dcols·W</c>.
    /// </summary>
    public override void Backward(ref BackwardPass pass, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> saved, Span<float> dY, Span<float> dX)
    {
        int rows = pass.Rows, count = checked(rows * OutputSize);
        int pixels = checked(rows * Geometry.OutputPixels), width = Geometry.ColumnWidth;
        Span<float> dZ = dY[..count];
        if (!pass.FromPreActivation)
        {
            ActivationFunctions.Backward(Activation, saved[..count], y[..count], dZ, dZ);
        }

        ReadOnlySpan<float> dColumns = dZ;
        if (!Geometry.IsPointwise)
        {
            Span<float> columns = saved.Slice(count, checked(pixels * width));
            Im2Col.Gather(Geometry, dZ, rows, columns);
            dColumns = columns;
        }

        ReadOnlySpan<float> weights = pass.Parameters.Slice(WeightOffset, WeightCount);
        Gemm.Multiply(true, false, width, Inputs, pixels, dColumns, width, x, Inputs, pass.Gradients.Slice(WeightOffset, WeightCount), Inputs, accumulate: false);
        Convolution.SumRows(dZ, rows * Geometry.InputPixels, Filters, pass.Gradients.Slice(BiasOffset, Filters));
        if (!dX.IsEmpty)
        {
            Gemm.Multiply(false, false, pixels, Inputs, width, dColumns, width, weights, Inputs, dX, Inputs, accumulate: false);
        }
    }

    /// <summary><c>Z = b + col2im(X·Wᵀ)</c> for <paramref name="rows"/> samples, the columns written to <paramref name="columns"/> (unused when pointwise).</summary>
    private void Product(ReadOnlySpan<float> x, int rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> columns, Span<float> z)
    {
        int pixels = rows * Geometry.OutputPixels, width = Geometry.ColumnWidth;
        if (Geometry.IsPointwise)
        {
            Gemm.Multiply(false, true, pixels, Filters, Inputs, x, Inputs, weights, Inputs, z, Filters, accumulate: false, bias);
            return;
        }

        Span<float> cols = columns[..checked(pixels * width)];
        Gemm.Multiply(false, true, pixels, width, Inputs, x, Inputs, weights, Inputs, cols, width, accumulate: false);
        for (int p = 0, outputs = rows * Geometry.InputPixels; p < outputs; p++)
        {
            bias.CopyTo(z.Slice(p * Filters, Filters));
        }

        Im2Col.Scatter(Geometry, cols, rows, z);
    }

    /// <summary><see cref="Product"/> a chunk of samples at a time through columns borrowed from <paramref name="arrays"/> (at inference).</summary>
    private void ProductInChunks(ReadOnlySpan<float> x, int rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> z, ArrayPool<float> arrays)
    {
        if (Geometry.IsPointwise)
        {
            Product(x, rows, weights, bias, default, z);
            return;
        }

        int perSample = Geometry.OutputPixels * Geometry.ColumnWidth;
        int chunk = Convolution.ChunkSamples(perSample, Geometry.OutputPixels);
        float[] rented = arrays.Rent(checked(Math.Min(rows, chunk + 1) * perSample));
        try
        {
            for (int first = 0; first < rows;)
            {
                int take = Convolution.NextChunk(rows - first, chunk, Geometry.OutputPixels);
                Product(x.Slice(first * InputSize, take * InputSize), take, weights, bias, rented, z.Slice(first * OutputSize, take * OutputSize));
                first += take;
            }
        }
        finally
        {
            arrays.Return(rented);
        }
    }

    /// <inheritdoc/>
    public override ReadOnlySpan<float> PreActivation(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> saved) =>
        saved[..Math.Min(y.Length, saved.Length)];

    /// <summary><c>conv2d_transpose:{filters}:{kh}x{kw}:{sh}x{sw}:{same|valid}:{oph}x{opw}:{activation}</c>, with the effective output padding.</summary>
    public override bool TryWriteFileToken(Span<byte> utf8, out int written) =>
        System.Text.Unicode.Utf8.TryWrite(
            utf8, System.Globalization.CultureInfo.InvariantCulture,
            $"conv2d_transpose:{Filters}:{KernelHeight}x{KernelWidth}:{StrideHeight}x{StrideWidth}:{ConvGeometry.PaddingName(Padding)}:{OutputPaddingHeight}x{OutputPaddingWidth}:{ActivationFunctions.Name(Activation)}",
            out written);

    /// <summary>The kernel as Keras stores it, <c>[kh, kw, filters, Cin]</c>, and the bias.</summary>
    public override IEnumerable<LayerTensor> Tensors =>
    [
        new(Name + ".weight", [KernelHeight, KernelWidth, Filters, Inputs], WeightOffset, WeightCount),
        new(Name + ".bias", [Filters], BiasOffset, Filters),
    ];

    /// <inheritdoc/>
    public override string? OnnxPreActivation => OutputShape.IsVector ? Invariant($"{Name}/ToVector") : Invariant($"{Name}/ConvTranspose");

    /// <summary>
    /// An ONNX <c>ConvTranspose</c> on the NCHW image (the kernel permuted to ONNX's
    /// <c>[Cin, filters, kh, kw]</c>; begin pads are the cropping, end pads the rest of the full
    /// size beyond the output, or <c>output_padding</c> where the output reaches past it), then the activation's nodes.
    /// </summary>
    public override string EmitOnnx(IOnnxGraph graph, ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> state, string input, string? output)
    {
        ConvGeometry g = Geometry;
        ReadOnlySpan<float> keras = parameters.Span.Slice(WeightOffset, WeightCount);
        var onnx = new float[WeightCount];
        for (int ky = 0, at = 0; ky < g.KernelHeight; ky++)
        {
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                for (int f = 0; f < Filters; f++)
                {
                    for (int c = 0; c < Inputs; c++, at++)
                    {
                        onnx[(((((c * Filters) + f) * g.KernelHeight) + ky) * g.KernelWidth) + kx] = keras[at];
                    }
                }
            }
        }

        string weight = graph.Initializer(Invariant($"{Name}.weight"), [Inputs, Filters, g.KernelHeight, g.KernelWidth], onnx);
        string bias = graph.Initializer(Invariant($"{Name}.bias"), [Filters], parameters.Slice(BiasOffset, Filters));
        var (endHeight, extraHeight) = EndPad(g.InputHeight, g.OutputHeight, g.KernelHeight, g.StrideHeight, g.PadTop);
        var (endWidth, extraWidth) = EndPad(g.InputWidth, g.OutputWidth, g.KernelWidth, g.StrideWidth, g.PadLeft);
        string image = Convolution.ToImage(graph, Name, InputShape.IsVector, Inputs, input);
        bool vectorOut = OutputShape.IsVector;
        string z = graph.NodeWith(
            "ConvTranspose", Invariant($"{Name}/ConvTranspose"), [image, weight, bias], Activation == Activation.Identity && !vectorOut ? output : null,
            [
                OnnxAttribute.Ints("kernel_shape", g.KernelHeight, g.KernelWidth),
                OnnxAttribute.Ints("strides", g.StrideHeight, g.StrideWidth),
                OnnxAttribute.Ints("pads", g.PadTop, g.PadLeft, endHeight, endWidth),
                OnnxAttribute.Ints("output_padding", extraHeight, extraWidth),
            ]);
        z = Convolution.FromImage(graph, Name, vectorOut, Filters, z, Activation == Activation.Identity ? output : null);
        return ActivationOnnx.Emit(graph, Activation, Name, z, output);

        // ONNX's size: s·(in − 1) + output_padding + k − begin − end.
        static (int End, int Extra) EndPad(int output, int input, int kernel, int stride, int begin)
        {
            int end = ((input - 1) * stride) + kernel - begin - output;
            return end >= 0 ? (end, 0) : (0, -end);
        }
    }

    private static ConvGeometry CheckedGeometry(
        string name, LayerShape input, int filters, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
        Padding padding, int? outputPaddingHeight, int? outputPaddingWidth)
    {
        string layer = Invariant($"{name} (conv2d_transpose)");
        Conv2DLayer.CheckFilters(layer, filters);
        return ConvGeometry.ForTransposed(
            layer, input.Height, input.Width, filters, kernelHeight, kernelWidth, strideHeight, strideWidth, padding, outputPaddingHeight, outputPaddingWidth);
    }
}

using System.Buffers;
using Autoencoder.Activations;
using Autoencoder.Kernels;

namespace Autoencoder.Layers;

/// <summary>
/// The arithmetic of a convolution layer <c>A = f(conv(X, W) + b)</c> of one geometry, shared by
/// <see cref="Conv2DLayer"/> and <see cref="Conv1DLayer"/> (a signal is an image one row high).
/// Shapes (row-major): <c>X</c> is <c>batch × (H·W·Cin)</c> channels-last; the column matrix
/// <c>cols = im2col(X)</c> is <c>(batch·Ho·Wo) × (kh·kw·Cin)</c> (see <see cref="Im2Col"/>);
/// <c>W</c> is Keras' <c>HWIO</c> kernel, i.e. a <c>(kh·kw·Cin) × filters</c> matrix, followed by
/// <c>b</c> (<c>filters</c>); <c>Z = cols·W + b</c> and <c>A</c> are <c>(batch·Ho·Wo) × filters</c>,
/// which is <c>batch × (Ho·Wo·filters)</c> channels-last.
/// </summary>
/// <remarks>
/// <code>
/// forward                          backward (given dA, or dZ when the loss fused f′)
/// cols = im2col(X)                  dZ    = dA ⊙ f′(Z)
/// Z    = cols·W + b                 dW    = colsᵀ·dZ
/// A    = f(Z)                       db    = Σ_rows dZ   (rows ascending)
///                                   dcols = dZ·Wᵀ,  dX = col2im(dcols)
/// </code>
/// Training keeps <c>Z</c> and <c>cols</c> in the saved buffer (<c>cols</c> is then overwritten by
/// <c>dcols</c>); a pointwise geometry (1×1, stride 1, no padding) has <c>cols = X</c> and keeps
/// <c>Z</c> only. Inference borrows the columns a chunk of samples at a time from the pass's arrays
/// (<see cref="ForwardPass.Arrays"/>: the network's own), so a layer serves many threads at once and holds no scratch.
/// <para>
/// A stride-1 geometry with few channels that is not pointwise (<see cref="IsDirect"/>) skips the column matrix:
/// <see cref="DirectConvolution"/> computes <c>Z</c> and <c>dW</c> from the images themselves and
/// <c>dX</c> as the convolution of <c>dZ</c> by the flipped kernel, which training keeps after
/// <c>Z</c>. Measured on M4's layers (1 to 16 channels, 3 × 3), that is several times faster than
/// im2col with the product, whose tile those few output columns leave mostly empty.
/// </para>
/// </remarks>
internal sealed class Convolution
{
    /// <summary>Floats of columns one inference chunk holds at most (unless one sample needs more): 4 MiB.</summary>
    internal const int InferenceColumnBudget = 1 << 20;

    /// <summary>The arithmetic of <paramref name="geometry"/> with <paramref name="filters"/> outputs per pixel and activation <paramref name="activation"/>.</summary>
    public Convolution(ConvGeometry geometry, int filters, Activation activation)
    {
        Geometry = geometry;
        Filters = filters;
        Activation = activation;
        IsDirect = !geometry.IsPointwise && DirectConvolution.Supports(geometry, filters);
    }

    /// <summary>
    /// True when the layer runs through <see cref="DirectConvolution"/> (stride 1, not pointwise,
    /// few channels: see <see cref="DirectConvolution.Supports"/>): no column matrix, the input
    /// gradient a convolution by the flipped kernel. Decided by the shape alone, so every machine
    /// and thread count takes the same path.
    /// </summary>
    public bool IsDirect { get; }

    /// <summary>Where the windows fall.</summary>
    public ConvGeometry Geometry { get; }

    /// <summary>Output channels.</summary>
    public int Filters { get; }

    /// <summary>The fused activation <c>f</c>.</summary>
    public Activation Activation { get; }

    /// <summary>Values of <c>W</c>: <c>kh·kw·Cin·filters</c>.</summary>
    public int WeightCount => Geometry.ColumnWidth * Filters;

    /// <summary>Floats per output sample (<c>Ho·Wo·filters</c>).</summary>
    public int OutputSize => Geometry.OutputPixels * Filters;

    /// <summary>
    /// <c>Z</c>, then the flipped kernel (direct) or the column matrix (unless pointwise):
    /// <c>rows·Ho·Wo·filters + kh·kw·Cin·filters</c> or <c>rows·Ho·Wo·(filters + kh·kw·Cin)</c>.
    /// </summary>
    public long SavedCount(int rows) =>
        IsDirect ? ((long)rows * OutputSize) + WeightCount
        : (long)rows * Geometry.OutputPixels * (Filters + (Geometry.IsPointwise ? 0 : Geometry.ColumnWidth));

    /// <summary>
    /// <c>Z = im2col(X)·W + b</c> into the saved buffer (training), the pass's pre-activation buffer
    /// (inference, when asked) or <paramref name="y"/>, then <c>A = f(Z)</c> into <paramref name="y"/>.
    /// <c>W</c> starts at <paramref name="weightOffset"/> of the parameters and <c>b</c> follows it.
    /// </summary>
    public void Forward(ref ForwardPass pass, int weightOffset, ReadOnlySpan<float> x, Span<float> y, Span<float> saved)
    {
        int rows = pass.Rows;
        int count = checked(rows * OutputSize);
        ReadOnlySpan<float> weights = pass.Parameters.Slice(weightOffset, WeightCount);
        ReadOnlySpan<float> bias = pass.Parameters.Slice(weightOffset + WeightCount, Filters);
        ReadOnlySpan<float> input = x[..checked(rows * Geometry.InputSize)];
        Span<float> z;
        if (IsDirect)
        {
            z = (pass.Training ? saved : !pass.PreActivation.IsEmpty ? pass.PreActivation : y)[..count];
            DirectConvolution.Forward(Geometry, Filters, input, rows, weights, bias, z);
        }
        else if (pass.Training)
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
    /// Turns <c>dA</c> into <c>dZ</c> in place (unless the loss already did), then overwrites
    /// <c>dW</c> and <c>db</c> in <see cref="BackwardPass.Gradients"/> at <paramref name="weightOffset"/>
    /// and, unless <paramref name="dX"/> is empty, <c>dX</c>. Reads <c>Z</c> and the columns the
    /// training forward kept, and overwrites the columns with <c>dcols</c> (on the direct path, the
    /// flipped kernel after <c>Z</c>).
    /// </summary>
    public void Backward(ref BackwardPass pass, int weightOffset, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> saved, Span<float> dY, Span<float> dX)
    {
        int rows = pass.Rows, pixels = checked(rows * Geometry.OutputPixels), width = Geometry.ColumnWidth;
        int count = checked(rows * OutputSize);
        Span<float> dZ = dY[..count];
        if (!pass.FromPreActivation)
        {
            ActivationFunctions.Backward(Activation, saved[..count], y[..count], dZ, dZ);
        }

        ReadOnlySpan<float> weights = pass.Parameters.Slice(weightOffset, WeightCount);
        Span<float> dWeights = pass.Gradients.Slice(weightOffset, WeightCount);
        Span<float> dBias = pass.Gradients.Slice(weightOffset + WeightCount, Filters);
        if (IsDirect)
        {
            DirectConvolution.Weights(Geometry, Filters, x[..checked(rows * Geometry.InputSize)], rows, dZ, dWeights);
            SumRows(dZ, pixels, Filters, dBias);
            if (!dX.IsEmpty)
            {
                Span<float> flipped = saved.Slice(count, WeightCount);
                DirectConvolution.FlipKernel(Geometry, Filters, weights, flipped);
                DirectConvolution.Forward(DirectConvolution.AdjointGeometry(Geometry, Filters), Geometry.Channels, dZ, rows, flipped, default, dX[..checked(rows * Geometry.InputSize)]);
            }

            return;
        }

        bool pointwise = Geometry.IsPointwise;
        Span<float> columns = pointwise ? default : saved.Slice(count, checked(pixels * width));
        ReadOnlySpan<float> cols = pointwise ? x[..(pixels * width)] : columns;

        Gemm.Multiply(true, false, width, Filters, pixels, cols, width, dZ, Filters, dWeights, Filters, accumulate: false);
        SumRows(dZ, pixels, Filters, dBias);
        if (dX.IsEmpty)
        {
            return;
        }

        if (pointwise)
        {
            Gemm.Multiply(false, true, pixels, width, Filters, dZ, Filters, weights, Filters, dX, width, accumulate: false);
            return;
        }

        Gemm.Multiply(false, true, pixels, width, Filters, dZ, Filters, weights, Filters, columns, width, accumulate: false);
        Span<float> dInput = dX[..checked(rows * Geometry.InputSize)];
        dInput.Clear();
        Im2Col.Scatter(Geometry, columns, rows, dInput);
    }

    /// <summary><c>Z = im2col(X)·W + b</c> for the whole batch, the columns written to <paramref name="columns"/> (unused when pointwise).</summary>
    private void Product(ReadOnlySpan<float> x, int rows, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> columns, Span<float> z)
    {
        int pixels = rows * Geometry.OutputPixels, width = Geometry.ColumnWidth;
        ReadOnlySpan<float> cols = x;
        if (!Geometry.IsPointwise)
        {
            Span<float> gathered = columns[..checked(pixels * width)];
            Im2Col.Gather(Geometry, x, rows, gathered);
            cols = gathered;
        }

        // The bias is added inside the product, to each output tile while it is in L1.
        Gemm.Multiply(false, false, pixels, Filters, width, cols, width, weights, Filters, z, Filters, accumulate: false, bias);
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
        int chunk = ChunkSamples(perSample, Geometry.OutputPixels);
        float[] rented = arrays.Rent(checked(Math.Min(rows, chunk + 1) * perSample));
        try
        {
            for (int first = 0; first < rows;)
            {
                int take = NextChunk(rows - first, chunk, Geometry.OutputPixels);
                Product(
                    x.Slice(first * Geometry.InputSize, take * Geometry.InputSize), take, weights, bias, rented,
                    z.Slice(first * OutputSize, take * OutputSize));
                first += take;
            }
        }
        finally
        {
            arrays.Return(rented);
        }
    }

    /// <summary>
    /// Samples per inference chunk whose rows need <paramref name="perSample"/> floats of columns:
    /// as many as fit <see cref="InferenceColumnBudget"/>, at least one, and at least two when a
    /// sample is a single row of the product (see <see cref="NextChunk"/>).
    /// </summary>
    internal static int ChunkSamples(int perSample, int rowsPerSample) =>
        Math.Max(rowsPerSample == 1 ? 2 : 1, InferenceColumnBudget / Math.Max(perSample, 1));

    /// <summary>
    /// The samples of the next inference chunk, <paramref name="remaining"/> left and chunks of
    /// <paramref name="chunk"/>: a product of one row takes the GEMM's one-row path, which orders
    /// its sums unlike the blocked path a training batch takes, so a lone trailing row joins the
    /// chunk before it (rent room for <c>chunk + 1</c> samples) and inference gives training's bits.
    /// </summary>
    internal static int NextChunk(int remaining, int chunk, int rowsPerSample)
    {
        int take = Math.Min(chunk, remaining);
        return rowsPerSample == 1 && remaining - take == 1 ? take + 1 : take;
    }

    /// <summary>
    /// The ONNX nodes of the layer named <paramref name="name"/>: a <c>Conv</c> on the NCHW image
    /// (the <c>HWIO</c> kernel permuted to ONNX's <c>[filters, Cin, kh, kw]</c>, explicit pads
    /// <c>[top, left, bottom, right]</c>), then the activation. A one-pixel image is a vector
    /// <c>[N, C]</c> in the graph (<c>OnnxExport.OnnxDimensions</c>), so it is reshaped to and from
    /// <c>[N, C, 1, 1]</c> around the node.
    /// </summary>
    public string EmitOnnx(IOnnxGraph graph, string name, ReadOnlyMemory<float> parameters, int weightOffset, string input, string? output)
    {
        ConvGeometry g = Geometry;
        ReadOnlySpan<float> hwio = parameters.Span.Slice(weightOffset, WeightCount);
        var oihw = new float[WeightCount];
        for (int ky = 0, at = 0; ky < g.KernelHeight; ky++)
        {
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                for (int c = 0; c < g.Channels; c++)
                {
                    for (int f = 0; f < Filters; f++, at++)
                    {
                        oihw[(((((f * g.Channels) + c) * g.KernelHeight) + ky) * g.KernelWidth) + kx] = hwio[at];
                    }
                }
            }
        }

        string weight = graph.Initializer(Invariant($"{name}.weight"), [Filters, g.Channels, g.KernelHeight, g.KernelWidth], oihw);
        string bias = graph.Initializer(Invariant($"{name}.bias"), [Filters], parameters.Slice(weightOffset + WeightCount, Filters));
        string image = ToImage(graph, name, g.InputPixels == 1, g.Channels, input);
        bool vectorOut = g.OutputPixels == 1;
        string z = graph.NodeWith(
            "Conv", Invariant($"{name}/Conv"), [image, weight, bias], Activation == Activation.Identity && !vectorOut ? output : null,
            [
                OnnxAttribute.Ints("kernel_shape", g.KernelHeight, g.KernelWidth),
                OnnxAttribute.Ints("strides", g.StrideHeight, g.StrideWidth),
                OnnxAttribute.Ints("pads", g.PadTop, g.PadLeft, g.PadBottom, g.PadRight),
            ]);
        z = FromImage(graph, name, vectorOut, Filters, z, Activation == Activation.Identity ? output : null);
        return ActivationOnnx.Emit(graph, Activation, name, z, output);
    }

    /// <summary>Reshapes a graph vector <c>[N, C]</c> to the image <c>[N, C, 1, 1]</c> when <paramref name="isVector"/>; the input's name otherwise.</summary>
    internal static string ToImage(IOnnxGraph graph, string name, bool isVector, int channels, string input) =>
        isVector
            ? graph.Node("Reshape", Invariant($"{name}/ToImage"), [input, graph.Int64Initializer(Invariant($"{name}.image_shape"), [-1, channels, 1, 1])], null)
            : input;

    /// <summary>Reshapes the image <c>[N, C, 1, 1]</c> back to the graph vector <c>[N, C]</c> when <paramref name="isVector"/>; <paramref name="z"/> otherwise.</summary>
    internal static string FromImage(IOnnxGraph graph, string name, bool isVector, int channels, string z, string? output) =>
        isVector
            ? graph.Node("Reshape", Invariant($"{name}/ToVector"), [z, graph.Int64Initializer(Invariant($"{name}.vector_shape"), [-1, channels])], output)
            : z;

    /// <summary>Overwrites <paramref name="sums"/> with the column sums of the row-major <paramref name="rows"/> × <paramref name="width"/> matrix <paramref name="matrix"/>, rows added in ascending order.</summary>
    internal static void SumRows(ReadOnlySpan<float> matrix, int rows, int width, Span<float> sums) =>
        ColumnSums.Compute(matrix, rows, width, sums);
}

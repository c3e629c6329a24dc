using System.Numerics.Tensors;
using Autoencoder.Kernels;

namespace Autoencoder.Layers;

/// <summary>
/// Nearest-neighbour upsampling (Keras' <c>UpSampling2D</c> with its default interpolation): each
/// input pixel becomes a block of <see cref="SizeHeight"/> × <see cref="SizeWidth"/> copies, so
/// output pixel <c>(i, j)</c> is input pixel <c>(⌊i/SizeHeight⌋, ⌊j/SizeWidth⌋)</c>, all channels.
/// Backward: each input pixel's gradient is the sum of its block's output gradients.
/// </summary>
internal sealed class UpSampling2DLayer : Layer
{
    public UpSampling2DLayer(string name, LayerShape input, int sizeHeight, int sizeWidth)
        : base(name, input, OutputOf(name, input, sizeHeight, sizeWidth))
    {
        SizeHeight = sizeHeight;
        SizeWidth = sizeWidth;
    }

    /// <summary>Output rows per input row.</summary>
    public int SizeHeight { get; }

    /// <summary>Output columns per input column.</summary>
    public int SizeWidth { get; }

    /// <inheritdoc/>
    public override string Kind => "upsampling2d";

    /// <summary>
    /// Overwrites <paramref name="y"/> (<c>rows × OutputSize</c>): each input pixel's channel run is
    /// copied <see cref="SizeWidth"/> times along an output row, and that row <see cref="SizeHeight"/>
    /// times. Keeps nothing in <paramref name="saved"/>.
    /// </summary>
    public override unsafe void Forward(ref ForwardPass pass, ReadOnlySpan<float> x, Span<float> y, Span<float> saved)
    {
        int rows = pass.Rows;
        fixed (float* px = x[..(rows * InputSize)], py = y[..(rows * OutputSize)])
        {
            var work = new Halves { Layer = this, Input = px, Output = py, Rows = rows, Backward = false };
            WorkerPool.InHalves(ref work, rows, ParallelMinimumRows, alignment: 1);
        }
    }

    /// <summary>
    /// Overwrites <paramref name="dX"/> (<c>rows × InputSize</c>): zeroes it, then adds every output
    /// pixel's gradient to its input pixel, outputs row by row, so each block is summed in float in
    /// the fixed order of its rows and then columns. Nothing to do when <paramref name="dX"/> is empty.
    /// </summary>
    public override unsafe void Backward(ref BackwardPass pass, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> saved, Span<float> dY, Span<float> dX)
    {
        if (dX.IsEmpty)
        {
            return;
        }

        int rows = pass.Rows;
        fixed (float* pdx = dX[..(rows * InputSize)], pdy = dY[..(rows * OutputSize)])
        {
            var work = new Halves { Layer = this, Input = pdx, Output = pdy, Rows = rows, Backward = true };
            WorkerPool.InHalves(ref work, rows, ParallelMinimumRows, alignment: 1);
        }
    }

    /// <summary>Fewest samples split in two halves across threads: enough that each half writes about 64K values.</summary>
    private int ParallelMinimumRows => Math.Max(2, (1 << 16) / Math.Max(1, OutputSize));

    /// <summary>Samples <c>[first, first + count)</c> of <see cref="Forward"/>.</summary>
    private void ForwardSamples(ReadOnlySpan<float> x, int first, int count, Span<float> y)
    {
        int channels = InputShape.Channels, width = InputShape.Width, rowLength = OutputShape.Width * channels;
        for (int b = first; b < first + count; b++)
        {
            ReadOnlySpan<float> sample = x.Slice(b * InputSize, InputSize);
            Span<float> image = y.Slice(b * OutputSize, OutputSize);
            for (int ih = 0; ih < InputShape.Height; ih++)
            {
                Span<float> firstRow = image.Slice(ih * SizeHeight * rowLength, rowLength);
                for (int iw = 0; iw < width; iw++)
                {
                    ReadOnlySpan<float> pixel = sample.Slice(((ih * width) + iw) * channels, channels);
                    for (int dw = 0; dw < SizeWidth; dw++)
                    {
                        pixel.CopyTo(firstRow.Slice(((iw * SizeWidth) + dw) * channels, channels));
                    }
                }

                for (int dh = 1; dh < SizeHeight; dh++)
                {
                    firstRow.CopyTo(image.Slice(((ih * SizeHeight) + dh) * rowLength, rowLength));
                }
            }
        }
    }

    /// <summary>Samples <c>[first, first + count)</c> of <see cref="Backward"/>: each sample's gradient, zeroed, then its blocks summed.</summary>
    private void BackwardSamples(ReadOnlySpan<float> dY, int first, int count, Span<float> dX)
    {
        int channels = InputShape.Channels, width = InputShape.Width;
        for (int b = first; b < first + count; b++)
        {
            Span<float> sample = dX.Slice(b * InputSize, InputSize);
            sample.Clear();
            ReadOnlySpan<float> image = dY.Slice(b * OutputSize, OutputSize);
            for (int oh = 0; oh < OutputShape.Height; oh++)
            {
                int ih = oh / SizeHeight;
                for (int ow = 0; ow < OutputShape.Width; ow++)
                {
                    Span<float> pixel = sample.Slice(((ih * width) + (ow / SizeWidth)) * channels, channels);
                    TensorPrimitives.Add(pixel, image.Slice(((oh * OutputShape.Width) + ow) * channels, channels), pixel);
                }
            }
        }
    }

    /// <summary>One half of the samples of a forward or backward pass (each sample's values are its own, so the halves give the bits of one pass).</summary>
    private unsafe struct Halves : IRangeWork
    {
        public UpSampling2DLayer Layer;

        /// <summary>The input (forward) or its gradient (backward).</summary>
        public float* Input;

        /// <summary>The output (forward) or its gradient (backward).</summary>
        public float* Output;
        public int Rows;
        public bool Backward;

        public readonly void Run(int part, int start, int length)
        {
            var input = new Span<float>(Input, Rows * Layer.InputSize);
            var output = new Span<float>(Output, Rows * Layer.OutputSize);
            if (Backward)
            {
                Layer.BackwardSamples(output, start, length, input);
            }
            else
            {
                Layer.ForwardSamples(input, start, length, output);
            }
        }
    }

    /// <summary><c>upsampling2d:{sh}x{sw}</c>.</summary>
    public override bool TryWriteFileToken(Span<byte> utf8, out int written) =>
        System.Text.Unicode.Utf8.TryWrite(utf8, System.Globalization.CultureInfo.InvariantCulture, $"upsampling2d:{SizeHeight}x{SizeWidth}", out written);

    /// <summary>
    /// One ONNX <c>Resize</c> (opset 17) on the graph's NCHW tensor, scales <c>[1, 1, sh, sw]</c>, no
    /// region of interest: with <c>asymmetric</c> coordinates and <c>floor</c> rounding output
    /// <c>(i, j)</c> reads input <c>(⌊i/sh⌋, ⌊j/sw⌋)</c>, this layer's rule. A 1 × 1 input is
    /// <c>[N, C]</c> in the graph (see <see cref="Serialization.OnnxExport.OnnxDimensions"/>), so it is
    /// first reshaped to <c>[N, C, 1, 1]</c>; with factors 1 × 1 as well the layer passes it through.
    /// </summary>
    public override string EmitOnnx(IOnnxGraph graph, ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> state, string input, string? output)
    {
        if (OutputShape.IsVector)
        {
            return output is null ? input : graph.Node("Identity", Invariant($"{Name}/Identity"), [input], output);
        }

        string source = input;
        if (InputShape.IsVector)
        {
            string shape = graph.Int64Initializer(Invariant($"{Name}.nchw_shape"), [-1, InputShape.Channels, 1, 1]);
            source = graph.Node("Reshape", Invariant($"{Name}/Reshape"), [input, shape], null);
        }

        string scales = graph.Initializer(Invariant($"{Name}.scales"), [4], new float[] { 1, 1, SizeHeight, SizeWidth });
        return graph.NodeWith(
            "Resize", Invariant($"{Name}/Resize"), [source, "", scales], output,
            [
                OnnxAttribute.String("mode", "nearest"),
                OnnxAttribute.String("coordinate_transformation_mode", "asymmetric"),
                OnnxAttribute.String("nearest_mode", "floor"),
            ]);
    }

    /// <summary>The output shape, after checking the factors.</summary>
    private static LayerShape OutputOf(string name, LayerShape input, int sizeHeight, int sizeWidth)
    {
        if (sizeHeight < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(sizeHeight), Invariant($"Upsampling layer {name} needs a height factor of at least 1; got {sizeHeight}."));
        }

        if (sizeWidth < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(sizeWidth), Invariant($"Upsampling layer {name} needs a width factor of at least 1; got {sizeWidth}."));
        }

        long height = (long)input.Height * sizeHeight, width = (long)input.Width * sizeWidth;
        // h·w·c > max exactly when h·w > ⌊max/c⌋, and h·w fits a long (each factor is below 2³²).
        if (height * width > int.MaxValue / input.Channels)
        {
            throw new ArgumentException(
                Invariant($"Upsampling layer {name} needs an output of at most {int.MaxValue} values per sample; got {height} × {width} × {input.Channels} from input {input} by {sizeHeight} × {sizeWidth}."),
                nameof(sizeHeight));
        }

        return LayerShape.Image((int)height, (int)width, input.Channels);
    }
}

using System.Numerics;
using System.Runtime.InteropServices;
using Autoencoder.Kernels;

namespace Autoencoder.Layers;

/// <summary>
/// Max pooling over height and width (Keras' <c>MaxPooling2D</c>), each channel on its own: output
/// pixel <c>(i, j)</c> holds, per channel, the largest input in the window of
/// <see cref="PoolHeight"/> × <see cref="PoolWidth"/> pixels whose top-left corner is input row
/// <c>i·StrideHeight − PadTop</c>, column <c>j·StrideWidth − PadLeft</c>. Backward: each output's
/// gradient goes to the input it selected, <c>dX[argmax] += dY</c>.
/// </summary>
/// <remarks>
/// <para>
/// Geometry, per axis, as Keras: with <see cref="Padding.Valid"/> the output has
/// <c>⌊(in − pool)/stride⌋ + 1</c> positions and no padding; with <see cref="Padding.Same"/> it has
/// <c>⌈in/stride⌉</c> and a total padding of <c>max((out − 1)·stride + pool − in, 0)</c>, the smaller
/// half before (top, left) and the larger after. Padding is never selected: a window is clipped to
/// the input, and the geometry leaves every window at least one real pixel (the total padding is
/// below the pool size, and the last window starts inside the input). A 2 × 2 'same' pool of stride
/// 2 maps 7 × 7 to 4 × 4, its last row and column of windows one pixel wide.
/// </para>
/// <para>
/// Ties and NaN: the window is scanned row by row, left to right, and a value replaces the maximum
/// so far only when it is greater, so among equal maxima the first wins (+0 and −0 are equal, so
/// the first of them is kept). A NaN beats every number and later NaNs do not replace it: a window
/// holding a NaN outputs its first NaN and sends its gradient there, as PyTorch propagates NaN.
/// </para>
/// <para>
/// Training keeps the argmax of every output value in <c>saved</c>: the selected pixel's index
/// within its sample (<c>row·Width + column</c>) as an <see cref="int"/> whose bits fill the float
/// slot, one per output value. At inference (<c>saved</c> empty) no index is written.
/// </para>
/// <para>
/// A pixel's channels are contiguous, so <see cref="Forward"/> scans a window
/// <see cref="Vector{T}.Count"/> channels at a time and leaves the remaining channels to the
/// scalar loop of <see cref="ForwardReference"/>, which is kept as the reference. Every step
/// selects a value without computing one, so both give the same bits and the same indices; the
/// vector path only pays when there are at least <see cref="Vector{T}.Count"/> channels (a
/// one-channel image runs the scalar loop).
/// </para>
/// </remarks>
internal sealed class MaxPool2DLayer : Layer
{
    public MaxPool2DLayer(string name, LayerShape input, int poolHeight, int poolWidth, int strideHeight, int strideWidth, Padding padding)
        : base(name, input, OutputOf(name, input, poolHeight, poolWidth, strideHeight, strideWidth, padding))
    {
        PoolHeight = poolHeight;
        PoolWidth = poolWidth;
        StrideHeight = strideHeight;
        StrideWidth = strideWidth;
        Padding = padding;
        int padHeight = TotalPadding(input.Height, OutputShape.Height, poolHeight, strideHeight, padding);
        int padWidth = TotalPadding(input.Width, OutputShape.Width, poolWidth, strideWidth, padding);
        PadTop = padHeight / 2;
        PadBottom = padHeight - PadTop;
        PadLeft = padWidth / 2;
        PadRight = padWidth - PadLeft;
    }

    /// <summary>Window rows.</summary>
    public int PoolHeight { get; }

    /// <summary>Window columns.</summary>
    public int PoolWidth { get; }

    /// <summary>Input rows between the tops of vertically adjacent windows.</summary>
    public int StrideHeight { get; }

    /// <summary>Input columns between the left edges of horizontally adjacent windows.</summary>
    public int StrideWidth { get; }

    /// <summary>How the windows treat the border (see the class remarks).</summary>
    public Padding Padding { get; }

    /// <summary>Padding rows above the input (the smaller half of the total); 0 for <see cref="Padding.Valid"/>.</summary>
    public int PadTop { get; }

    /// <summary>Padding columns left of the input (the smaller half of the total); 0 for <see cref="Padding.Valid"/>.</summary>
    public int PadLeft { get; }

    /// <summary>Padding rows below the input (the larger half of the total).</summary>
    public int PadBottom { get; }

    /// <summary>Padding columns right of the input (the larger half of the total).</summary>
    public int PadRight { get; }

    /// <inheritdoc/>
    public override string Kind => "max_pool2d";

    /// <summary>One argmax index per output value: <c>rows × OutputSize</c>.</summary>
    public override long SavedCount(int rows) => (long)rows * OutputSize;

    /// <summary>
    /// Overwrites <paramref name="y"/> (<c>rows × OutputSize</c>) with each window's maximum per
    /// channel; in training also overwrites the first <c>rows × OutputSize</c> slots of
    /// <paramref name="saved"/> with the argmax indices (see the class remarks).
    /// </summary>
    public override unsafe void Forward(ref ForwardPass pass, ReadOnlySpan<float> x, Span<float> y, Span<float> saved)
    {
        int rows = pass.Rows;
        Span<int> argmax = pass.Training ? MemoryMarshal.Cast<float, int>(saved[..(rows * OutputSize)]) : default;
        x = x[..(rows * InputSize)];
        y = y[..(rows * OutputSize)];
        fixed (float* px = x, py = y)
        fixed (int* pa = argmax)
        {
            var work = new Halves { Layer = this, X = px, Y = py, Argmax = pa, Rows = rows, Backward = false };
            WorkerPool.InHalves(ref work, rows, ParallelMinimumRows, alignment: 1);
        }
    }

    /// <summary>Fewest samples split in two halves across threads: enough that each half holds about 64K window reads.</summary>
    private int ParallelMinimumRows => (int)Math.Max(2, (1L << 16) / Math.Max(1L, (long)OutputSize * PoolHeight * PoolWidth));

    /// <summary>Samples <c>[first, first + count)</c> of <see cref="Forward"/>.</summary>
    private void ForwardSamples(ReadOnlySpan<float> x, int first, int count, Span<float> y, Span<int> argmax)
    {
        int channels = InputShape.Channels;
        for (int b = first; b < first + count; b++)
        {
            ReadOnlySpan<float> sample = x.Slice(b * InputSize, InputSize);
            for (int oh = 0; oh < OutputShape.Height; oh++)
            {
                var (h0, h1) = Window(oh, StrideHeight, PadTop, PoolHeight, InputShape.Height);
                for (int ow = 0; ow < OutputShape.Width; ow++)
                {
                    var (w0, w1) = Window(ow, StrideWidth, PadLeft, PoolWidth, InputShape.Width);
                    int at = (b * OutputSize) + (((oh * OutputShape.Width) + ow) * channels);
                    PoolWindow(sample, h0, h1, w0, w1, y.Slice(at, channels), argmax.IsEmpty ? default : argmax.Slice(at, channels));
                }
            }
        }
    }

    /// <summary>Samples <c>[first, first + count)</c> of <see cref="Backward"/>: each sample's gradient, zeroed, then the outputs' added in order.</summary>
    private void BackwardSamples(ReadOnlySpan<int> argmax, ReadOnlySpan<float> dY, int first, int count, Span<float> dX)
    {
        int channels = InputShape.Channels, pixels = OutputShape.Height * OutputShape.Width;
        for (int b = first; b < first + count; b++)
        {
            Span<float> sample = dX.Slice(b * InputSize, InputSize);
            sample.Clear();
            int start = b * OutputSize;
            for (int p = 0; p < pixels; p++)
            {
                int at = start + (p * channels);
                for (int c = 0; c < channels; c++)
                {
                    sample[(argmax[at + c] * channels) + c] += dY[at + c];
                }
            }
        }
    }

    /// <summary>One half of the samples of a forward or backward pass (every sample's outputs are its own, so the halves give the bits of one pass).</summary>
    private unsafe struct Halves : IRangeWork
    {
        public MaxPool2DLayer Layer;
        public float* X;
        public float* Y;
        public int* Argmax;
        public int Rows;
        public bool Backward;

        public readonly void Run(int part, int start, int length)
        {
            int inputs = Rows * Layer.InputSize, outputs = Rows * Layer.OutputSize;
            if (Backward)
            {
                // X is dX and Y is dY here.
                Layer.BackwardSamples(new ReadOnlySpan<int>(Argmax, outputs), new ReadOnlySpan<float>(Y, outputs), start, length, new Span<float>(X, inputs));
            }
            else
            {
                Layer.ForwardSamples(new ReadOnlySpan<float>(X, inputs), start, length, new Span<float>(Y, outputs), Argmax is null ? default : new Span<int>(Argmax, outputs));
            }
        }
    }

    /// <summary>
    /// The scalar reference of <see cref="Forward"/>: the same values and, when
    /// <paramref name="argmax"/> is not empty, the same indices, one channel at a time.
    /// </summary>
    internal void ForwardReference(ReadOnlySpan<float> x, int rows, Span<float> y, Span<int> argmax)
    {
        int channels = InputShape.Channels;
        for (int b = 0; b < rows; b++)
        {
            ReadOnlySpan<float> sample = x.Slice(b * InputSize, InputSize);
            for (int oh = 0; oh < OutputShape.Height; oh++)
            {
                var (h0, h1) = Window(oh, StrideHeight, PadTop, PoolHeight, InputShape.Height);
                for (int ow = 0; ow < OutputShape.Width; ow++)
                {
                    var (w0, w1) = Window(ow, StrideWidth, PadLeft, PoolWidth, InputShape.Width);
                    int at = (b * OutputSize) + (((oh * OutputShape.Width) + ow) * channels);
                    for (int c = 0; c < channels; c++)
                    {
                        (y[at + c], int index) = MaxOf(sample, c, h0, h1, w0, w1);
                        if (!argmax.IsEmpty)
                        {
                            argmax[at + c] = index;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Overwrites <paramref name="dX"/> (<c>rows × InputSize</c>): zeroes it, then adds each output's
    /// gradient to the input its training forward selected, outputs in order (sample, row, column,
    /// channel), so overlapping windows (stride below pool) add up in that fixed order. Reads the
    /// argmax indices in <paramref name="saved"/>; <paramref name="x"/> and <paramref name="y"/> are
    /// not read. Nothing to do when <paramref name="dX"/> is empty (no parameters).
    /// </summary>
    public override unsafe void Backward(ref BackwardPass pass, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> saved, Span<float> dY, Span<float> dX)
    {
        if (dX.IsEmpty)
        {
            return;
        }

        int rows = pass.Rows;
        ReadOnlySpan<int> argmax = MemoryMarshal.Cast<float, int>(saved[..(rows * OutputSize)]);
        dY = dY[..(rows * OutputSize)];
        dX = dX[..(rows * InputSize)];
        fixed (float* pdx = dX, pdy = dY)
        fixed (int* pa = argmax)
        {
            var work = new Halves { Layer = this, X = pdx, Y = pdy, Argmax = pa, Rows = rows, Backward = true };
            WorkerPool.InHalves(ref work, rows, ParallelMinimumRows, alignment: 1);
        }
    }

    /// <summary><c>max_pool2d:{ph}x{pw}:{sh}x{sw}:{same|valid}</c>.</summary>
    public override bool TryWriteFileToken(Span<byte> utf8, out int written)
    {
        string padding = Padding == Padding.Same ? "same" : "valid";
        return System.Text.Unicode.Utf8.TryWrite(
            utf8, System.Globalization.CultureInfo.InvariantCulture, $"max_pool2d:{PoolHeight}x{PoolWidth}:{StrideHeight}x{StrideWidth}:{padding}", out written);
    }

    /// <summary>
    /// One ONNX <c>MaxPool</c> on the graph's NCHW tensor with explicit <c>pads</c>
    /// <c>[top, left, bottom, right]</c>; ONNX's MaxPool ignores padding as this layer does, and
    /// its output size <c>⌊(in + pads − pool)/stride⌋ + 1</c> equals this layer's. A 1 × 1 shape is
    /// <c>[N, C]</c> in the graph (see <see cref="Serialization.OnnxExport.OnnxDimensions"/>): a 1 × 1
    /// input passes through (its one window holds its one pixel), and a 1 × 1 output is flattened.
    /// </summary>
    public override string EmitOnnx(IOnnxGraph graph, ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> state, string input, string? output)
    {
        if (InputShape.IsVector)
        {
            return output is null ? input : graph.Node("Identity", Invariant($"{Name}/Identity"), [input], output);
        }

        OnnxAttribute[] attributes =
        [
            OnnxAttribute.Ints("kernel_shape", PoolHeight, PoolWidth),
            OnnxAttribute.Ints("strides", StrideHeight, StrideWidth),
            OnnxAttribute.Ints("pads", PadTop, PadLeft, PadBottom, PadRight),
        ];
        if (!OutputShape.IsVector)
        {
            return graph.NodeWith("MaxPool", Invariant($"{Name}/MaxPool"), [input], output, attributes);
        }

        string pooled = graph.NodeWith("MaxPool", Invariant($"{Name}/MaxPool"), [input], null, attributes);
        return graph.Node("Flatten", Invariant($"{Name}/Flatten"), [pooled], output);
    }

    /// <summary>Writes one window's maxima (and, when <paramref name="argmax"/> is not empty, their indices) for every channel.</summary>
    private void PoolWindow(ReadOnlySpan<float> sample, int h0, int h1, int w0, int w1, Span<float> y, Span<int> argmax)
    {
        int channels = InputShape.Channels, width = InputShape.Width, first = (h0 * width) + w0, c = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; c <= channels - Vector<float>.Count; c += Vector<float>.Count)
            {
                var max = new Vector<float>(sample[((first * channels) + c)..]);
                var index = new Vector<int>(first);

                // The first pixel is compared with itself too; that changes nothing (it is not greater, nor a NaN beating a number).
                for (int h = h0; h < h1; h++)
                {
                    for (int w = w0; w < w1; w++)
                    {
                        int p = (h * width) + w;
                        var v = new Vector<float>(sample[((p * channels) + c)..]);
                        Vector<int> take = Vector.GreaterThan(v, max) | (Vector.Equals(max, max) & ~Vector.Equals(v, v));
                        max = Vector.ConditionalSelect(take, v, max);
                        index = Vector.ConditionalSelect(take, new Vector<int>(p), index);
                    }
                }

                max.CopyTo(y[c..]);
                if (!argmax.IsEmpty)
                {
                    index.CopyTo(argmax[c..]);
                }
            }
        }

        for (; c < channels; c++)
        {
            (y[c], int index) = MaxOf(sample, c, h0, h1, w0, w1);
            if (!argmax.IsEmpty)
            {
                argmax[c] = index;
            }
        }
    }

    /// <summary>The maximum of channel <paramref name="c"/> over rows <c>[h0, h1)</c> and columns <c>[w0, w1)</c> of one sample, and its pixel index (the class remarks give the rule for ties and NaN).</summary>
    private (float Max, int Index) MaxOf(ReadOnlySpan<float> sample, int c, int h0, int h1, int w0, int w1)
    {
        int channels = InputShape.Channels, width = InputShape.Width;
        int index = (h0 * width) + w0;
        float max = sample[(index * channels) + c];
        for (int h = h0; h < h1; h++)
        {
            for (int w = w0; w < w1; w++)
            {
                int p = (h * width) + w;
                float v = sample[(p * channels) + c];
                if (v > max || (float.IsNaN(v) && !float.IsNaN(max)))
                {
                    max = v;
                    index = p;
                }
            }
        }

        return (max, index);
    }

    /// <summary>The input positions <c>[start, end)</c> window <paramref name="o"/> covers along one axis, padding clipped off.</summary>
    private static (int Start, int End) Window(int o, int stride, int padBefore, int pool, int input)
    {
        int start = (o * stride) - padBefore;
        return (Math.Max(start, 0), Math.Min(start + pool, input));
    }

    /// <summary>Total padding along one axis: <c>max((out − 1)·stride + pool − in, 0)</c> for 'same', 0 for 'valid'.</summary>
    private static int TotalPadding(int input, int output, int pool, int stride, Padding padding) =>
        padding == Padding.Same ? Math.Max(((output - 1) * stride) + pool - input, 0) : 0;

    /// <summary>The output shape, after checking the geometry.</summary>
    private static LayerShape OutputOf(string name, LayerShape input, int poolHeight, int poolWidth, int strideHeight, int strideWidth, Padding padding)
    {
        if (padding is not (Padding.Valid or Padding.Same))
        {
            throw new ArgumentOutOfRangeException(nameof(padding), Invariant($"Max pooling layer {name} needs padding Valid or Same; got {(int)padding}."));
        }

        int height = Extent(name, "height", input.Height, poolHeight, nameof(poolHeight), strideHeight, nameof(strideHeight), padding);
        int width = Extent(name, "width", input.Width, poolWidth, nameof(poolWidth), strideWidth, nameof(strideWidth), padding);
        return LayerShape.Image(height, width, input.Channels);
    }

    /// <summary>Output positions along one axis (see the class remarks), after checking the pool and stride.</summary>
    private static int Extent(string name, string axis, int input, int pool, string poolName, int stride, string strideName, Padding padding)
    {
        if (pool < 1)
        {
            throw new ArgumentOutOfRangeException(poolName, Invariant($"Max pooling layer {name} needs a pool {axis} of at least 1; got {pool}."));
        }

        if (stride < 1)
        {
            throw new ArgumentOutOfRangeException(strideName, Invariant($"Max pooling layer {name} needs a stride {axis} of at least 1; got {stride}."));
        }

        if (padding == Padding.Same)
        {
            return (int)(((long)input + stride - 1) / stride);
        }

        if (pool > input)
        {
            throw new ArgumentException(
                Invariant($"Max pooling layer {name} with 'valid' padding needs an input {axis} of at least the pool {axis}, {pool}; got {input}."),
                poolName);
        }

        return ((input - pool) / stride) + 1;
    }
}

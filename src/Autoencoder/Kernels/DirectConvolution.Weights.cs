using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Autoencoder.Kernels;

internal static unsafe partial class DirectConvolution
{
    /// <summary>Most floats of one tap's gradient kept transposed (channels as lanes) on the stack.</summary>
    private const int MaxTransposedTap = 4096;

    /// <summary>
    /// Overwrites <paramref name="dWeights"/> (<c>kh·kw·Cin·filters</c>, <c>HWIO</c>) with the
    /// kernel's gradient <c>dW[ky, kx, c, f] = Σ X[n, oy·sh − PadTop + ky, ox·sw − PadLeft + kx, c] · dZ[n, oy, ox, f]</c>
    /// over the output pixels whose tap is inside the image, <c>n</c>, <c>oy</c>, <c>ox</c> ascending:
    /// one chain of fused multiply-adds per weight, from zero, whatever the threads or the register width.
    /// </summary>
    /// <remarks>
    /// Threads take whole taps. Within a tap the lanes are the output channels (their gradients for
    /// one pixel are one load of <c>dZ</c>, each input value broadcast) unless the layer has fewer
    /// than eight outputs and more inputs, as a network's last layer does: the lanes are then the
    /// input channels (one load of the pixel's input, each <c>dZ</c> value broadcast), summed in a
    /// transposed block on the stack and written back in <c>HWIO</c> order.
    /// </remarks>
    public static void Weights(
        in ConvGeometry geometry, int filters, ReadOnlySpan<float> x, int batch, ReadOnlySpan<float> dZ, Span<float> dWeights, int widest = 16)
    {
        int count = geometry.ColumnWidth * filters;
        if (x.Length < checked(batch * geometry.InputSize) || dZ.Length < checked(batch * geometry.OutputPixels * filters) || dWeights.Length < count)
        {
            throw new ArgumentException(Invariant(
                $"A kernel gradient of {batch} images needs {batch * geometry.InputSize} inputs, {batch * geometry.OutputPixels * filters} output gradients and {count} weights; got {x.Length}, {dZ.Length} and {dWeights.Length}."));
        }

        fixed (float* xp = x, dzp = dZ, dwp = dWeights)
        {
            var job = new WeightJob { Geometry = geometry, Filters = filters, Batch = batch, X = xp, DZ = dzp, DW = dwp, Widest = widest };
            int taps = geometry.KernelHeight * geometry.KernelWidth;
            long work = (long)batch * geometry.OutputPixels * count;
            if (work < ParallelMinimum || taps < 2 || WorkerPool.MaxDegreeOfParallelism < 2)
            {
                for (int tap = 0; tap < taps; tap++)
                {
                    Tap(in job, tap);
                }
            }
            else
            {
                WorkerPool.Run(WorkerPool.MaxDegreeOfParallelism, taps, &RunTap, &job);
            }
        }
    }

    private struct WeightJob
    {
        public ConvGeometry Geometry;
        public int Filters;
        public int Batch;
        public float* X;
        public float* DZ;
        public float* DW;
        public int Widest;
    }

    private static void RunTap(void* state, int part, int parts) => Tap(in *(WeightJob*)state, part);

    /// <summary>The gradient of tap <paramref name="tap"/> (<c>ky·kw + kx</c>): its <c>Cin × filters</c> block.</summary>
    private static void Tap(in WeightJob job, int tap)
    {
        ConvGeometry g = job.Geometry;
        int channels = g.Channels, filters = job.Filters;
        float* block = job.DW + ((long)tap * channels * filters);
        new Span<float>(block, channels * filters).Clear();
        if (filters < 8 && channels > filters && channels * filters <= MaxTransposedTap)
        {
            // Lanes over the input channels: sum dWᵀ (filters × Cin) on the stack, then transpose it into place.
            float* transposed = stackalloc float[channels * filters];
            new Span<float>(transposed, channels * filters).Clear();
            for (int c0 = 0; c0 < channels;)
            {
                int width = LaneWidth.For(channels - c0, job.Widest);
                switch (width)
                {
                    case 16:
                        TapOverInputs<Lanes16, Vector512<float>>(in job, tap, c0, transposed);
                        break;
                    case 8:
                        TapOverInputs<Lanes8, Vector256<float>>(in job, tap, c0, transposed);
                        break;
                    case 4:
                        TapOverInputs<Lanes4, Vector128<float>>(in job, tap, c0, transposed);
                        break;
                    default:
                        TapOverInputs<Lanes1, float>(in job, tap, c0, transposed);
                        break;
                }

                c0 += width;
            }

            for (int f = 0; f < filters; f++)
            {
                for (int c = 0; c < channels; c++)
                {
                    block[(c * filters) + f] = transposed[(f * channels) + c];
                }
            }

            return;
        }

        for (int f0 = 0; f0 < filters;)
        {
            int width = LaneWidth.For(filters - f0, job.Widest);
            switch (width)
            {
                case 16:
                    TapOverOutputs<Lanes16, Vector512<float>>(in job, tap, f0, block);
                    break;
                case 8:
                    TapOverOutputs<Lanes8, Vector256<float>>(in job, tap, f0, block);
                    break;
                case 4:
                    TapOverOutputs<Lanes4, Vector128<float>>(in job, tap, f0, block);
                    break;
                default:
                    TapOverOutputs<Lanes1, float>(in job, tap, f0, block);
                    break;
            }

            f0 += width;
        }
    }

    /// <summary>
    /// The output pixels of row <paramref name="oy"/> whose tap <c>(ky, kx)</c> falls inside the
    /// image: columns <c>[first, end)</c>, reading input row <paramref name="iy"/> from column
    /// <c>first·sw − PadLeft + kx</c>; false when the tap's row is outside the image.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TapColumns(in ConvGeometry g, int oy, int ky, int kx, out int iy, out int first, out int end)
    {
        iy = (oy * g.StrideHeight) - g.PadTop + ky;
        int sw = g.StrideWidth, shift = kx - g.PadLeft; // ix = ox·sw + shift must be in [0, W)
        first = shift >= 0 ? 0 : (-shift + sw - 1) / sw;
        end = g.InputWidth - shift <= 0 ? 0 : Math.Min(g.OutputWidth, ((g.InputWidth - shift - 1) / sw) + 1);
        return iy >= 0 && iy < g.InputHeight && first < end;
    }

    /// <summary>Channels <c>[f0, f0 + lanes)</c> of every input channel's gradient at tap <paramref name="tap"/>, accumulated in <paramref name="block"/>.</summary>
    private static void TapOverOutputs<TLanes, TVector>(in WeightJob job, int tap, int f0, float* block)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        // The vector operand is dZ (a pixel's outputs), the broadcast one the input; rows are input channels.
        int channels = job.Geometry.Channels;
        for (int c0 = 0; c0 < channels;)
        {
            int rows = channels - c0 >= GroupRows ? GroupRows : 1;
            var run = new Run(block + ((long)c0 * job.Filters) + f0, job.Filters, vectorIsInput: false, vectorOffset: f0, broadcastOffset: c0);
            if (rows == GroupRows)
            {
                TapRuns<TLanes, TVector, Eight>(in job, tap, run);
            }
            else
            {
                TapRuns<TLanes, TVector, One>(in job, tap, run);
            }

            c0 += rows;
        }
    }

    /// <summary>Input channels <c>[c0, c0 + lanes)</c> of every output's gradient at tap <paramref name="tap"/>, accumulated in <paramref name="transposed"/> (<c>filters × Cin</c>).</summary>
    private static void TapOverInputs<TLanes, TVector>(in WeightJob job, int tap, int c0, float* transposed)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        // The vector operand is the input (a pixel's channels), the broadcast one dZ; rows are outputs.
        int channels = job.Geometry.Channels;
        for (int f0 = 0; f0 < job.Filters;)
        {
            int rows = job.Filters - f0 >= GroupRows ? GroupRows : 1;
            var run = new Run(transposed + ((long)f0 * channels) + c0, channels, vectorIsInput: true, vectorOffset: c0, broadcastOffset: f0);
            if (rows == GroupRows)
            {
                TapRuns<TLanes, TVector, Eight>(in job, tap, run);
            }
            else
            {
                TapRuns<TLanes, TVector, One>(in job, tap, run);
            }

            f0 += rows;
        }
    }

    /// <summary>Accumulator rows one pass over the pixels keeps in registers.</summary>
    private const int GroupRows = 8;

    /// <summary>
    /// Where a pass's accumulators live (<paramref name="accumulators"/>, rows <paramref name="rowStride"/>
    /// floats apart) and which operand is loaded as the vector: the input at channel
    /// <paramref name="vectorOffset"/> (else dZ at that output, <paramref name="vectorIsInput"/> false),
    /// the other broadcast from <paramref name="broadcastOffset"/> on, one row per value.
    /// </summary>
    private readonly struct Run(float* accumulators, int rowStride, bool vectorIsInput, int vectorOffset, int broadcastOffset)
    {
        public float* Accumulators { get; } = accumulators;

        public int RowStride { get; } = rowStride;

        public bool VectorIsInput { get; } = vectorIsInput;

        public int VectorOffset { get; } = vectorOffset;

        public int BroadcastOffset { get; } = broadcastOffset;
    }

    /// <summary>Rows of accumulators of one pass: eight or one.</summary>
    private interface IRows
    {
        static abstract int Count { get; }
    }

    private readonly struct Eight : IRows
    {
        public static int Count => 8;
    }

    private readonly struct One : IRows
    {
        public static int Count => 1;
    }

    /// <summary>
    /// One pass over the pixels of tap <paramref name="tap"/>: for each output row's run of pixels
    /// whose tap is in the image, the accumulators are loaded, each pixel adds its product to them
    /// in registers, and they are stored back, so every weight's chain runs over the pixels in order.
    /// </summary>
    private static void TapRuns<TLanes, TVector, TRows>(in WeightJob job, int tap, Run run)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
        where TRows : struct, IRows
    {
        ConvGeometry g = job.Geometry;
        int channels = g.Channels, filters = job.Filters, ky = tap / g.KernelWidth, kx = tap - (ky * g.KernelWidth);
        long inputStep = (long)g.StrideWidth * channels;
        long vectorStep = run.VectorIsInput ? inputStep : filters, broadcastStep = run.VectorIsInput ? filters : inputStep;
        float* a = run.Accumulators;
        long r = run.RowStride;
        for (int n = 0; n < job.Batch; n++)
        {
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                if (!TapColumns(in g, oy, ky, kx, out int iy, out int first, out int end))
                {
                    continue;
                }

                float* xp = job.X + ((long)n * g.InputSize) + ((((long)iy * g.InputWidth) + ((long)first * g.StrideWidth) - g.PadLeft + kx) * channels);
                float* dzp = job.DZ + ((((long)n * g.OutputPixels) + ((long)oy * g.OutputWidth) + first) * filters);
                float* vp = (run.VectorIsInput ? xp : dzp) + run.VectorOffset;
                float* bp = (run.VectorIsInput ? dzp : xp) + run.BroadcastOffset;
                int pixels = end - first;
                if (TRows.Count == 1)
                {
                    TVector s0 = TLanes.Load(a);
                    for (int i = 0; i < pixels; i++, vp += vectorStep, bp += broadcastStep)
                    {
                        s0 = TLanes.MultiplyAdd(TLanes.Broadcast(bp[0]), TLanes.Load(vp), s0);
                    }

                    TLanes.Store(a, s0);
                    continue;
                }

                TVector a0 = TLanes.Load(a), a1 = TLanes.Load(a + r), a2 = TLanes.Load(a + (2 * r)), a3 = TLanes.Load(a + (3 * r));
                TVector a4 = TLanes.Load(a + (4 * r)), a5 = TLanes.Load(a + (5 * r)), a6 = TLanes.Load(a + (6 * r)), a7 = TLanes.Load(a + (7 * r));
                for (int i = 0; i < pixels; i++, vp += vectorStep, bp += broadcastStep)
                {
                    TVector v = TLanes.Load(vp);
                    a0 = TLanes.MultiplyAdd(TLanes.Broadcast(bp[0]), v, a0);
                    a1 = TLanes.MultiplyAdd(TLanes.Broadcast(bp[1]), v, a1);
                    a2 = TLanes.MultiplyAdd(TLanes.Broadcast(bp[2]), v, a2);
                    a3 = TLanes.MultiplyAdd(TLanes.Broadcast(bp[3]), v, a3);
                    a4 = TLanes.MultiplyAdd(TLanes.Broadcast(bp[4]), v, a4);
                    a5 = TLanes.MultiplyAdd(TLanes.Broadcast(bp[5]), v, a5);
                    a6 = TLanes.MultiplyAdd(TLanes.Broadcast(bp[6]), v, a6);
                    a7 = TLanes.MultiplyAdd(TLanes.Broadcast(bp[7]), v, a7);
                }

                TLanes.Store(a, a0);
                TLanes.Store(a + r, a1);
                TLanes.Store(a + (2 * r), a2);
                TLanes.Store(a + (3 * r), a3);
                TLanes.Store(a + (4 * r), a4);
                TLanes.Store(a + (5 * r), a5);
                TLanes.Store(a + (6 * r), a6);
                TLanes.Store(a + (7 * r), a7);
            }
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Autoencoder.Kernels;

/// <summary>
/// A 2-D convolution computed straight from the channels-last images, without a column matrix:
/// <c>Z[n, oy, ox, f] = b[f] + Σ W[ky, kx, c, f] · X[n, oy·sh − PadTop + ky, ox·sw − PadLeft + kx, c]</c>
/// over the window's in-image taps, <c>ky</c>, then <c>kx</c>, then <c>c</c> ascending (Keras'
/// <c>HWIO</c> kernel). Each output is one chain of fused multiply-adds in that order, starting from
/// its bias (or zero), so the result is the same for any thread count and any register width.
/// </summary>
/// <remarks>
/// The output channels are the lanes: a register holds one output pixel's next 16, 8, 4 or 1
/// channels, a kernel tap's weights for them are one load, and each input value is broadcast. A
/// row's interior pixels (every tap in the image) go eight at a time, so one weight load feeds
/// eight independent chains; the pixels whose window crosses the left or right border go one at a
/// time. A layer with one output channel (an image autoencoder's last) takes consecutive output
/// pixels as the lanes instead (DirectConvolution.PixelLanes.cs). The small layers of image
/// autoencoders (1 to 32 channels) are where this pays: an im2col product there writes and reads
/// a column matrix <c>kh·kw</c> times the image and runs the GEMM with one to sixteen output
/// columns, far from its tile. Threads take whole output rows.
/// </remarks>
internal static unsafe partial class DirectConvolution
{
    /// <summary>Pixels of one row the interior kernel computes at once.</summary>
    private const int TilePixels = 8;

    /// <summary>Below this many multiply-adds a call runs on the calling thread alone.</summary>
    private const long ParallelMinimum = 1 << 17;

    /// <summary>Parts of a threaded call, at most; each part is a run of whole output rows.</summary>
    private const int MaxParts = 64;

    /// <summary>
    /// Overwrites <paramref name="z"/> (<c>batch · Ho·Wo·filters</c>) with the convolution of the
    /// <paramref name="batch"/> images <paramref name="x"/> by <paramref name="weights"/>
    /// (<c>kh·kw·Cin·filters</c>), plus <paramref name="bias"/> (<c>filters</c>, or empty for none).
    /// <paramref name="widest"/> caps the register width (tests use it to check every path gives the same bits).
    /// </summary>
    public static void Forward(
        in ConvGeometry geometry, int filters, ReadOnlySpan<float> x, int batch, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> z, int widest = 16)
    {
        int outputs = checked(batch * geometry.OutputPixels * filters);
        if (x.Length < checked(batch * geometry.InputSize) || weights.Length < geometry.ColumnWidth * filters
            || (!bias.IsEmpty && bias.Length < filters) || z.Length < outputs)
        {
            throw new ArgumentException(Invariant(
                $"A direct convolution of {batch} images needs {batch * geometry.InputSize} inputs, {geometry.ColumnWidth * filters} weights, {filters} biases or none and {outputs} outputs; got {x.Length}, {weights.Length}, {bias.Length} and {z.Length}."));
        }

        if (outputs == 0)
        {
            return;
        }

        fixed (float* xp = x, wp = weights, bp = bias, zp = z)
        {
            var job = new Job
            {
                Geometry = geometry, Filters = filters, X = xp, W = wp, Bias = bias.IsEmpty ? null : bp, Z = zp,
                Rows = batch * geometry.OutputHeight, Widest = widest,
            };
            long work = (long)outputs * geometry.ColumnWidth;
            int parts = (int)Math.Min(job.Rows, MaxParts);
            if (work < ParallelMinimum || parts < 2 || WorkerPool.MaxDegreeOfParallelism < 2)
            {
                RunRows(in job, 0, job.Rows);
            }
            else
            {
                WorkerPool.Run(WorkerPool.MaxDegreeOfParallelism, parts, &RunPart, &job);
            }
        }
    }

    private struct Job
    {
        public ConvGeometry Geometry;
        public int Filters;
        public float* X;
        public float* W;
        public float* Bias;
        public float* Z;
        public int Rows;
        public int Widest;
    }

    private static void RunPart(void* state, int part, int parts)
    {
        ref Job job = ref *(Job*)state;
        int first = (int)((long)job.Rows * part / parts), end = (int)((long)job.Rows * (part + 1) / parts);
        RunRows(in job, first, end);
    }

    /// <summary>Output rows <c>[first, end)</c> (counted over the batch), every channel block.</summary>
    private static void RunRows(in Job job, int first, int end)
    {
        if (PixelsAsLanes(in job))
        {
            RowsOverPixels(in job, first, end);
            return;
        }

        for (int f0 = 0; f0 < job.Filters;)
        {
            int width = LaneWidth.For(job.Filters - f0, job.Widest);
            switch (width)
            {
                case 16:
                    Rows<Lanes16, Vector512<float>>(in job, f0, first, end);
                    break;
                case 8:
                    Rows<Lanes8, Vector256<float>>(in job, f0, first, end);
                    break;
                case 4:
                    Rows<Lanes4, Vector128<float>>(in job, f0, first, end);
                    break;
                default:
                    Rows<Lanes1, float>(in job, f0, first, end);
                    break;
            }

            f0 += width;
        }
    }

    private static void Rows<TLanes, TVector>(in Job job, int f0, int first, int end)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        ConvGeometry g = job.Geometry;
        int sw = g.StrideWidth;

        // Interior columns: every kx of the window inside the image.
        int interiorFirst = Math.Min(g.OutputWidth, (g.PadLeft + sw - 1) / sw);
        int interiorEnd = g.InputWidth - g.KernelWidth + g.PadLeft < 0 ? interiorFirst
            : Math.Clamp(((g.InputWidth - g.KernelWidth + g.PadLeft) / sw) + 1, interiorFirst, g.OutputWidth);
        for (int row = first; row < end; row++)
        {
            int n = row / g.OutputHeight, oy = row - (n * g.OutputHeight);
            int iy0 = (oy * g.StrideHeight) - g.PadTop;
            int kyFirst = Math.Max(0, -iy0), kyEnd = Math.Min(g.KernelHeight, g.InputHeight - iy0);
            float* image = job.X + ((long)n * g.InputSize);
            float* zRow = job.Z + ((((long)n * g.OutputPixels) + ((long)oy * g.OutputWidth)) * job.Filters) + f0;
            int ox = 0;
            for (; ox < interiorFirst; ox++)
            {
                Pixel<TLanes, TVector>(in job, f0, image, iy0, kyFirst, kyEnd, ox, zRow);
            }

            for (; ox + TilePixels <= interiorEnd; ox += TilePixels)
            {
                Tile<TLanes, TVector>(in job, f0, image, iy0, kyFirst, kyEnd, ox, zRow);
            }

            for (; ox < g.OutputWidth; ox++)
            {
                Pixel<TLanes, TVector>(in job, f0, image, iy0, kyFirst, kyEnd, ox, zRow);
            }
        }
    }

    /// <summary>One output pixel's channels <c>[f0, f0 + lanes)</c>, over the taps inside the image.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pixel<TLanes, TVector>(in Job job, int f0, float* image, int iy0, int kyFirst, int kyEnd, int ox, float* zRow)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        ConvGeometry g = job.Geometry;
        int channels = g.Channels, filters = job.Filters;
        int ix0 = (ox * g.StrideWidth) - g.PadLeft;
        int kxFirst = Math.Max(0, -ix0), kxEnd = Math.Min(g.KernelWidth, g.InputWidth - ix0);
        TVector acc = job.Bias is null ? TLanes.Zero : TLanes.Load(job.Bias + f0);
        for (int ky = kyFirst; ky < kyEnd; ky++)
        {
            for (int kx = kxFirst; kx < kxEnd; kx++)
            {
                float* xp = image + ((((long)(iy0 + ky) * g.InputWidth) + ix0 + kx) * channels);
                float* wp = job.W + ((((long)ky * g.KernelWidth) + kx) * channels * filters) + f0;
                for (int c = 0; c < channels; c++, wp += filters)
                {
                    acc = TLanes.MultiplyAdd(TLanes.Broadcast(xp[c]), TLanes.Load(wp), acc);
                }
            }
        }

        TLanes.Store(zRow + ((long)ox * filters), acc);
    }

    /// <summary><see cref="TilePixels"/> interior pixels from <paramref name="ox"/> on, one weight load per tap feeding all of them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile<TLanes, TVector>(in Job job, int f0, float* image, int iy0, int kyFirst, int kyEnd, int ox, float* zRow)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        ConvGeometry g = job.Geometry;
        int channels = g.Channels, filters = job.Filters;
        long step = (long)g.StrideWidth * channels;
        TVector a0, a1, a2, a3, a4, a5, a6, a7;
        a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = job.Bias is null ? TLanes.Zero : TLanes.Load(job.Bias + f0);
        int ix0 = (ox * g.StrideWidth) - g.PadLeft;
        for (int ky = kyFirst; ky < kyEnd; ky++)
        {
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                float* xp = image + ((((long)(iy0 + ky) * g.InputWidth) + ix0 + kx) * channels);
                float* wp = job.W + ((((long)ky * g.KernelWidth) + kx) * channels * filters) + f0;
                for (int c = 0; c < channels; c++, wp += filters, xp++)
                {
                    TVector w = TLanes.Load(wp);
                    a0 = TLanes.MultiplyAdd(TLanes.Broadcast(xp[0]), w, a0);
                    a1 = TLanes.MultiplyAdd(TLanes.Broadcast(xp[step]), w, a1);
                    a2 = TLanes.MultiplyAdd(TLanes.Broadcast(xp[2 * step]), w, a2);
                    a3 = TLanes.MultiplyAdd(TLanes.Broadcast(xp[3 * step]), w, a3);
                    a4 = TLanes.MultiplyAdd(TLanes.Broadcast(xp[4 * step]), w, a4);
                    a5 = TLanes.MultiplyAdd(TLanes.Broadcast(xp[5 * step]), w, a5);
                    a6 = TLanes.MultiplyAdd(TLanes.Broadcast(xp[6 * step]), w, a6);
                    a7 = TLanes.MultiplyAdd(TLanes.Broadcast(xp[7 * step]), w, a7);
                }
            }
        }

        float* zp = zRow + ((long)ox * filters);
        TLanes.Store(zp, a0);
        TLanes.Store(zp + filters, a1);
        TLanes.Store(zp + (2 * filters), a2);
        TLanes.Store(zp + (3 * filters), a3);
        TLanes.Store(zp + (4 * filters), a4);
        TLanes.Store(zp + (5 * filters), a5);
        TLanes.Store(zp + (6 * filters), a6);
        TLanes.Store(zp + (7 * filters), a7);
    }
}

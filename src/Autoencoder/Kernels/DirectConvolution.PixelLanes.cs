using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Autoencoder.Kernels;

internal static unsafe partial class DirectConvolution
{
    /// <summary>Most floats of the per-row planar copy of the input rows a window spans (on the stack).</summary>
    private const int MaxPlanarFloats = 8192;

    /// <summary>
    /// True when a forward pass of one output channel takes <see cref="RowsOverPixels"/>: stride 1
    /// across, and the input rows a window spans fit <see cref="MaxPlanarFloats"/> as planes.
    /// </summary>
    private static bool PixelsAsLanes(in Job job) =>
        job.Filters == 1 && job.Geometry.StrideWidth == 1
        && (long)job.Geometry.KernelHeight * job.Geometry.Channels * job.Geometry.InputWidth <= MaxPlanarFloats;

    /// <summary>
    /// Output rows <c>[first, end)</c> of a layer with one output channel, whose channel lanes
    /// would hold a single value: here the lanes are consecutive output pixels of a row. The input
    /// rows a row's windows span are copied channel by channel (planes, each input row once per run
    /// of rows), so a tap's inputs for the lanes are one load; each lane's chain is still its
    /// pixel's bias, then every tap in <c>ky</c>, <c>kx</c>, <c>c</c> order, as in
    /// <see cref="ForwardReference"/>. Pixels whose
    /// window crosses the left or right border go one at a time as elsewhere, and so do the
    /// interior ones of a row too short for four lanes.
    /// </summary>
    private static void RowsOverPixels(in Job job, int first, int end)
    {
        ConvGeometry g = job.Geometry;
        int channels = g.Channels, width = g.InputWidth;
        // A ring of kh planes: input row iy sits in slot iy mod kh, so consecutive output rows copy
        // only the one row their windows add.
        int kh = g.KernelHeight;
        float* planes = stackalloc float[kh * channels * width];
        long* held = stackalloc long[kh];
        float** rowPlanes = stackalloc float*[kh];
        for (int slot = 0; slot < kh; slot++)
        {
            held[slot] = -1;
        }

        int interiorFirst = Math.Min(g.OutputWidth, g.PadLeft);
        int interiorEnd = width - g.KernelWidth + g.PadLeft < 0 ? interiorFirst
            : Math.Clamp(width - g.KernelWidth + g.PadLeft + 1, interiorFirst, g.OutputWidth);
        for (int row = first; row < end; row++)
        {
            int n = row / g.OutputHeight, oy = row - (n * g.OutputHeight);
            int iy0 = (oy * g.StrideHeight) - g.PadTop;
            int kyFirst = Math.Max(0, -iy0), kyEnd = Math.Min(g.KernelHeight, g.InputHeight - iy0);
            float* image = job.X + ((long)n * g.InputSize);
            float* zRow = job.Z + ((long)n * g.OutputPixels) + ((long)oy * g.OutputWidth);
            for (int ky = kyFirst; ky < kyEnd; ky++)
            {
                int iy = iy0 + ky, slot = iy % kh;
                long key = ((long)n * g.InputHeight) + iy;
                float* plane = planes + ((long)slot * channels * width);
                rowPlanes[ky] = plane;
                if (held[slot] == key)
                {
                    continue;
                }

                held[slot] = key;
                float* source = image + ((long)iy * width * channels);
                for (int ix = 0; ix < width; ix++)
                {
                    for (int c = 0; c < channels; c++)
                    {
                        plane[(c * width) + ix] = source[(ix * channels) + c];
                    }
                }
            }

            int ox = 0;
            for (; ox < interiorFirst; ox++)
            {
                Pixel<Lanes1, float>(in job, 0, image, iy0, kyFirst, kyEnd, ox, zRow);
            }

            ox = Interior(in job, rowPlanes, kyFirst, kyEnd, interiorFirst, interiorEnd, zRow);
            for (; ox < interiorEnd; ox++)
            {
                Pixel<Lanes1, float>(in job, 0, image, iy0, kyFirst, kyEnd, ox, zRow);
            }

            for (; ox < g.OutputWidth; ox++)
            {
                Pixel<Lanes1, float>(in job, 0, image, iy0, kyFirst, kyEnd, ox, zRow);
            }
        }
    }

    /// <summary>
    /// The interior pixels <c>[first, end)</c> of one row in runs of the widest lanes that fit the
    /// interior (16, 8 or 4), the last run ending at <paramref name="end"/> and overlapping the one
    /// before (its pixels get the same values again), four runs per pass over the taps so four
    /// chains are in flight. Returns where the scalar pixels start: <paramref name="end"/>, or
    /// <paramref name="first"/> when the interior is narrower than four lanes.
    /// </summary>
    private static int Interior(in Job job, float** rowPlanes, int kyFirst, int kyEnd, int first, int end, float* zRow)
    {
        int lanes = LaneWidth.For(end - first, job.Widest);
        switch (lanes)
        {
            case 16:
                Runs<Lanes16, Vector512<float>>(in job, rowPlanes, kyFirst, kyEnd, first, end, zRow);
                return end;
            case 8:
                Runs<Lanes8, Vector256<float>>(in job, rowPlanes, kyFirst, kyEnd, first, end, zRow);
                return end;
            case 4:
                Runs<Lanes4, Vector128<float>>(in job, rowPlanes, kyFirst, kyEnd, first, end, zRow);
                return end;
            default:
                return first;
        }
    }

    private static void Runs<TLanes, TVector>(in Job job, float** rowPlanes, int kyFirst, int kyEnd, int first, int end, float* zRow)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        int lanes = TLanes.Count, runs = (end - first + lanes - 1) / lanes;
        for (int run = 0; run < runs; run += 4)
        {
            // Runs past the last repeat it, so every pass computes four.
            int s0 = Start(run), s1 = Start(run + 1), s2 = Start(run + 2), s3 = Start(run + 3);
            FourRuns<TLanes, TVector>(in job, rowPlanes, kyFirst, kyEnd, s0, s1, s2, s3, zRow);
        }

        int Start(int run) => Math.Min(first + (Math.Min(run, runs - 1) * lanes), end - lanes);
    }

    /// <summary>Four runs of interior pixels starting at <paramref name="o0"/> to <paramref name="o3"/>, one lane a pixel, from the planes of the input rows the windows span (<paramref name="rowPlanes"/>, by <c>ky</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FourRuns<TLanes, TVector>(in Job job, float** rowPlanes, int kyFirst, int kyEnd, int o0, int o1, int o2, int o3, float* zRow)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        ConvGeometry g = job.Geometry;
        int channels = g.Channels, width = g.InputWidth;
        TVector a0, a1, a2, a3;
        a0 = a1 = a2 = a3 = job.Bias is null ? TLanes.Zero : TLanes.Broadcast(*job.Bias);
        for (int ky = kyFirst; ky < kyEnd; ky++)
        {
            float* plane = rowPlanes[ky] - g.PadLeft;
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                float* wp = job.W + (((long)ky * g.KernelWidth) + kx) * channels;
                float* p = plane + kx;
                for (int c = 0; c < channels; c++, p += width)
                {
                    TVector w = TLanes.Broadcast(wp[c]);
                    a0 = TLanes.MultiplyAdd(TLanes.Load(p + o0), w, a0);
                    a1 = TLanes.MultiplyAdd(TLanes.Load(p + o1), w, a1);
                    a2 = TLanes.MultiplyAdd(TLanes.Load(p + o2), w, a2);
                    a3 = TLanes.MultiplyAdd(TLanes.Load(p + o3), w, a3);
                }
            }
        }

        TLanes.Store(zRow + o0, a0);
        TLanes.Store(zRow + o1, a1);
        TLanes.Store(zRow + o2, a2);
        TLanes.Store(zRow + o3, a3);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Autoencoder.Kernels;

internal static partial class Gemm
{
    // What is packed: edge panels always (they need zero padding); full panels of A unless
    // Gemm.InPlaceA says the kernel reads them where they are; full panels of B unless
    // Gemm.InPlaceB does.

    /// <summary>
    /// Packs rows <paramref name="ic"/>..+<paramref name="mc"/>, depth <paramref name="pc"/>..+<paramref name="kc"/>
    /// of op(A) into MR-row panels: panel r holds, for each step p, the MR values of column p
    /// (<c>dst[r·MR·kc + p·MR + i]</c>), rows past the edge zero so the micro-kernel never branches.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackA(in Job job, int ic, int mc, int pc, int kc, int mr, float* dst, bool fullPanelsInPlace)
    {
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            if (fullPanelsInPlace && rows == mr)
            {
                // Read in place by the kernel (see Blocked).
                continue;
            }

            float* panel = dst + (nint)ir * kc;
            if (rows < mr)
            {
                new Span<float>(panel, mr * kc).Clear();
            }

            if (job.TransA)
            {
                // A is stored k×m: the MR values of step p are contiguous; only the edge panel
                // gets here, to be padded with zeros.
                float* src = job.A + pc * job.Lda + ic + ir;
                for (int p = 0; p < kc; p++, src += job.Lda, panel += mr)
                {
                    for (int i = 0; i < rows; i++)
                    {
                        panel[i] = src[i];
                    }
                }
            }
            else
            {
                // A is stored m×k: each row is contiguous over p and lands with stride MR.
                float* src = job.A + (ic + ir) * job.Lda + pc;
                int p0 = 0;
                if (rows == mr && mr <= 8 && job.Path != GemmPath.Scalar)
                {
                    for (; p0 + 8 <= kc; p0 += 8)
                    {
                        TransposeRows8(src + p0, job.Lda, rows, panel + (nint)p0 * mr, mr);
                    }
                }

                for (int i = 0; i < rows; i++)
                {
                    float* s = src + i * job.Lda;
                    for (int p = p0; p < kc; p++)
                    {
                        panel[p * mr + i] = s[p];
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs depth <paramref name="pc"/>..+<paramref name="kc"/>, columns <paramref name="jc"/>..+<paramref name="nc"/>
    /// of op(B) into NR-column panels: panel j holds, for each step p, the NR values of row p
    /// (<c>dst[j·NR·kc + p·NR + c]</c>), columns past the edge zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PackB(in Job job, int pc, int kc, int jc, int nc, int nr, float* dst, bool fullPanelsInPlace)
    {
        bool simd = job.Path != GemmPath.Scalar;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            if (fullPanelsInPlace && cols == nr)
            {
                // Read in place by the kernel (see Blocked).
                continue;
            }

            float* panel = dst + (nint)jr * kc;
            if (cols < nr)
            {
                new Span<float>(panel, nr * kc).Clear();
            }

            if (job.TransB)
            {
                // B is stored n×k: each column of op(B) is a contiguous stored row, so the panel
                // is a transpose, done 8×8 at a time where the path has 256-bit vectors.
                float* src = job.B + (jc + jr) * job.Ldb + pc;
                int c0 = 0;
                if (simd)
                {
                    for (; c0 + 8 <= cols; c0 += 8)
                    {
                        int p = 0;
                        for (; p + 8 <= kc; p += 8)
                        {
                            TransposeRows8(src + c0 * job.Ldb + p, job.Ldb, 8, panel + (nint)p * nr + c0, nr);
                        }

                        for (; p < kc; p++)
                        {
                            for (int c = c0; c < c0 + 8; c++)
                            {
                                panel[p * nr + c] = src[c * job.Ldb + p];
                            }
                        }
                    }
                }

                for (int c = c0; c < cols; c++)
                {
                    float* s = src + c * job.Ldb;
                    for (int p = 0; p < kc; p++)
                    {
                        panel[p * nr + c] = s[p];
                    }
                }
            }
            else
            {
                // B is stored k×n: the NR values of step p are contiguous, a straight copy.
                float* src = job.B + pc * job.Ldb + jc + jr;
                if (simd && cols == nr && nr % 8 == 0)
                {
                    for (int p = 0; p < kc; p++, src += job.Ldb, panel += nr)
                    {
                        for (int c = 0; c < nr; c += 8)
                        {
                            Vector256.Store(Vector256.Load(src + c), panel + c);
                        }
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++, src += job.Ldb, panel += nr)
                    {
                        new ReadOnlySpan<float>(src, cols).CopyTo(new Span<float>(panel, cols));
                    }
                }
            }
        }
    }

    /// <summary>
    /// Transposes a block of <paramref name="rows"/> (≤ 8) source rows × 8 columns: source row
    /// i, column p goes to <c>dst[p·dstStride + i]</c>. Rows past <paramref name="rows"/> are
    /// not read and come out as zero lanes (all eight lanes of each of the eight destination rows
    /// are stored). Also the tile of <see cref="Transpose.Block"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void TransposeRows8(float* src, nint srcStride, int rows, float* dst, int dstStride)
    {
        // Missing source rows read as zero; their outputs are not stored.
        Vector256<float> r0 = Vector256.Load(src);
        Vector256<float> r1 = rows > 1 ? Vector256.Load(src + srcStride) : default;
        Vector256<float> r2 = rows > 2 ? Vector256.Load(src + 2 * srcStride) : default;
        Vector256<float> r3 = rows > 3 ? Vector256.Load(src + 3 * srcStride) : default;
        Vector256<float> r4 = rows > 4 ? Vector256.Load(src + 4 * srcStride) : default;
        Vector256<float> r5 = rows > 5 ? Vector256.Load(src + 5 * srcStride) : default;
        Vector256<float> r6 = rows > 6 ? Vector256.Load(src + 6 * srcStride) : default;
        Vector256<float> r7 = rows > 7 ? Vector256.Load(src + 7 * srcStride) : default;

        // Interleave pairs, then quadruples, then swap 128-bit halves: the standard 8×8
        // transpose in 24 shuffles.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Vector256<float> o0 = Avx.Permute2x128(u0, u4, 0x20), o4 = Avx.Permute2x128(u0, u4, 0x31);
        Vector256<float> o1 = Avx.Permute2x128(u1, u5, 0x20), o5 = Avx.Permute2x128(u1, u5, 0x31);
        Vector256<float> o2 = Avx.Permute2x128(u2, u6, 0x20), o6 = Avx.Permute2x128(u2, u6, 0x31);
        Vector256<float> o3 = Avx.Permute2x128(u3, u7, 0x20), o7 = Avx.Permute2x128(u3, u7, 0x31);

        // Full 8-lane stores even when fewer rows are wanted (MR = 6): the extra lanes land
        // on the next step's slot, which the next store (or the scalar tail) overwrites; the
        // pack buffers carry slack for the last one.
        Vector256.Store(o0, dst);
        Vector256.Store(o1, dst + dstStride);
        Vector256.Store(o2, dst + 2 * dstStride);
        Vector256.Store(o3, dst + 3 * dstStride);
        Vector256.Store(o4, dst + 4 * dstStride);
        Vector256.Store(o5, dst + 5 * dstStride);
        Vector256.Store(o6, dst + 6 * dstStride);
        Vector256.Store(o7, dst + 7 * dstStride);
    }
}

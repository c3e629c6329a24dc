using System.Runtime.CompilerServices;

namespace Autoencoder.Kernels;

internal static partial class Gemm
{
    /// <summary>
    /// The portable form of <see cref="RowTimesMatrix"/>: scalar code that performs, for every
    /// element, the same fused multiply-adds and additions in the same order as the vector lanes
    /// of the SIMD one-row product, so a one-row product gives the same bits on every
    /// instruction path. Each column of a row-major B is one chain over all of k; each column of
    /// a stored-transposed B is split into eight lane sums, combined in the fixed order of
    /// <see cref="HorizontalSum"/>, with the last <c>k mod 8</c> products chained on.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RowTimesMatrixScalar(in Job job, int j0, int j1)
    {
        float* a = job.A;
        int k = job.K;
        nint ldb = job.Ldb;
        if (job.TransB)
        {
            for (int j = j0; j < j1; j++)
            {
                float d = DotLikeDot4(a, job.B + j * ldb, k);
                job.C[j] = job.Accumulate ? job.C[j] + d : d;
            }

            return;
        }

        int column = j0;
        for (; column + 4 <= j1; column += 4)
        {
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            float* b = job.B + column;
            for (int p = 0; p < k; p++, b += ldb)
            {
                float x = a[p];
                s0 = MathF.FusedMultiplyAdd(x, b[0], s0);
                s1 = MathF.FusedMultiplyAdd(x, b[1], s1);
                s2 = MathF.FusedMultiplyAdd(x, b[2], s2);
                s3 = MathF.FusedMultiplyAdd(x, b[3], s3);
            }

            float* c = job.C + column;
            c[0] = job.Accumulate ? c[0] + s0 : s0;
            c[1] = job.Accumulate ? c[1] + s1 : s1;
            c[2] = job.Accumulate ? c[2] + s2 : s2;
            c[3] = job.Accumulate ? c[3] + s3 : s3;
        }

        for (; column < j1; column++)
        {
            float s = 0;
            float* b = job.B + column;
            for (int p = 0; p < k; p++, b += ldb)
            {
                s = MathF.FusedMultiplyAdd(a[p], *b, s);
            }

            job.C[column] = job.Accumulate ? job.C[column] + s : s;
        }
    }

    /// <summary>
    /// One dot product as one lane group of <see cref="Dot4"/> computes it: lane sums
    /// <c>l0…l7</c> over the whole groups of eight, added as
    /// <c>((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7))</c>, then the remaining products
    /// fused on one at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe float DotLikeDot4(float* a, float* b, int k)
    {
        float l0 = 0, l1 = 0, l2 = 0, l3 = 0, l4 = 0, l5 = 0, l6 = 0, l7 = 0;
        int p = 0;
        for (; p + 8 <= k; p += 8)
        {
            l0 = MathF.FusedMultiplyAdd(a[p], b[p], l0);
            l1 = MathF.FusedMultiplyAdd(a[p + 1], b[p + 1], l1);
            l2 = MathF.FusedMultiplyAdd(a[p + 2], b[p + 2], l2);
            l3 = MathF.FusedMultiplyAdd(a[p + 3], b[p + 3], l3);
            l4 = MathF.FusedMultiplyAdd(a[p + 4], b[p + 4], l4);
            l5 = MathF.FusedMultiplyAdd(a[p + 5], b[p + 5], l5);
            l6 = MathF.FusedMultiplyAdd(a[p + 6], b[p + 6], l6);
            l7 = MathF.FusedMultiplyAdd(a[p + 7], b[p + 7], l7);
        }

        float h0 = l0 + l4, h1 = l1 + l5, h2 = l2 + l6, h3 = l3 + l7;
        float d = (h0 + h2) + (h1 + h3);
        for (; p < k; p++)
        {
            d = MathF.FusedMultiplyAdd(a[p], b[p], d);
        }

        return d;
    }
}

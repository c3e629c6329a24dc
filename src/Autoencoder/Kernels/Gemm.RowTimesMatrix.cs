using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Autoencoder.Kernels;

internal static partial class Gemm
{
    /// <summary>
    /// Columns <paramref name="j0"/>..<paramref name="j1"/> of a one-row product (single-sample
    /// inference), without packing. Memory-bound on B, so 256-bit vectors suffice on both SIMD
    /// paths. Each element's arithmetic is the same whichever column group it falls in, so
    /// slab boundaries do not change results.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RowTimesMatrix(in Job job, int j0, int j1)
    {
        if (job.TransB)
        {
            RowTimesTransposed(in job, j0, j1);
            return;
        }

        float* a = job.A;
        int k = job.K;
        nint ldb = job.Ldb;
        int j = j0;

        // Eight accumulators per group: enough independent FMA chains to hide latency.
        for (; j + 64 <= j1; j += 64)
        {
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
            Vector256<float> s4 = default, s5 = default, s6 = default, s7 = default;
            float* b = job.B + j;
            for (int p = 0; p < k; p++, b += ldb)
            {
                Vector256<float> x = Vector256.Create(a[p]);
                s0 = Fma.MultiplyAdd(x, Vector256.Load(b), s0);
                s1 = Fma.MultiplyAdd(x, Vector256.Load(b + 8), s1);
                s2 = Fma.MultiplyAdd(x, Vector256.Load(b + 16), s2);
                s3 = Fma.MultiplyAdd(x, Vector256.Load(b + 24), s3);
                s4 = Fma.MultiplyAdd(x, Vector256.Load(b + 32), s4);
                s5 = Fma.MultiplyAdd(x, Vector256.Load(b + 40), s5);
                s6 = Fma.MultiplyAdd(x, Vector256.Load(b + 48), s6);
                s7 = Fma.MultiplyAdd(x, Vector256.Load(b + 56), s7);
            }

            float* c = job.C + j;
            StoreOrAdd(c, s0, job.Accumulate);
            StoreOrAdd(c + 8, s1, job.Accumulate);
            StoreOrAdd(c + 16, s2, job.Accumulate);
            StoreOrAdd(c + 24, s3, job.Accumulate);
            StoreOrAdd(c + 32, s4, job.Accumulate);
            StoreOrAdd(c + 40, s5, job.Accumulate);
            StoreOrAdd(c + 48, s6, job.Accumulate);
            StoreOrAdd(c + 56, s7, job.Accumulate);
        }

        // Narrower groups for the rest, still with several chains where there are columns
        // for them; every lane runs the same sequence of fused multiply-adds.
        for (; j + 32 <= j1; j += 32)
        {
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
            float* b = job.B + j;
            for (int p = 0; p < k; p++, b += ldb)
            {
                Vector256<float> x = Vector256.Create(a[p]);
                s0 = Fma.MultiplyAdd(x, Vector256.Load(b), s0);
                s1 = Fma.MultiplyAdd(x, Vector256.Load(b + 8), s1);
                s2 = Fma.MultiplyAdd(x, Vector256.Load(b + 16), s2);
                s3 = Fma.MultiplyAdd(x, Vector256.Load(b + 24), s3);
            }

            float* c = job.C + j;
            StoreOrAdd(c, s0, job.Accumulate);
            StoreOrAdd(c + 8, s1, job.Accumulate);
            StoreOrAdd(c + 16, s2, job.Accumulate);
            StoreOrAdd(c + 24, s3, job.Accumulate);
        }

        for (; j + 8 <= j1; j += 8)
        {
            Vector256<float> s = default;
            float* b = job.B + j;
            for (int p = 0; p < k; p++, b += ldb)
            {
                s = Fma.MultiplyAdd(Vector256.Create(a[p]), Vector256.Load(b), s);
            }

            StoreOrAdd(job.C + j, s, job.Accumulate);
        }

        for (; j < j1; j++)
        {
            // Fused like the vector lanes, so a column's value does not depend on its group.
            float s = 0;
            float* b = job.B + j;
            for (int p = 0; p < k; p++, b += ldb)
            {
                s = MathF.FusedMultiplyAdd(a[p], *b, s);
            }

            job.C[j] = job.Accumulate ? job.C[j] + s : s;
        }
    }

    /// <summary>One-row product with B stored n×k: each element is a dot product of contiguous rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RowTimesTransposed(in Job job, int j0, int j1)
    {
        nint ldb = job.Ldb;
        float* results = stackalloc float[4];
        int j = j0;
        for (; j + 4 <= j1; j += 4)
        {
            float* b = job.B + j * ldb;
            Dot4(job.A, b, b + ldb, b + 2 * ldb, b + 3 * ldb, job.K, job.C + j, job.Accumulate);
        }

        for (; j < j1; j++)
        {
            // The same four-row routine on one row repeated, so a column's arithmetic is the
            // same whether or not it fell in a group of four.
            float* b = job.B + j * ldb;
            Dot4(job.A, b, b, b, b, job.K, results, accumulate: false);
            job.C[j] = job.Accumulate ? job.C[j] + results[0] : results[0];
        }
    }

    /// <summary>Four dot products of <paramref name="a"/> with four rows, stored to <c>c[0..3]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Dot4(float* a, float* b0, float* b1, float* b2, float* b3, int k, float* c, bool accumulate)
    {
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        int p = 0;
        for (; p + 8 <= k; p += 8)
        {
            Vector256<float> x = Vector256.Load(a + p);
            s0 = Fma.MultiplyAdd(x, Vector256.Load(b0 + p), s0);
            s1 = Fma.MultiplyAdd(x, Vector256.Load(b1 + p), s1);
            s2 = Fma.MultiplyAdd(x, Vector256.Load(b2 + p), s2);
            s3 = Fma.MultiplyAdd(x, Vector256.Load(b3 + p), s3);
        }

        float d0 = HorizontalSum(s0), d1 = HorizontalSum(s1), d2 = HorizontalSum(s2), d3 = HorizontalSum(s3);
        for (; p < k; p++)
        {
            float x = a[p];
            d0 = MathF.FusedMultiplyAdd(x, b0[p], d0);
            d1 = MathF.FusedMultiplyAdd(x, b1[p], d1);
            d2 = MathF.FusedMultiplyAdd(x, b2[p], d2);
            d3 = MathF.FusedMultiplyAdd(x, b3[p], d3);
        }

        c[0] = accumulate ? c[0] + d0 : d0;
        c[1] = accumulate ? c[1] + d1 : d1;
        c[2] = accumulate ? c[2] + d2 : d2;
        c[3] = accumulate ? c[3] + d3 : d3;
    }

    /// <summary>Sum of the eight lanes in a fixed pairwise order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float HorizontalSum(Vector256<float> v)
    {
        Vector128<float> h = v.GetLower() + v.GetUpper();
        h += Vector128.Shuffle(h, Vector128.Create(2, 3, 0, 1));
        h += Vector128.Shuffle(h, Vector128.Create(1, 0, 3, 2));
        return h.ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreOrAdd(float* c, Vector256<float> v, bool accumulate)
    {
        if (accumulate)
        {
            v = Vector256.Load(c) + v;
        }

        Vector256.Store(v, c);
    }
}

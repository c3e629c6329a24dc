using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Autoencoder.Kernels;

internal static partial class Gemm
{
    private const int Kernel512Rows = 6;
    private const int Kernel512Cols = 32;
    private const int Kernel256Rows = 6;
    private const int Kernel256Cols = 16;
    private const int KernelScalarRows = 4;
    private const int KernelScalarCols = 4;

    // The hot loops below are marked AggressiveOptimization: compiled fully optimised on
    // first call, so the first products of a run do not go through unoptimised tier-0 code
    // (profile-guided tiering has nothing to add to these loops).

    /// <summary>Largest register tile of any path, for the edge-tile scratch.</summary>
    private const int MaxTileElements = Kernel512Rows * Kernel512Cols;

    /// <summary>
    /// One register tile: <c>C[rows×cols] (+)= panelA(MR×kc) · panelB(kc×NR)</c>, element
    /// (r, p) of the A panel at <c>a[r·aRow + p·aStep]</c>: (1, MR) when packed, (1, lda) for a
    /// stored-transposed A read in place, (lda, 1) for a row-major A read in place; row p of
    /// the B panel at <c>b + p·bStep</c> (NR when packed, ldb when read in place). Full tiles go
    /// straight to C; edge tiles run the same kernel into a scratch tile and copy the valid
    /// part, so an element's arithmetic does not depend on where it sits. A non-null
    /// <paramref name="bias"/> (first depth block only; the tile's columns' entries, or with
    /// <paramref name="biasPerRow"/> its rows') is added to the sums of a full tile in
    /// its registers before they are stored on the vector paths, and right after the store on the
    /// portable path and for an edge tile: one rounded addition either way, so the layer's bias costs no pass of its own over C. (Added
    /// after the store through vector calls per row, it cost a quarter of a 256×784×32 product.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Tile(GemmPath path, int kc, float* a, nint aRow, nint aStep, float* b, nint bStep, float* c, nint ldc, int rows, int cols, bool overwrite, float* bias, bool biasPerRow)
    {
        Blocking blocking = BlockingOf(path);
        if (rows == blocking.Mr && cols == blocking.Nr)
        {
            Kernel(path, kc, a, aRow, aStep, b, bStep, c, ldc, overwrite, bias, biasPerRow);
        }
        else
        {
            EdgeTile(path, kc, a, aRow, aStep, b, bStep, c, ldc, rows, cols, overwrite, blocking.Nr);
            if (bias != null)
            {
                AddBias(c, ldc, rows, cols, bias, biasPerRow);
            }
        }
    }

    /// <summary>
    /// Adds the row vector <paramref name="bias"/> (<paramref name="cols"/> entries) to each of
    /// <paramref name="rows"/> rows of C, or with <paramref name="perRow"/> entry i
    /// (<paramref name="rows"/> entries) to each element of row i: one rounded addition per element.
    /// </summary>
    private static unsafe void AddBias(float* c, nint ldc, int rows, int cols, float* bias, bool perRow)
    {
        for (int i = 0; i < rows; i++, c += ldc)
        {
            var row = new Span<float>(c, cols);
            if (perRow)
            {
                TensorPrimitives.Add(row, bias[i], row);
            }
            else
            {
                TensorPrimitives.Add(row, new ReadOnlySpan<float>(bias, cols), row);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void EdgeTile(GemmPath path, int kc, float* a, nint aRow, nint aStep, float* b, nint bStep, float* c, nint ldc, int rows, int cols, bool overwrite, int nr)
    {
        float* scratch = stackalloc float[MaxTileElements];
        Kernel(path, kc, a, aRow, aStep, b, bStep, scratch, nr, overwrite: true, bias: null, biasPerRow: false);
        for (int i = 0; i < rows; i++, c += ldc, scratch += nr)
        {
            // Vectorised copy or add: the same single rounding per element as the full-tile
            // stores, at a fraction of the cost of an element-by-element loop.
            var source = new ReadOnlySpan<float>(scratch, cols);
            var target = new Span<float>(c, cols);
            if (overwrite)
            {
                source.CopyTo(target);
            }
            else
            {
                TensorPrimitives.Add(target, source, target);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Kernel(GemmPath path, int kc, float* a, nint aRow, nint aStep, float* b, nint bStep, float* c, nint ldc, bool overwrite, float* bias, bool biasPerRow)
    {
        switch (path)
        {
            case GemmPath.Vector512:
                Kernel512(kc, a, aRow, aStep, b, bStep, c, ldc, overwrite, bias, biasPerRow);
                break;
            case GemmPath.Vector256:
                Kernel256(kc, a, aRow, aStep, b, bStep, c, ldc, overwrite, bias, biasPerRow);
                break;
            default:
                KernelScalar(kc, a, aRow, aStep, b, bStep, c, ldc, overwrite);
                if (bias != null)
                {
                    AddBias(c, ldc, KernelScalarRows, KernelScalarCols, bias, biasPerRow);
                }

                break;
        }
    }

    /// <summary>
    /// 6×32 tile in twelve zmm accumulators: per step two loads of B and six broadcasts of A
    /// feed twelve FMAs, enough independent chains to cover FMA latency on two pipes, with
    /// registers to spare (32 zmm).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel512(int kc, float* a, nint aRow, nint aStep, float* b, nint bStep, float* c, nint ldc, bool overwrite, float* bias, bool biasPerRow)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        nint a1 = aRow, a2 = 2 * aRow, a3 = 3 * aRow, a4 = 4 * aRow, a5 = 5 * aRow;
        for (int p = 0; p < kc; p++, a += aStep, b += bStep)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> ai = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(ai, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector512.Create(a[a1]);
            c10 = Avx512F.FusedMultiplyAdd(ai, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector512.Create(a[a2]);
            c20 = Avx512F.FusedMultiplyAdd(ai, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector512.Create(a[a3]);
            c30 = Avx512F.FusedMultiplyAdd(ai, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector512.Create(a[a4]);
            c40 = Avx512F.FusedMultiplyAdd(ai, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector512.Create(a[a5]);
            c50 = Avx512F.FusedMultiplyAdd(ai, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(ai, b1, c51);
        }

        if (bias != null && biasPerRow)
        {
            // The first depth block's sums plus the bias, one rounded addition each, as if the
            // tile were stored and the bias then added to it: here one entry per row.
            Vector512<float> bias0 = Vector512.Create(bias[0]), bias1 = Vector512.Create(bias[1]), bias2 = Vector512.Create(bias[2]);
            (c00, c01, c10, c11, c20, c21) = (c00 + bias0, c01 + bias0, c10 + bias1, c11 + bias1, c20 + bias2, c21 + bias2);
            bias0 = Vector512.Create(bias[3]);
            bias1 = Vector512.Create(bias[4]);
            bias2 = Vector512.Create(bias[5]);
            (c30, c31, c40, c41, c50, c51) = (c30 + bias0, c31 + bias0, c40 + bias1, c41 + bias1, c50 + bias2, c51 + bias2);
        }
        else if (bias != null)
        {
            // The same with one entry per column.
            Vector512<float> bias0 = Vector512.Load(bias), bias1 = Vector512.Load(bias + 16);
            (c00, c01, c10, c11, c20, c21) = (c00 + bias0, c01 + bias1, c10 + bias0, c11 + bias1, c20 + bias0, c21 + bias1);
            (c30, c31, c40, c41, c50, c51) = (c30 + bias0, c31 + bias1, c40 + bias0, c41 + bias1, c50 + bias0, c51 + bias1);
        }

        StoreRow512(c, c00, c01, overwrite);
        StoreRow512(c + ldc, c10, c11, overwrite);
        StoreRow512(c + 2 * ldc, c20, c21, overwrite);
        StoreRow512(c + 3 * ldc, c30, c31, overwrite);
        StoreRow512(c + 4 * ldc, c40, c41, overwrite);
        StoreRow512(c + 5 * ldc, c50, c51, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow512(float* c, Vector512<float> v0, Vector512<float> v1, bool overwrite)
    {
        if (!overwrite)
        {
            v0 = Vector512.Load(c) + v0;
            v1 = Vector512.Load(c + 16) + v1;
        }

        Vector512.Store(v0, c);
        Vector512.Store(v1, c + 16);
    }

    /// <summary>
    /// 6×16 tile in twelve ymm accumulators: with two B vectors and one broadcast that is 15
    /// of the 16 registers AVX2 has, the largest tile that does not spill.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Kernel256(int kc, float* a, nint aRow, nint aStep, float* b, nint bStep, float* c, nint ldc, bool overwrite, float* bias, bool biasPerRow)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        nint a1 = aRow, a2 = 2 * aRow, a3 = 3 * aRow, a4 = 4 * aRow, a5 = 5 * aRow;
        for (int p = 0; p < kc; p++, a += aStep, b += bStep)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> ai = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(ai, b0, c00);
            c01 = Fma.MultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a[a1]);
            c10 = Fma.MultiplyAdd(ai, b0, c10);
            c11 = Fma.MultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(a[a2]);
            c20 = Fma.MultiplyAdd(ai, b0, c20);
            c21 = Fma.MultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(a[a3]);
            c30 = Fma.MultiplyAdd(ai, b0, c30);
            c31 = Fma.MultiplyAdd(ai, b1, c31);
            ai = Vector256.Create(a[a4]);
            c40 = Fma.MultiplyAdd(ai, b0, c40);
            c41 = Fma.MultiplyAdd(ai, b1, c41);
            ai = Vector256.Create(a[a5]);
            c50 = Fma.MultiplyAdd(ai, b0, c50);
            c51 = Fma.MultiplyAdd(ai, b1, c51);
        }

        if (bias != null && biasPerRow)
        {
            // The first depth block's sums plus the bias, one rounded addition each, as if the
            // tile were stored and the bias then added to it: here one entry per row.
            Vector256<float> bias0 = Vector256.Create(bias[0]), bias1 = Vector256.Create(bias[1]), bias2 = Vector256.Create(bias[2]);
            (c00, c01, c10, c11, c20, c21) = (c00 + bias0, c01 + bias0, c10 + bias1, c11 + bias1, c20 + bias2, c21 + bias2);
            bias0 = Vector256.Create(bias[3]);
            bias1 = Vector256.Create(bias[4]);
            bias2 = Vector256.Create(bias[5]);
            (c30, c31, c40, c41, c50, c51) = (c30 + bias0, c31 + bias0, c40 + bias1, c41 + bias1, c50 + bias2, c51 + bias2);
        }
        else if (bias != null)
        {
            // The same with one entry per column.
            Vector256<float> bias0 = Vector256.Load(bias), bias1 = Vector256.Load(bias + 8);
            (c00, c01, c10, c11, c20, c21) = (c00 + bias0, c01 + bias1, c10 + bias0, c11 + bias1, c20 + bias0, c21 + bias1);
            (c30, c31, c40, c41, c50, c51) = (c30 + bias0, c31 + bias1, c40 + bias0, c41 + bias1, c50 + bias0, c51 + bias1);
        }

        StoreRow256(c, c00, c01, overwrite);
        StoreRow256(c + ldc, c10, c11, overwrite);
        StoreRow256(c + 2 * ldc, c20, c21, overwrite);
        StoreRow256(c + 3 * ldc, c30, c31, overwrite);
        StoreRow256(c + 4 * ldc, c40, c41, overwrite);
        StoreRow256(c + 5 * ldc, c50, c51, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow256(float* c, Vector256<float> v0, Vector256<float> v1, bool overwrite)
    {
        if (!overwrite)
        {
            v0 = Vector256.Load(c) + v0;
            v1 = Vector256.Load(c + 8) + v1;
        }

        Vector256.Store(v0, c);
        Vector256.Store(v1, c + 8);
    }

    /// <summary>
    /// 4×4 tile in sixteen scalar accumulators: the portable path, for runtimes without
    /// hardware intrinsics. Fused multiply-adds, one rounding per step as in the vector lanes,
    /// so each element gets the same bits as on the SIMD paths; where the processor or runtime
    /// has no FMA instruction, <see cref="MathF.FusedMultiplyAdd"/> is computed in software
    /// (still correctly rounded, and slower).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void KernelScalar(int kc, float* a, nint aRow, nint aStep, float* b, nint bStep, float* c, nint ldc, bool overwrite)
    {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        nint a1 = aRow, a2 = 2 * aRow, a3 = 3 * aRow;
        for (int p = 0; p < kc; p++, a += aStep, b += bStep)
        {
            float b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            float ai = a[0];
            c00 = MathF.FusedMultiplyAdd(ai, b0, c00); c01 = MathF.FusedMultiplyAdd(ai, b1, c01);
            c02 = MathF.FusedMultiplyAdd(ai, b2, c02); c03 = MathF.FusedMultiplyAdd(ai, b3, c03);
            ai = a[a1];
            c10 = MathF.FusedMultiplyAdd(ai, b0, c10); c11 = MathF.FusedMultiplyAdd(ai, b1, c11);
            c12 = MathF.FusedMultiplyAdd(ai, b2, c12); c13 = MathF.FusedMultiplyAdd(ai, b3, c13);
            ai = a[a2];
            c20 = MathF.FusedMultiplyAdd(ai, b0, c20); c21 = MathF.FusedMultiplyAdd(ai, b1, c21);
            c22 = MathF.FusedMultiplyAdd(ai, b2, c22); c23 = MathF.FusedMultiplyAdd(ai, b3, c23);
            ai = a[a3];
            c30 = MathF.FusedMultiplyAdd(ai, b0, c30); c31 = MathF.FusedMultiplyAdd(ai, b1, c31);
            c32 = MathF.FusedMultiplyAdd(ai, b2, c32); c33 = MathF.FusedMultiplyAdd(ai, b3, c33);
        }

        StoreRowScalar(c, c00, c01, c02, c03, overwrite);
        StoreRowScalar(c + ldc, c10, c11, c12, c13, overwrite);
        StoreRowScalar(c + 2 * ldc, c20, c21, c22, c23, overwrite);
        StoreRowScalar(c + 3 * ldc, c30, c31, c32, c33, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRowScalar(float* c, float v0, float v1, float v2, float v3, bool overwrite)
    {
        if (overwrite)
        {
            c[0] = v0;
            c[1] = v1;
            c[2] = v2;
            c[3] = v3;
        }
        else
        {
            c[0] += v0;
            c[1] += v1;
            c[2] += v2;
            c[3] += v3;
        }
    }
}

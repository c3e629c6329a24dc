using System.Numerics.Tensors;

namespace Autoencoder.Kernels;

/// <summary>
/// Single-precision matrix product on row-major spans: <c>C = op(A)·op(B)</c> or
/// <c>C += op(A)·op(B)</c>. Every matrix product of the layers goes through
/// <see cref="Multiply"/>, so the implementation can change without touching a layer.
/// </summary>
/// <remarks>
/// Shapes: <c>op(A)</c> is <c>m×k</c>, <c>op(B)</c> is <c>k×n</c>, <c>C</c> is <c>m×n</c>.
/// Storage is row-major with leading dimensions: element (r, c) of a matrix stored with
/// leading dimension <c>ld</c> is at <c>r·ld + c</c>. With <c>transA</c>, A is stored as
/// <c>k×m</c> (so <c>op(A) = Aᵀ</c>); with <c>transB</c>, B is stored as <c>n×k</c>.
/// The three products of a dense layer map to: forward <c>X·W</c> (no transpose), input
/// gradient <c>dZ·Wᵀ</c> (<c>transB</c>), weight gradient <c>Xᵀ·dZ</c> (<c>transA</c>).
/// </remarks>
internal static partial class Gemm
{
    /// <summary>Computes <c>C = op(A)·op(B)</c>, or <c>C += op(A)·op(B)</c> when <paramref name="accumulate"/> is set.</summary>
    public static void Multiply(
        bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc,
        bool accumulate)
    {
        CheckArguments(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0)
        {
            return;
        }

        if (!accumulate)
        {
            for (int i = 0; i < m; i++)
            {
                c.Slice(i * ldc, n).Clear();
            }
        }

        if (k == 0)
        {
            return;
        }

        // A straightforward row-oriented product built on TensorPrimitives' vectorised
        // MultiplyAdd and Dot; the packed, register-blocked kernel replaces this body.
        if (!transA && !transB)
        {
            for (int i = 0; i < m; i++)
            {
                Span<float> cRow = c.Slice(i * ldc, n);
                for (int p = 0; p < k; p++)
                {
                    TensorPrimitives.MultiplyAdd(b.Slice(p * ldb, n), a[i * lda + p], cRow, cRow);
                }
            }
        }
        else if (!transA && transB)
        {
            for (int i = 0; i < m; i++)
            {
                ReadOnlySpan<float> aRow = a.Slice(i * lda, k);
                for (int j = 0; j < n; j++)
                {
                    c[i * ldc + j] += TensorPrimitives.Dot(aRow, b.Slice(j * ldb, k));
                }
            }
        }
        else if (transA && !transB)
        {
            for (int p = 0; p < k; p++)
            {
                ReadOnlySpan<float> bRow = b.Slice(p * ldb, n);
                for (int i = 0; i < m; i++)
                {
                    Span<float> cRow = c.Slice(i * ldc, n);
                    TensorPrimitives.MultiplyAdd(bRow, a[p * lda + i], cRow, cRow);
                }
            }
        }
        else
        {
            Reference(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate: true);
        }
    }

    private static void CheckArguments(
        bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(m), $"Matrix sizes must be non-negative; got m={m}, n={n}, k={k}.");
        }

        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        CheckStorage(nameof(a), a.Length, aRows, aCols, lda);
        CheckStorage(nameof(b), b.Length, bRows, bCols, ldb);
        CheckStorage(nameof(c), c.Length, m, n, ldc);
    }

    private static void CheckStorage(string name, int length, int rows, int cols, int ld)
    {
        if (ld < cols && rows > 0)
        {
            throw new ArgumentOutOfRangeException(name, $"Leading dimension of {name} must be at least its column count {cols}; got {ld}.");
        }

        long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < needed)
        {
            throw new ArgumentException($"Span {name} must hold a {rows}x{cols} matrix with leading dimension {ld} ({needed} elements); got {length}.", name);
        }
    }
}

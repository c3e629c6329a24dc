using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Autoencoder.Kernels;

internal static partial class ElementwiseDriver
{
    /// <summary>Rows whose partial sums are held at once by the feature-major sums (16 × 64 doubles, 8 KiB on the stack).</summary>
    private const int FeatureMajorRowChunk = 64;

    /// <summary>
    /// Per-row <see cref="Sum{TOp}"/> over feature-major blocks: <paramref name="sums"/>[r] receives
    /// <c>Σ_j op(x[j·xStride + r], y[j·yStride + r])</c> over the <paramref name="width"/> features,
    /// with the bits <see cref="Sum{TOp}"/> gives row r laid out contiguously (the same sixteen partial
    /// sums, each added to in the same order, combined the same way, then the same tail). The terms
    /// are computed across rows, a vector of rows at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RowSumsFeatureMajor<TOp>(TOp op, ReadOnlySpan<float> x, int xStride, ReadOnlySpan<float> y, int yStride, int rows, int width, Span<double> sums)
        where TOp : struct, ISumOperator
    {
        CheckFeatureMajor(x.Length, xStride, y.Length, yStride, rows, width, sums.Length);
        int whole = width / PartialSumCount * PartialSumCount;
        Span<double> partial = stackalloc double[PartialSumCount * FeatureMajorRowChunk];
        for (int r0 = 0; r0 < rows; r0 += FeatureMajorRowChunk)
        {
            int count = Math.Min(FeatureMajorRowChunk, rows - r0);
            partial.Clear();
            for (int j = 0; j < whole; j++)
            {
                AddTerms(op, x.Slice((j * xStride) + r0, count), y.Slice((j * yStride) + r0, count), partial.Slice((j % PartialSumCount) * FeatureMajorRowChunk, count));
            }

            for (int i = 0; i < count; i++)
            {
                double sum = CombineColumn(partial, i);
                for (int j = whole; j < width; j++)
                {
                    sum += op.Invoke(x[(j * xStride) + r0 + i], y[(j * yStride) + r0 + i]);
                }

                sums[r0 + i] = sum;
            }
        }
    }

    /// <summary>
    /// Per-row <see cref="SumOfFloatTerms{TOp}"/> over feature-major blocks, as
    /// <see cref="RowSumsFeatureMajor{TOp}"/> is per-row <see cref="Sum{TOp}"/>: the same bits as the
    /// row laid out contiguously.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RowSumsOfFloatTermsFeatureMajor<TOp>(
        TOp op, ReadOnlySpan<float> x, int xStride, ReadOnlySpan<float> y, int yStride, ReadOnlySpan<float> w, int wStride, int rows, int width, Span<double> sums)
        where TOp : struct, IFloatSumOperator
    {
        CheckFeatureMajor(x.Length, xStride, y.Length, yStride, rows, width, sums.Length);
        StridedRuns.Require(nameof(w), w.Length, width, rows, wStride);
        int whole = width / PartialSumCount * PartialSumCount;
        Span<double> partial = stackalloc double[PartialSumCount * FeatureMajorRowChunk];
        for (int r0 = 0; r0 < rows; r0 += FeatureMajorRowChunk)
        {
            int count = Math.Min(FeatureMajorRowChunk, rows - r0);
            partial.Clear();
            for (int j = 0; j < whole; j++)
            {
                AddFloatTerms(
                    op, x.Slice((j * xStride) + r0, count), y.Slice((j * yStride) + r0, count), w.Slice((j * wStride) + r0, count),
                    partial.Slice((j % PartialSumCount) * FeatureMajorRowChunk, count));
            }

            for (int i = 0; i < count; i++)
            {
                double sum = CombineColumn(partial, i);
                for (int j = whole; j < width; j++)
                {
                    sum += op.Invoke(x[(j * xStride) + r0 + i], y[(j * yStride) + r0 + i], w[(j * wStride) + r0 + i]);
                }

                sums[r0 + i] = sum;
            }
        }
    }

    /// <summary><see cref="CombinePartialSums"/> of row <paramref name="i"/>'s sixteen partial sums, each a row of <paramref name="partial"/>.</summary>
    private static double CombineColumn(ReadOnlySpan<double> partial, int i)
    {
        PartialSums gathered = default;
        Span<double> s = gathered;
        for (int l = 0; l < PartialSumCount; l++)
        {
            s[l] = partial[(l * FeatureMajorRowChunk) + i];
        }

        return CombinePartialSums(s);
    }

    /// <summary><c>p[i] += op(x[i], y[i])</c>, each term computed and added as the reductions do.</summary>
    private static void AddTerms<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<double> p)
        where TOp : struct, ISumOperator
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref double ps = ref MemoryMarshal.GetReference(p);
        nuint n = (nuint)x.Length, i = 0;
        int vectorWidth = VectorWidth;
        if (vectorWidth >= 512)
        {
            for (; i + 16 <= n; i += 16)
            {
                (Vector512<double> x0, Vector512<double> x1) = Vector512.Widen(Vector512.LoadUnsafe(ref xs, i));
                (Vector512<double> y0, Vector512<double> y1) = Vector512.Widen(Vector512.LoadUnsafe(ref ys, i));
                (Vector512.LoadUnsafe(ref ps, i) + op.Invoke(x0, y0)).StoreUnsafe(ref ps, i);
                (Vector512.LoadUnsafe(ref ps, i + 8) + op.Invoke(x1, y1)).StoreUnsafe(ref ps, i + 8);
            }
        }
        else if (vectorWidth >= 256)
        {
            for (; i + 8 <= n; i += 8)
            {
                (Vector256<double> x0, Vector256<double> x1) = Vector256.Widen(Vector256.LoadUnsafe(ref xs, i));
                (Vector256<double> y0, Vector256<double> y1) = Vector256.Widen(Vector256.LoadUnsafe(ref ys, i));
                (Vector256.LoadUnsafe(ref ps, i) + op.Invoke(x0, y0)).StoreUnsafe(ref ps, i);
                (Vector256.LoadUnsafe(ref ps, i + 4) + op.Invoke(x1, y1)).StoreUnsafe(ref ps, i + 4);
            }
        }
        else if (vectorWidth >= 128)
        {
            for (; i + 4 <= n; i += 4)
            {
                (Vector128<double> x0, Vector128<double> x1) = Vector128.Widen(Vector128.LoadUnsafe(ref xs, i));
                (Vector128<double> y0, Vector128<double> y1) = Vector128.Widen(Vector128.LoadUnsafe(ref ys, i));
                (Vector128.LoadUnsafe(ref ps, i) + op.Invoke(x0, y0)).StoreUnsafe(ref ps, i);
                (Vector128.LoadUnsafe(ref ps, i + 2) + op.Invoke(x1, y1)).StoreUnsafe(ref ps, i + 2);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref ps, i) += op.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i));
        }
    }

    /// <summary><c>p[i] += op(x[i], y[i], w[i])</c>, each float term widened and added as the reductions do.</summary>
    private static void AddFloatTerms<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w, Span<double> p)
        where TOp : struct, IFloatSumOperator
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float ws = ref MemoryMarshal.GetReference(w);
        ref double ps = ref MemoryMarshal.GetReference(p);
        nuint n = (nuint)x.Length, i = 0;
        int vectorWidth = VectorWidth;
        if (vectorWidth >= 512)
        {
            for (; i + 16 <= n; i += 16)
            {
                Vector512<float> terms = op.Invoke(Vector512.LoadUnsafe(ref xs, i), Vector512.LoadUnsafe(ref ys, i), Vector512.LoadUnsafe(ref ws, i));
                (Vector512<double> low, Vector512<double> high) = Vector512.Widen(terms);
                (Vector512.LoadUnsafe(ref ps, i) + low).StoreUnsafe(ref ps, i);
                (Vector512.LoadUnsafe(ref ps, i + 8) + high).StoreUnsafe(ref ps, i + 8);
            }
        }
        else if (vectorWidth >= 256)
        {
            for (; i + 8 <= n; i += 8)
            {
                Vector256<float> terms = op.Invoke(Vector256.LoadUnsafe(ref xs, i), Vector256.LoadUnsafe(ref ys, i), Vector256.LoadUnsafe(ref ws, i));
                (Vector256<double> low, Vector256<double> high) = Vector256.Widen(terms);
                (Vector256.LoadUnsafe(ref ps, i) + low).StoreUnsafe(ref ps, i);
                (Vector256.LoadUnsafe(ref ps, i + 4) + high).StoreUnsafe(ref ps, i + 4);
            }
        }
        else if (vectorWidth >= 128)
        {
            for (; i + 4 <= n; i += 4)
            {
                Vector128<float> terms = op.Invoke(Vector128.LoadUnsafe(ref xs, i), Vector128.LoadUnsafe(ref ys, i), Vector128.LoadUnsafe(ref ws, i));
                (Vector128<double> low, Vector128<double> high) = Vector128.Widen(terms);
                (Vector128.LoadUnsafe(ref ps, i) + low).StoreUnsafe(ref ps, i);
                (Vector128.LoadUnsafe(ref ps, i + 2) + high).StoreUnsafe(ref ps, i + 2);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref ps, i) += op.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i), Unsafe.Add(ref ws, i));
        }
    }

    /// <summary>Refuses feature-major operands too short for <paramref name="width"/> runs of <paramref name="rows"/> values, or too few sums.</summary>
    private static void CheckFeatureMajor(int xLength, int xStride, int yLength, int yStride, int rows, int width, int sumsLength)
    {
        StridedRuns.Require("x", xLength, width, rows, xStride);
        StridedRuns.Require("y", yLength, width, rows, yStride);
        if (sumsLength < rows)
        {
            throw new ArgumentException(Invariant($"sums must hold one value per row, {rows}; got {sumsLength}."), "sums");
        }
    }
}

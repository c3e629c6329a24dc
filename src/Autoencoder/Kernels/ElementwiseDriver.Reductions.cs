using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Autoencoder.Kernels;

internal static partial class ElementwiseDriver
{
    /// <summary>
    /// <c>Σ op(x[i], y[i])</c> in double, in one order whatever the vector width: sixteen partial
    /// sums, sum j taking the terms at indices ≡ j (mod 16) of the whole blocks of sixteen, added
    /// by <see cref="CombinePartialSums"/>, then the last <c>n mod 16</c> terms one by one. Each width
    /// holds the sixteen partial sums in its own registers (two 512-bit, four 256-bit, eight
    /// 128-bit vectors or sixteen scalars), so the bits are the same on every path. The order
    /// differs from a sequential loop; in double that changes the result by about 1e-16 per term
    /// relative to the sum of magnitudes, far below the float inputs' own precision.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Sum<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        where TOp : struct, ISumOperator
    {
        CheckInput(x, y, nameof(y));
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length, i = 0;
        PartialSums partial = default;
        Span<double> sums = partial;
        int width = VectorWidth;
        if (width >= 512)
        {
            Vector512<double> s0 = default, s1 = default;
            for (; i + PartialSumCount <= n; i += PartialSumCount)
            {
                (Vector512<double> x0, Vector512<double> x1) = Vector512.Widen(Vector512.LoadUnsafe(ref xs, i));
                (Vector512<double> y0, Vector512<double> y1) = Vector512.Widen(Vector512.LoadUnsafe(ref ys, i));
                s0 += op.Invoke(x0, y0);
                s1 += op.Invoke(x1, y1);
            }

            s0.CopyTo(sums);
            s1.CopyTo(sums[8..]);
        }
        else if (width >= 256)
        {
            Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
            for (; i + PartialSumCount <= n; i += PartialSumCount)
            {
                (Vector256<double> x0, Vector256<double> x1) = Vector256.Widen(Vector256.LoadUnsafe(ref xs, i));
                (Vector256<double> y0, Vector256<double> y1) = Vector256.Widen(Vector256.LoadUnsafe(ref ys, i));
                s0 += op.Invoke(x0, y0);
                s1 += op.Invoke(x1, y1);
                (x0, x1) = Vector256.Widen(Vector256.LoadUnsafe(ref xs, i + 8));
                (y0, y1) = Vector256.Widen(Vector256.LoadUnsafe(ref ys, i + 8));
                s2 += op.Invoke(x0, y0);
                s3 += op.Invoke(x1, y1);
            }

            s0.CopyTo(sums);
            s1.CopyTo(sums[4..]);
            s2.CopyTo(sums[8..]);
            s3.CopyTo(sums[12..]);
        }
        else if (width >= 128)
        {
            Vector128<double> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            for (; i + PartialSumCount <= n; i += PartialSumCount)
            {
                (Vector128<double> x0, Vector128<double> x1) = Vector128.Widen(Vector128.LoadUnsafe(ref xs, i));
                (Vector128<double> y0, Vector128<double> y1) = Vector128.Widen(Vector128.LoadUnsafe(ref ys, i));
                s0 += op.Invoke(x0, y0);
                s1 += op.Invoke(x1, y1);
                (x0, x1) = Vector128.Widen(Vector128.LoadUnsafe(ref xs, i + 4));
                (y0, y1) = Vector128.Widen(Vector128.LoadUnsafe(ref ys, i + 4));
                s2 += op.Invoke(x0, y0);
                s3 += op.Invoke(x1, y1);
                (x0, x1) = Vector128.Widen(Vector128.LoadUnsafe(ref xs, i + 8));
                (y0, y1) = Vector128.Widen(Vector128.LoadUnsafe(ref ys, i + 8));
                s4 += op.Invoke(x0, y0);
                s5 += op.Invoke(x1, y1);
                (x0, x1) = Vector128.Widen(Vector128.LoadUnsafe(ref xs, i + 12));
                (y0, y1) = Vector128.Widen(Vector128.LoadUnsafe(ref ys, i + 12));
                s6 += op.Invoke(x0, y0);
                s7 += op.Invoke(x1, y1);
            }

            Store(sums, s0, s1, s2, s3, s4, s5, s6, s7);
        }
        else
        {
            for (; i + PartialSumCount <= n; i += PartialSumCount)
            {
                for (int j = 0; j < PartialSumCount; j++)
                {
                    sums[j] += op.Invoke(Unsafe.Add(ref xs, i + (nuint)j), Unsafe.Add(ref ys, i + (nuint)j));
                }
            }
        }

        double sum = CombinePartialSums(sums);
        for (; i < n; i++)
        {
            sum += op.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i));
        }

        return sum;
    }

    /// <summary>
    /// <c>Σ op(x[i], y[i], w[i])</c> with the terms computed in float lanes and accumulated in
    /// double, in the width-independent order of <see cref="Sum{TOp}"/>: each term is widened
    /// and added to partial sum <c>i mod 16</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SumOfFloatTerms<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> w)
        where TOp : struct, IFloatSumOperator
    {
        CheckInput(x, y, nameof(y));
        CheckInput(x, w, nameof(w));
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float ws = ref MemoryMarshal.GetReference(w);
        nuint n = (nuint)x.Length, i = 0;
        PartialSums partial = default;
        Span<double> sums = partial;
        int width = VectorWidth;
        if (width >= 512)
        {
            Vector512<double> s0 = default, s1 = default;
            for (; i + PartialSumCount <= n; i += PartialSumCount)
            {
                Vector512<float> terms = op.Invoke(Vector512.LoadUnsafe(ref xs, i), Vector512.LoadUnsafe(ref ys, i), Vector512.LoadUnsafe(ref ws, i));
                (Vector512<double> low, Vector512<double> high) = Vector512.Widen(terms);
                s0 += low;
                s1 += high;
            }

            s0.CopyTo(sums);
            s1.CopyTo(sums[8..]);
        }
        else if (width >= 256)
        {
            Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
            for (; i + PartialSumCount <= n; i += PartialSumCount)
            {
                Vector256<float> terms = op.Invoke(Vector256.LoadUnsafe(ref xs, i), Vector256.LoadUnsafe(ref ys, i), Vector256.LoadUnsafe(ref ws, i));
                (Vector256<double> low, Vector256<double> high) = Vector256.Widen(terms);
                s0 += low;
                s1 += high;
                terms = op.Invoke(Vector256.LoadUnsafe(ref xs, i + 8), Vector256.LoadUnsafe(ref ys, i + 8), Vector256.LoadUnsafe(ref ws, i + 8));
                (low, high) = Vector256.Widen(terms);
                s2 += low;
                s3 += high;
            }

            s0.CopyTo(sums);
            s1.CopyTo(sums[4..]);
            s2.CopyTo(sums[8..]);
            s3.CopyTo(sums[12..]);
        }
        else if (width >= 128)
        {
            Vector128<double> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            for (; i + PartialSumCount <= n; i += PartialSumCount)
            {
                Vector128<float> terms = op.Invoke(Vector128.LoadUnsafe(ref xs, i), Vector128.LoadUnsafe(ref ys, i), Vector128.LoadUnsafe(ref ws, i));
                (Vector128<double> low, Vector128<double> high) = Vector128.Widen(terms);
                s0 += low;
                s1 += high;
                terms = op.Invoke(Vector128.LoadUnsafe(ref xs, i + 4), Vector128.LoadUnsafe(ref ys, i + 4), Vector128.LoadUnsafe(ref ws, i + 4));
                (low, high) = Vector128.Widen(terms);
                s2 += low;
                s3 += high;
                terms = op.Invoke(Vector128.LoadUnsafe(ref xs, i + 8), Vector128.LoadUnsafe(ref ys, i + 8), Vector128.LoadUnsafe(ref ws, i + 8));
                (low, high) = Vector128.Widen(terms);
                s4 += low;
                s5 += high;
                terms = op.Invoke(Vector128.LoadUnsafe(ref xs, i + 12), Vector128.LoadUnsafe(ref ys, i + 12), Vector128.LoadUnsafe(ref ws, i + 12));
                (low, high) = Vector128.Widen(terms);
                s6 += low;
                s7 += high;
            }

            Store(sums, s0, s1, s2, s3, s4, s5, s6, s7);
        }
        else
        {
            for (; i + PartialSumCount <= n; i += PartialSumCount)
            {
                for (int j = 0; j < PartialSumCount; j++)
                {
                    nuint at = i + (nuint)j;
                    sums[j] += op.Invoke(Unsafe.Add(ref xs, at), Unsafe.Add(ref ys, at), Unsafe.Add(ref ws, at));
                }
            }
        }

        double sum = CombinePartialSums(sums);
        for (; i < n; i++)
        {
            sum += op.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i), Unsafe.Add(ref ws, i));
        }

        return sum;
    }

    /// <summary>Partial sums of the reductions: one per index mod 16, whatever the vector width.</summary>
    private const int PartialSumCount = 16;

    /// <summary>Room for the <see cref="PartialSumCount"/> partial sums on the stack.</summary>
    [InlineArray(PartialSumCount)]
    private struct PartialSums
    {
        private double _element;
    }

    /// <summary>
    /// Adds the sixteen partial sums as a balanced tree of pairs,
    /// <c>(((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))) + (…s8 to s15…)</c>, the same on every path.
    /// </summary>
    private static double CombinePartialSums(ReadOnlySpan<double> s) =>
        (((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7])))
        + (((s[8] + s[9]) + (s[10] + s[11])) + ((s[12] + s[13]) + (s[14] + s[15])));

    private static void Store(
        Span<double> sums, Vector128<double> s0, Vector128<double> s1, Vector128<double> s2, Vector128<double> s3,
        Vector128<double> s4, Vector128<double> s5, Vector128<double> s6, Vector128<double> s7)
    {
        s0.CopyTo(sums);
        s1.CopyTo(sums[2..]);
        s2.CopyTo(sums[4..]);
        s3.CopyTo(sums[6..]);
        s4.CopyTo(sums[8..]);
        s5.CopyTo(sums[10..]);
        s6.CopyTo(sums[12..]);
        s7.CopyTo(sums[14..]);
    }
}

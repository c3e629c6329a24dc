using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Autoencoder.Kernels;

/// <summary>
/// Column sums of a row-major matrix (a dense or convolution layer's bias gradient: <c>db = Σ_rows dZ</c>), each
/// column one chain of additions down the rows in order, so any register width gives the same bits.
/// </summary>
internal static unsafe class ColumnSums
{
    /// <summary>
    /// Overwrites <paramref name="sums"/> (<paramref name="width"/>) with the column sums of the
    /// <paramref name="rows"/> × <paramref name="width"/> matrix <paramref name="matrix"/>, rows added in
    /// ascending order. <paramref name="widest"/> caps the register width (tests check every path).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute(ReadOnlySpan<float> matrix, int rows, int width, Span<float> sums, int widest = 16)
    {
        if (matrix.Length < checked(rows * width) || sums.Length < width)
        {
            throw new ArgumentException(Invariant($"Column sums of a {rows} × {width} matrix need {rows * width} values and {width} sums; got {matrix.Length} and {sums.Length}."));
        }

        fixed (float* m = matrix, s = sums)
        {
            for (int c0 = 0; c0 < width;)
            {
                int lanes = LaneWidth.For(width - c0, widest);
                switch (lanes)
                {
                    case 16:
                        Block<Lanes16, Vector512<float>>(m + c0, rows, width, s + c0);
                        break;
                    case 8:
                        Block<Lanes8, Vector256<float>>(m + c0, rows, width, s + c0);
                        break;
                    case 4:
                        Block<Lanes4, Vector128<float>>(m + c0, rows, width, s + c0);
                        break;
                    default:
                        Block<Lanes1, float>(m + c0, rows, width, s + c0);
                        break;
                }

                c0 += lanes;
            }
        }
    }

    /// <summary>Scalar reference for <see cref="Compute"/>: each column from zero, rows ascending.</summary>
    public static void Reference(ReadOnlySpan<float> matrix, int rows, int width, Span<float> sums)
    {
        for (int c = 0; c < width; c++)
        {
            float sum = 0f;
            for (int r = 0; r < rows; r++)
            {
                sum += matrix[(r * width) + c];
            }

            sums[c] = sum;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block<TLanes, TVector>(float* column, int rows, int width, float* sum)
        where TLanes : struct, ILanes<TVector>
        where TVector : struct
    {
        // a·1 + s is rounded once, as a + s is: the multiply-add is the lanes' one addition.
        TVector one = TLanes.Broadcast(1f), acc = TLanes.Zero;
        for (int r = 0; r < rows; r++, column += width)
        {
            acc = TLanes.MultiplyAdd(TLanes.Load(column), one, acc);
        }

        TLanes.Store(sum, acc);
    }
}

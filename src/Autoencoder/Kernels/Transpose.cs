using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Autoencoder.Kernels;

/// <summary>
/// Transposes a block between layouts: <c>destination[c·destinationStride + r] = source[r·sourceStride + c]</c>
/// for <c>r &lt; rows</c>, <c>c &lt; columns</c>. It turns a block of samples of a MathNet matrix
/// (column-major: a feature's values are contiguous) into the row-major rows the layers compute on,
/// and back. A copy, so every path gives the same bits (NaN payloads included).
/// </summary>
internal static class Transpose
{
    /// <summary>Side of the square tiles the vector path moves through registers.</summary>
    private const int Tile = 8;

    /// <summary>Side of the squares of tiles transposed together (a multiple of <see cref="Tile"/>).</summary>
    private const int Square = 64;

    /// <summary>
    /// Transposes the <paramref name="rows"/> × <paramref name="columns"/> block at
    /// <paramref name="source"/> (row <c>r</c> at <c>r·sourceStride</c>) into
    /// <paramref name="destination"/> (column <c>c</c> of the source becomes row <c>c</c> there,
    /// at <c>c·destinationStride</c>). The two must not overlap.
    /// </summary>
    /// <exception cref="ArgumentException">A span is too short for its block, or a stride is below the block's width.</exception>
    public static unsafe void Block(ReadOnlySpan<float> source, int sourceStride, int rows, int columns, Span<float> destination, int destinationStride)
    {
        Check(source.Length, sourceStride, rows, columns, destination.Length, destinationStride);
        if (rows == 0 || columns == 0)
        {
            return;
        }

        if (!Avx.IsSupported)
        {
            Reference(source, sourceStride, rows, columns, destination, destinationStride);
            return;
        }

        fixed (float* src = source, dst = destination)
        {
            // Squares of Square × Square values at a time: their source and destination lines
            // (16 KiB each) stay in L1 while the 8×8 tiles inside cross them, so every line is read
            // or written whole however far apart the rows lie (a destination stride of 8,192 floats,
            // a column of a large matrix, took 2.6 times as long swept a whole row of tiles at a time).
            int fullRows = rows / Tile * Tile, fullColumns = columns / Tile * Tile;
            for (int rb = 0; rb < fullRows; rb += Square)
            {
                int rEnd = Math.Min(rb + Square, fullRows);
                for (int cb = 0; cb < fullColumns; cb += Square)
                {
                    int cEnd = Math.Min(cb + Square, fullColumns);
                    for (int r0 = rb; r0 < rEnd; r0 += Tile)
                    {
                        for (int c0 = cb; c0 < cEnd; c0 += Tile)
                        {
                            Tile8(src + ((nint)r0 * sourceStride) + c0, sourceStride, dst + ((nint)c0 * destinationStride) + r0, destinationStride);
                        }
                    }
                }
            }

            // The edges: the last columns of the full rows, then the last rows.
            for (int r = 0; r < fullRows; r++)
            {
                for (int c = fullColumns; c < columns; c++)
                {
                    dst[((nint)c * destinationStride) + r] = src[((nint)r * sourceStride) + c];
                }
            }

            for (int r = fullRows; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    dst[((nint)c * destinationStride) + r] = src[((nint)r * sourceStride) + c];
                }
            }
        }
    }

    /// <summary>Scalar reference for <see cref="Block"/>.</summary>
    public static void Reference(ReadOnlySpan<float> source, int sourceStride, int rows, int columns, Span<float> destination, int destinationStride)
    {
        Check(source.Length, sourceStride, rows, columns, destination.Length, destinationStride);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                destination[(c * destinationStride) + r] = source[(r * sourceStride) + c];
            }
        }
    }

    private static void Check(int sourceLength, int sourceStride, int rows, int columns, int destinationLength, int destinationStride)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (rows == 0 || columns == 0)
        {
            return;
        }

        if (sourceStride < columns || destinationStride < rows)
        {
            throw new ArgumentException(Invariant(
                $"A {rows} × {columns} block needs a source stride of at least {columns} and a destination stride of at least {rows}; got {sourceStride} and {destinationStride}."));
        }

        long sourceNeeded = ((long)(rows - 1) * sourceStride) + columns, destinationNeeded = ((long)(columns - 1) * destinationStride) + rows;
        if (sourceLength < sourceNeeded || destinationLength < destinationNeeded)
        {
            throw new ArgumentException(Invariant(
                $"A {rows} × {columns} block needs {sourceNeeded} source and {destinationNeeded} destination values; got {sourceLength} and {destinationLength}."));
        }
    }

    /// <summary>One 8×8 tile through registers: interleave pairs, then quadruples, then swap 128-bit halves (24 shuffles).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Tile8(float* src, nint srcStride, float* dst, nint dstStride)
    {
        Vector256<float> r0 = Avx.LoadVector256(src);
        Vector256<float> r1 = Avx.LoadVector256(src + srcStride);
        Vector256<float> r2 = Avx.LoadVector256(src + (2 * srcStride));
        Vector256<float> r3 = Avx.LoadVector256(src + (3 * srcStride));
        Vector256<float> r4 = Avx.LoadVector256(src + (4 * srcStride));
        Vector256<float> r5 = Avx.LoadVector256(src + (5 * srcStride));
        Vector256<float> r6 = Avx.LoadVector256(src + (6 * srcStride));
        Vector256<float> r7 = Avx.LoadVector256(src + (7 * srcStride));
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + (2 * dstStride), Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + (3 * dstStride), Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + (4 * dstStride), Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + (5 * dstStride), Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + (6 * dstStride), Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + (7 * dstStride), Avx.Permute2x128(u3, u7, 0x31));
    }
}

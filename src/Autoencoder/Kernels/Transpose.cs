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
                            // The packing's 8×8 register transpose (24 shuffles), on a full tile.
                            Gemm.TransposeRows8(src + ((nint)r0 * sourceStride) + c0, sourceStride, Tile, dst + ((nint)c0 * destinationStride) + r0, destinationStride);
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
}

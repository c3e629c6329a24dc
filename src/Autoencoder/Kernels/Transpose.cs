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
            // Inside a square the tiles go along the side whose rows lie farther apart, so that
            // side's lines are finished at once and the nearer side's wait in L1.
            int fullRows = rows / Tile * Tile, fullColumns = columns / Tile * Tile;
            bool farDestination = destinationStride > sourceStride;
            for (int rb = 0; rb < fullRows; rb += Square)
            {
                int rEnd = Math.Min(rb + Square, fullRows);
                for (int cb = 0; cb < fullColumns; cb += Square)
                {
                    int cEnd = Math.Min(cb + Square, fullColumns);
                    if (farDestination)
                    {
                        SquareByDestinationRows(src, sourceStride, dst, destinationStride, rb, rEnd, cb, cEnd);
                    }
                    else
                    {
                        SquareBySourceRows(src, sourceStride, dst, destinationStride, rb, rEnd, cb, cEnd, fullColumns);
                    }
                }
            }

            Edges(src, sourceStride, rows, columns, dst, destinationStride, fullRows, fullColumns);
        }
    }

    /// <summary>
    /// The values outside the full tiles: the last columns of the full rows, the last rows of the
    /// full columns, then the corner. The first two go eight rows or columns at a time through a
    /// tile on the stack, so a block of, say, 36 rows (a batch cut for two threads) does not move a
    /// ninth of its values one by one at a stride (36-row blocks of a 256-row matrix back into it:
    /// 3.0 ms per 32 matrices one by one, 2.0 through the tile, 1.2 for blocks of 48 rows).
    /// </summary>
    private static unsafe void Edges(float* src, int sourceStride, int rows, int columns, float* dst, int destinationStride, int fullRows, int fullColumns)
    {
        int lastColumns = columns - fullColumns, lastRows = rows - fullRows;
        float* tile = stackalloc float[Tile * Tile];
        float* turned = stackalloc float[Tile * Tile];
        if (lastColumns > 0)
        {
            // Eight full rows' last columns, gathered into the tile's first columns, come out as
            // the first rows of the turned tile: eight values for each destination row.
            for (int r0 = 0; r0 < fullRows; r0 += Tile)
            {
                for (int i = 0; i < Tile; i++)
                {
                    new ReadOnlySpan<float>(src + ((nint)(r0 + i) * sourceStride) + fullColumns, lastColumns).CopyTo(new Span<float>(tile + (i * Tile), lastColumns));
                }

                Gemm.TransposeRows8(tile, Tile, Tile, turned, Tile);
                for (int c = 0; c < lastColumns; c++)
                {
                    new ReadOnlySpan<float>(turned + (c * Tile), Tile).CopyTo(new Span<float>(dst + ((nint)(fullColumns + c) * destinationStride) + r0, Tile));
                }
            }
        }

        if (lastRows > 0)
        {
            // The last rows, eight columns at a time (only those rows are read).
            for (int c0 = 0; c0 < fullColumns; c0 += Tile)
            {
                Gemm.TransposeRows8(src + ((nint)fullRows * sourceStride) + c0, sourceStride, lastRows, turned, Tile);
                for (int p = 0; p < Tile; p++)
                {
                    new ReadOnlySpan<float>(turned + (p * Tile), lastRows).CopyTo(new Span<float>(dst + ((nint)(c0 + p) * destinationStride) + fullRows, lastRows));
                }
            }
        }

        for (int r = fullRows; r < rows; r++)
        {
            for (int c = fullColumns; c < columns; c++)
            {
                dst[((nint)c * destinationStride) + r] = src[((nint)r * sourceStride) + c];
            }
        }
    }

    /// <summary>
    /// One square, eight source rows at a time across it: each source line is read whole at once,
    /// which matters when the source rows lie far apart (a MathNet matrix's columns). Those rows'
    /// lines of the next square are requested meanwhile: at a stride of 8,192 floats each is a miss
    /// the hardware's prefetcher does not foresee (an 8,192 × 784 matrix to row-major blocks of 256
    /// rows: 2.0–2.5 ms with, 2.6–4.6 ms without, measured alternately in one process).
    /// </summary>
    private static unsafe void SquareBySourceRows(float* src, int sourceStride, float* dst, int destinationStride, int rb, int rEnd, int cb, int cEnd, int fullColumns)
    {
        int ahead = Math.Min(Square, fullColumns - cEnd);
        for (int r0 = rb; r0 < rEnd; r0 += Tile)
        {
            for (int r = r0; r < r0 + Tile && ahead > 0; r++)
            {
                float* next = src + ((nint)r * sourceStride) + cEnd;
                for (int c = 0; c < ahead; c += 16)
                {
                    Sse.Prefetch0(next + c);
                }
            }

            for (int c0 = cb; c0 < cEnd; c0 += Tile)
            {
                // The packing's 8×8 register transpose (24 shuffles), on a full tile.
                Gemm.TransposeRows8(src + ((nint)r0 * sourceStride) + c0, sourceStride, Tile, dst + ((nint)c0 * destinationStride) + r0, destinationStride);
            }
        }
    }

    /// <summary>
    /// One square, eight destination rows at a time across it: each destination line is written
    /// whole at once, which matters when the destination rows lie far apart (row-major blocks back
    /// into a MathNet matrix: blocks of 256 rows into an 8,192 × 784 matrix took 2.8 ms this way
    /// and 3.7–5.0 ms source rows first, measured alternately in one process; requesting the next
    /// rows' destination lines ahead gained nothing more).
    /// </summary>
    private static unsafe void SquareByDestinationRows(float* src, int sourceStride, float* dst, int destinationStride, int rb, int rEnd, int cb, int cEnd)
    {
        for (int c0 = cb; c0 < cEnd; c0 += Tile)
        {
            for (int r0 = rb; r0 < rEnd; r0 += Tile)
            {
                Gemm.TransposeRows8(src + ((nint)r0 * sourceStride) + c0, sourceStride, Tile, dst + ((nint)c0 * destinationStride) + r0, destinationStride);
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

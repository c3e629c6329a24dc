using Autoencoder.Losses;

namespace Autoencoder;

/// <summary>
/// Argument checks of the batch calls that take rows without MathNet: jagged arrays (one array
/// per row) and row-major spans (<c>rows × width</c> values, row after row). Messages name the
/// parameter, the rule and the value given, and a bad value's row and column.
/// </summary>
internal static class RowGuard
{
    /// <summary>
    /// Checks jagged rows: not null, at least one row, no null row, every row <paramref name="width"/>
    /// long (the message names the first row that is not) and every value finite.
    /// </summary>
    public static void Jagged(float[][]? x, int width, string what, string name)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        if (x.Length == 0)
        {
            throw new ArgumentException(Invariant($"{name} must have at least one row ({what}); got 0 rows."), name);
        }

        for (int r = 0; r < x.Length; r++)
        {
            float[]? row = x[r];
            if (row is null)
            {
                throw new ArgumentException(Invariant($"{name} must not hold null rows; row {r} is null."), name);
            }

            if (row.Length != width)
            {
                throw new ArgumentException(
                    Invariant($"{name} must have rows of {width} values ({what}); row {r} has {row.Length}."), name);
            }
        }

        for (int r = 0; r < x.Length; r++)
        {
            if (!Kernels.Finite.All(x[r]))
            {
                int column = FirstNonFinite(x[r]);
                throw new ArgumentException(
                    Invariant($"{name} must contain only finite values; got {x[r][column]} at row {r}, column {column}."), name);
            }
        }
    }

    /// <summary>
    /// Checks row-major input: <paramref name="rows"/> positive, <paramref name="x"/> exactly
    /// <c>rows × width</c> long, every value finite (the message names the row and column of the first bad one).
    /// </summary>
    public static void Input(ReadOnlySpan<float> x, int rows, int width, string what, string name)
    {
        Shape(x, rows, width, what, name);
        if (!Kernels.Finite.All(x))
        {
            int index = FirstNonFinite(x);
            throw new ArgumentException(
                Invariant($"{name} must contain only finite values; got {x[index]} at row {index / width}, column {index % width}."), name);
        }
    }

    /// <summary>Checks row-major input's shape only: <paramref name="rows"/> positive, <paramref name="x"/> exactly <c>rows × width</c> long.</summary>
    public static void Shape(ReadOnlySpan<float> x, int rows, int width, string what, string name)
    {
        if (rows <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), Invariant($"rows must be positive; got {rows}."));
        }

        Length(x.Length, rows, width, what, name);
    }

    /// <summary>
    /// Throws what <see cref="Input"/> and, with a loss, <see cref="Targets"/> throw for
    /// <paramref name="x"/>, after a block pass found a value they refuse.
    /// </summary>
    public static Exception Refused(ReadOnlySpan<float> x, int rows, int width, string what, string name, Loss? loss = null)
    {
        Input(x, rows, width, what, name);
        if (loss is not null)
        {
            Targets(x, width, 0, loss, name);
        }

        return new InvalidOperationException("A block refused its input, but the full check found no value to refuse.");
    }

    /// <summary>Checks that a span of <paramref name="length"/> values holds exactly <c>rows × width</c>.</summary>
    public static void Length(int length, int rows, int width, string what, string name)
    {
        long expected = (long)rows * width;
        if (length != expected)
        {
            throw new ArgumentException(
                Invariant($"{name} must have length {expected} ({rows} rows × {width}, {what}); got {length}."), name);
        }
    }

    /// <summary>
    /// Throws when a value of row-major <paramref name="x"/> is outside what <paramref name="loss"/>
    /// accepts, naming its row and column (first in reading order), with the words the matrix calls use.
    /// </summary>
    public static void Targets(ReadOnlySpan<float> x, int width, int firstRow, Loss loss, string name)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            if (!loss.Accepts(v))
            {
                int row = firstRow + (i / width), column = i % width;
                throw loss is BinaryCrossEntropyLoss
                    ? new ArgumentException(
                        Invariant($"{name} must lie in [0, 1] for binary cross-entropy; got {v} at row {row}, column {column}. ") +
                        "Scale the data (e.g. pixels / 255) or use Loss.MeanSquaredError.", name)
                    : new ArgumentException(
                        Invariant($"{name} holds {v} at row {row}, column {column}, which the loss {loss} does not accept."), name);
            }
        }
    }

    /// <summary>Copies jagged rows <c>[first, first + count)</c> one after another into <paramref name="destination"/>.</summary>
    public static void Gather(float[][] x, int first, int count, Span<float> destination)
    {
        int offset = 0;
        for (int r = first; r < first + count; r++)
        {
            x[r].CopyTo(destination[offset..]);
            offset += x[r].Length;
        }
    }

    /// <summary>
    /// Rows of the next block of a row-major pass over <paramref name="remaining"/> rows in blocks of
    /// at most <paramref name="block"/>: a full block, except that no block is left with a single
    /// row when it can be avoided (a one-row block takes the one-row product, whose sums are
    /// chained differently), so every row gets the bits the matrix calls give it (their blocks are
    /// cut the same way, see <see cref="Model.BatchBlocks.Range"/>).
    /// </summary>
    public static int NextBlock(int remaining, int block) =>
        remaining <= block ? remaining
        : remaining == block + 1 && block > 2 ? block - 1
        : block;

    private static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        int index = 0;
        while (float.IsFinite(values[index]))
        {
            index++;
        }

        return index;
    }
}

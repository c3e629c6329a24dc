using System.Buffers;
using Autoencoder.Data;
using Autoencoder.Kernels;
using Autoencoder.Losses;
using Autoencoder.Model;

namespace Autoencoder.Training;

/// <summary>
/// The batch calls on MathNet matrices (column-major storage): passes run feature-major in that
/// layout where the layers allow it, else through row-major blocks; their block sizes.
/// </summary>
internal static partial class BatchInference
{
    /// <summary>
    /// Layers <c>[first, end)</c> on the rows of a dense column-major <c>rows × d</c> matrix's
    /// storage <paramref name="x"/> into <paramref name="result"/> (column-major, <paramref name="rows"/>
    /// rows). A pass of dense layers, batch normalizations and activations runs each block of rows feature-major, in the
    /// matrices' own layout (<see cref="Network.RunFeatureMajor"/>): the block is checked to be finite
    /// where it lies, or gathered into scratch when the matrix is tall (<see cref="FeatureMajorCopyRows"/>),
    /// and the last layer writes the block's columns of the result. Any other pass transposes each
    /// block into scratch borrowed from the network (in cache), checks it and runs it row-major; a
    /// last dense layer as wide as its input or wider (a decoder's output) then writes the block's
    /// columns of the result itself (<see cref="Network.RunIntoColumns"/>), any other output is
    /// transposed into place. Every way a row gives the bits the span calls give.
    /// </summary>
    public static unsafe bool RunMatrix(Network network, ReadOnlySpan<float> x, int rows, int first, int end, Span<float> result, bool fullHead = false)
    {
        fixed (float* px = x, pr = result)
        {
            var work = new MatrixWork
            {
                Network = network, X = px, Result = pr, First = first, End = end, FullHead = fullHead,
                Rows = rows, InputWidth = x.Length / rows, OutputWidth = result.Length / rows,
                IntoColumns = network.ColumnOutputLayer(first, end) is not null, // never a variational head, so fullHead changes nothing there
                FeatureMajor = network.RunsFeatureMajor(first, end),
            };
            return Run(network, ref work, rows, work.FeatureMajor ? FeatureMajorBlockRows(network, rows) : MatrixBlockRows(network, rows, work.IntoColumns));
        }
    }

    /// <summary>
    /// Summed element loss of reconstructing each row of a dense column-major <c>rows × InputSize</c>
    /// matrix's storage <paramref name="x"/> into <paramref name="sums"/>, each block's values checked
    /// against <paramref name="rule"/> first. A network of dense layers, batch normalizations and
    /// activations with a built-in loss runs each block feature-major as <see cref="RunMatrix"/> does and
    /// sums its rows' losses in that layout (<see cref="LossFunction.TryRowSumsFeatureMajor"/>, the
    /// bits of the row-major sums); any other copies the block's rows out row-major first, into scratch borrowed from the network.
    /// </summary>
    public static unsafe bool MatrixRowLossSums(Network network, LossFunction loss, ValueRule rule, ReadOnlySpan<float> x, int rows, Span<double> sums)
    {
        fixed (float* px = x)
        fixed (double* ps = sums)
        {
            var work = new MatrixLossWork
            {
                Network = network, Loss = loss, Rule = rule, X = px, Sums = ps, Rows = rows, Width = network.InputSize,
                FeatureMajor = network.RunsFeatureMajor(0, network.Layers.Count) && loss.SumsFeatureMajor(network.InputSize),
            };
            return Run(network, ref work, rows, work.FeatureMajor ? FeatureMajorBlockRows(network, rows) : MatrixBlockRows(network, rows, intoColumns: false));
        }
    }

    /// <summary>
    /// The fewest rows a block of a matrix call writes into the result's columns. The last layer's
    /// transposed product has the block's rows as its columns: a small block leaves most of a
    /// 32-column register tile empty (36 rows run as two tiles) and its activations run per unit on
    /// a few values each. M1's Reconstruct into a matrix of 256 rows (blocks of 36) fell from 0.80
    /// to 0.49–0.56 of ONNX Runtime's rows/s that way; blocks of 256 rows gained.
    /// </summary>
    internal const int MinColumnBlockRows = 128;

    /// <summary>
    /// Split blocks of a matrix call are a multiple of this many rows: of the product's six-row
    /// register tiles and of the transposes' eight-row tiles, so neither has a partial tile at a block's
    /// end. A 256-row batch on two threads runs as blocks of 48 instead of 36; into a matrix, ours/ORT,
    /// two alternating runs each: M1 Encode 0.66–0.69 → 0.71–0.76, M2 0.85–0.86 → 0.87–0.88.
    /// </summary>
    private const int MatrixBlockMultiple = 24;

    /// <summary>
    /// Rows per block of a matrix call on <paramref name="rows"/> rows: <see cref="BatchBlocks.BlockRows(Network, int)"/>
    /// rounded up to <see cref="MatrixBlockMultiple"/> when the batch is split, except that a pass whose
    /// output layer writes the result's columns (<paramref name="intoColumns"/>) is cut into blocks of
    /// <see cref="MinColumnBlockRows"/> rather than smaller ones once there are rows for two: fewer
    /// blocks a thread (less cover for a thread the OS delays), but each writes its columns instead of
    /// being transposed back. Into a matrix, two threads, ours/ORT, two alternating runs each: M1
    /// Reconstruct of 256 rows 0.67–0.69 → 0.69–0.74, of 512 rows 0.66 → 0.75–0.82; M2 0.83–0.85 →
    /// 0.92–0.93 and 0.86–0.87 → 0.93–0.95.
    /// </summary>
    internal static int MatrixBlockRows(Network network, int rows, bool intoColumns)
    {
        int block = BatchBlocks.BlockRows(network, rows);
        if (intoColumns && block < MinColumnBlockRows && rows >= 2 * MinColumnBlockRows && network.InferenceBlockRows >= MinColumnBlockRows)
        {
            return MinColumnBlockRows;
        }

        return block < network.InferenceBlockRows ? Math.Min((block + MatrixBlockMultiple - 1) / MatrixBlockMultiple * MatrixBlockMultiple, network.InferenceBlockRows) : block;
    }

    /// <summary>
    /// Matrices of more rows than this run their feature-major blocks from a gathered copy
    /// (<see cref="StridedRuns.CopyFinite"/>) instead of where they lie: a block's feature runs then
    /// lie more than 4 KiB apart, in as many pages, and the products reading them in place spend
    /// more waiting on memory than the copy costs. M1 Encode into a matrix of 8,192 rows, two
    /// threads, ours/ORT, two alternating runs each: 0.50–0.51 in place, 0.65–0.69 copied; at 256
    /// rows 0.86–0.89 in place, 0.77–0.81 copied; at 1,024 and 2,048 rows within noise.
    /// </summary>
    internal const int FeatureMajorCopyRows = 1024;

    /// <summary>
    /// Rows per block of a matrix call that runs feature-major: <see cref="BatchBlocks.BlockRows(Network, int)"/>,
    /// but cut into blocks of <see cref="MinColumnBlockRows"/> rather than smaller ones once there
    /// are rows for two, and other split blocks rounded up to a multiple of
    /// <see cref="FeatureMajorBlockMultiple"/>. The block's rows are the columns of every product,
    /// so a small block leaves register tiles part-filled and reads every weight for few rows. Into a
    /// matrix, two threads, ours/ORT, three alternating runs each, blocks of 128 against 64 (256 rows)
    /// or 96 (512 rows): M1 Encode of 512 rows 0.77–0.82 against 0.72–0.73, M2 0.94–0.95 against
    /// 0.85–0.87; only M1 Reconstruct of 256 rows did better in blocks of 64 (0.76–0.89 against 0.73–0.78).
    /// </summary>
    internal static int FeatureMajorBlockRows(Network network, int rows)
    {
        int block = BatchBlocks.BlockRows(network, rows);
        if (block < MinColumnBlockRows && rows >= 2 * MinColumnBlockRows && network.InferenceBlockRows >= MinColumnBlockRows)
        {
            return MinColumnBlockRows;
        }

        return block < network.InferenceBlockRows
            ? Math.Min((block + FeatureMajorBlockMultiple - 1) / FeatureMajorBlockMultiple * FeatureMajorBlockMultiple, network.InferenceBlockRows)
            : block;
    }

    /// <summary>Columns of the widest register tile of the products (<c>Gemm</c>'s 512-bit kernel; the 256-bit one's 16 divide it).</summary>
    private const int FeatureMajorBlockMultiple = 32;

    private unsafe struct MatrixWork : IBlockWork
    {
        public Network Network;
        public float* X;
        public float* Result;
        public int First;
        public int End;
        public bool FullHead;
        public int Rows;
        public int InputWidth;
        public int OutputWidth;

        /// <summary>Whether blocks of <see cref="MinColumnBlockRows"/> rows or more go through <see cref="Network.RunIntoColumns"/>.</summary>
        public bool IntoColumns;

        /// <summary>Whether blocks of two rows or more go through <see cref="Network.RunFeatureMajor"/> (a one-row block takes the row-major path).</summary>
        public bool FeatureMajor;

        public readonly bool Run(int start, int count)
        {
            if (FeatureMajor && count >= 2)
            {
                return RunFeatureMajor(start, count);
            }

            bool intoColumns = IntoColumns && count >= MinColumnBlockRows;
            float[] input = Network.Scratch.Floats.Rent(count * InputWidth);
            float[]? output = intoColumns ? null : Network.Scratch.Floats.Rent(count * OutputWidth);
            try
            {
                Span<float> rows = input.AsSpan(0, count * InputWidth);
                RowMajor.CopyRows(new ReadOnlySpan<float>(X, Rows * InputWidth), Rows, InputWidth, start, count, rows);
                if (!Finite.All(rows))
                {
                    return false;
                }

                if (intoColumns)
                {
                    // Value j of row start + i lands at j·Rows + start + i.
                    var destination = new Span<float>(Result + start, ((OutputWidth - 1) * Rows) + count);
                    Network.RunIntoColumns(First, End, rows, count, destination, Rows);
                    return true;
                }

                Network.Run(First, End, rows, count, output!.AsSpan(0, count * OutputWidth), fullHead: FullHead);
                RowMajor.WriteRows(output.AsSpan(0, count * OutputWidth), count, OutputWidth, new Span<float>(Result, Rows * OutputWidth), Rows, start);
                return true;
            }
            finally
            {
                Network.Scratch.Floats.Return(input);
                if (output is not null)
                {
                    Network.Scratch.Floats.Return(output);
                }
            }
        }

        /// <summary>
        /// The block through <see cref="Network.RunFeatureMajor"/>: read where it lies when the
        /// matrix is short enough that its columns lie close, else first gathered into scratch
        /// (<see cref="StridedRuns.CopyFinite"/>, see <see cref="FeatureMajorCopyRows"/>).
        /// </summary>
        private readonly bool RunFeatureMajor(int start, int count)
        {
            var x = new ReadOnlySpan<float>(X + start, ((InputWidth - 1) * Rows) + count);
            var destination = new Span<float>(Result + start, ((OutputWidth - 1) * Rows) + count);
            float[]? gathered = Rows > FeatureMajorCopyRows ? Network.Scratch.Floats.Rent(count * InputWidth) : null;
            try
            {
                if (!ReadFeatureMajor(x, Rows, InputWidth, count, ValueRule.AnyFinite, gathered, out ReadOnlySpan<float> block, out int stride))
                {
                    return false;
                }

                Network.RunFeatureMajor(First, End, block, stride, count, destination, Rows);
                return true;
            }
            finally
            {
                if (gathered is not null)
                {
                    Network.Scratch.Floats.Return(gathered);
                }
            }
        }
    }

    /// <summary>
    /// A block of <paramref name="count"/> rows of a feature-major matrix of <paramref name="rows"/>
    /// rows (<paramref name="x"/> starts at the block's first row), ready to be read with every value
    /// checked against <paramref name="rule"/>: where it lies (<paramref name="stride"/> = <paramref name="rows"/>),
    /// or, given <paramref name="gathered"/> (for a matrix of more than <see cref="FeatureMajorCopyRows"/>
    /// rows), copied into it (<see cref="StridedRuns.CopyFinite"/>; <paramref name="stride"/> = <paramref name="count"/>).
    /// False when a value is refused.
    /// </summary>
    private static bool ReadFeatureMajor(
        ReadOnlySpan<float> x, int rows, int width, int count, ValueRule rule, float[]? gathered, out ReadOnlySpan<float> block, out int stride)
    {
        if (gathered is null)
        {
            block = x;
            stride = rows;
            for (int i = 0; i < width; i++)
            {
                if (!RowChecks.Allowed(x.Slice(i * rows, count), rule))
                {
                    return false;
                }
            }

            return true;
        }

        block = gathered.AsSpan(0, count * width);
        stride = count;
        return StridedRuns.CopyFinite(x, rows, width, count, gathered) && (rule == ValueRule.AnyFinite || RowChecks.Allowed(block, rule));
    }

    private unsafe struct MatrixLossWork : IBlockWork
    {
        public Network Network;
        public LossFunction Loss;
        public ValueRule Rule;
        public float* X;
        public double* Sums;
        public int Rows;
        public int Width;

        /// <summary>Whether blocks of two rows or more run feature-major and sum their losses in that layout.</summary>
        public bool FeatureMajor;

        public readonly bool Run(int start, int count)
        {
            if (FeatureMajor && count >= 2)
            {
                return RunFeatureMajor(start, count);
            }

            float[] block = Network.Scratch.Floats.Rent(count * Width);
            try
            {
                Span<float> rows = block.AsSpan(0, count * Width);
                RowMajor.CopyRows(new ReadOnlySpan<float>(X, Rows * Width), Rows, Width, start, count, rows);
                if (!RowChecks.Allowed(rows, Rule))
                {
                    return false;
                }

                Scoring.RowLossSums(Network, Loss, rows, count, new Span<double>(Sums + start, count));
                return true;
            }
            finally
            {
                Network.Scratch.Floats.Return(block);
            }
        }

        /// <summary>
        /// The block feature-major: checked where it lies, or gathered from a tall matrix
        /// (<see cref="FeatureMajorCopyRows"/>), run through the network into scratch, its rows' losses
        /// summed against it in that layout.
        /// </summary>
        private readonly bool RunFeatureMajor(int start, int count)
        {
            ArrayPool<float> arrays = Network.Scratch.Floats;
            var x = new ReadOnlySpan<float>(X + start, ((Width - 1) * Rows) + count);
            float[] output = arrays.Rent(count * Width);
            float[]? logits = Loss.FromLogits ? arrays.Rent(count * Width) : null;
            float[]? gathered = Rows > FeatureMajorCopyRows ? arrays.Rent(count * Width) : null;
            try
            {
                if (!ReadFeatureMajor(x, Rows, Width, count, Rule, gathered, out ReadOnlySpan<float> input, out int stride))
                {
                    return false;
                }

                Span<float> reconstruction = output.AsSpan(0, count * Width);
                Span<float> preActivation = logits is null ? default : logits.AsSpan(0, count * Width);
                Network.RunFeatureMajor(0, Network.Layers.Count, input, stride, count, reconstruction, count, preActivation);
                if (!Loss.TryRowSumsFeatureMajor(preActivation, reconstruction, count, input, stride, count, Width, new Span<double>(Sums + start, count)))
                {
                    throw new InvalidOperationException(Invariant($"The loss {Loss.Loss} has no feature-major sums for rows of {Width} values."));
                }

                return true;
            }
            finally
            {
                arrays.Return(output);
                if (logits is not null)
                {
                    arrays.Return(logits);
                }

                if (gathered is not null)
                {
                    arrays.Return(gathered);
                }
            }
        }
    }
}

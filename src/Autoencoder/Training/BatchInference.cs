using Autoencoder.Data;
using Autoencoder.Kernels;
using Autoencoder.Losses;
using Autoencoder.Model;

namespace Autoencoder.Training;

/// <summary>
/// The batch calls' passes over a network, block by block on the pool's threads
/// (<see cref="BatchBlocks"/>): each block's input is checked while it is about to be read anyway
/// (so a large input is not read once more just to be checked), then run through the layers. A
/// pass returns false when a block's input was refused; the caller then runs its full check, which
/// names the first bad value, and throws. What was written to the output until then is not defined.
/// </summary>
internal static partial class BatchInference
{
    /// <summary>
    /// Layers <c>[first, end)</c> on <paramref name="rows"/> row-major rows of <paramref name="x"/>
    /// into <paramref name="output"/> (row-major), each block's values checked to be finite first.
    /// </summary>
    public static unsafe bool RunRows(Network network, ReadOnlySpan<float> x, int rows, int first, int end, Span<float> output, bool fullHead = false)
    {
        fixed (float* px = x, po = output)
        {
            var work = new RowsWork
            {
                Network = network, X = px, Output = po, First = first, End = end, FullHead = fullHead,
                InputWidth = x.Length / rows, OutputWidth = output.Length / rows,
            };
            return Run(network, ref work, rows);
        }
    }

    /// <summary>
    /// The mean element loss of reconstructing each row of row-major <paramref name="x"/> into
    /// <paramref name="errors"/> (the summed loss in double, divided by the width, rounded once),
    /// each block's values checked against <paramref name="rule"/> first.
    /// </summary>
    public static unsafe bool RowErrors(Network network, LossFunction loss, ValueRule rule, ReadOnlySpan<float> x, int rows, Span<float> errors)
    {
        fixed (float* px = x, pe = errors)
        {
            var work = new LossWork { Network = network, Loss = loss, Rule = rule, X = px, Errors = pe, Width = network.InputSize };
            return Run(network, ref work, rows);
        }
    }

    /// <summary>
    /// <paramref name="work"/> over the call's blocks; a call that is one block of a large network
    /// keeps the helpers awake, since its products then split over the threads layer after layer.
    /// </summary>
    private static bool Run<TWork>(Network network, ref TWork work, int rows)
        where TWork : struct, IBlockWork
        => Run(network, ref work, rows, BatchBlocks.BlockRows(network, rows));

    private static bool Run<TWork>(Network network, ref TWork work, int rows, int block)
        where TWork : struct, IBlockWork
    {
        using WorkerPool.AwakeScope awake = BatchBlocks.Count(rows, block) == 1 ? network.AwakeFor(rows) : default;
        return BatchBlocks.Run(ref work, rows, block);
    }

    private unsafe struct RowsWork : IBlockWork
    {
        public Network Network;
        public float* X;
        public float* Output;
        public int First;
        public int End;
        public bool FullHead;
        public int InputWidth;
        public int OutputWidth;

        public readonly bool Run(int start, int count)
        {
            var x = new ReadOnlySpan<float>(X + ((long)start * InputWidth), count * InputWidth);
            if (!Finite.All(x))
            {
                return false;
            }

            Network.Run(First, End, x, count, new Span<float>(Output + ((long)start * OutputWidth), count * OutputWidth), fullHead: FullHead);
            return true;
        }
    }

    private unsafe struct LossWork : IBlockWork
    {
        public Network Network;
        public LossFunction Loss;
        public ValueRule Rule;
        public float* X;
        public float* Errors;
        public int Width;

        public readonly bool Run(int start, int count)
        {
            var x = new ReadOnlySpan<float>(X + ((long)start * Width), count * Width);
            if (!RowChecks.Allowed(x, Rule))
            {
                return false;
            }

            Span<double> sums = stackalloc double[count]; // a block has at most MaxInferenceBlockRows rows
            Scoring.RowLossSums(Network, Loss, x, count, sums);
            for (int i = 0; i < count; i++)
            {
                Errors[start + i] = (float)(sums[i] / Width);
            }

            return true;
        }
    }
}

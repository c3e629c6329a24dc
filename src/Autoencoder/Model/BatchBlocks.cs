using System.Runtime.CompilerServices;
using Autoencoder.Kernels;

namespace Autoencoder.Model;

/// <summary>One block of a batch call: rows (or samples) <c>[start, start + count)</c>.</summary>
internal interface IBlockWork
{
    /// <summary>
    /// Processes the block; returns false when its input is not acceptable (a value that is not
    /// finite, say), which the caller then finds and names. Runs on any of the pool's threads, so it
    /// writes only the block's own output and keeps its scratch to itself.
    /// </summary>
    bool Run(int start, int count);
}

/// <summary>
/// Runs a batch call block by block on the <see cref="WorkerPool"/>'s threads: each thread takes
/// the next whole block through every layer on its own (its products and element-wise passes then
/// run on that thread alone), so threads meet once per call instead of once per layer and block, and
/// a block's activations stay in that core's cache from one layer to the next. A row's result never
/// depends on the block it falls in (no block has one row unless the call does, see
/// <see cref="Range"/>), so the bits are those of one thread.
/// </summary>
internal static class BatchBlocks
{
    /// <summary>Blocks per thread a small batch is cut into, so a thread the OS delays holds up one small block, not half the call.</summary>
    private const int BlocksPerThread = 4;

    /// <summary>
    /// The fewest rows a block is cut down to when a batch is split for the threads: below that
    /// the products' register tiles (six rows) run mostly partly filled and the weights are read
    /// once per few rows.
    /// </summary>
    private const int MinSplitRows = 24;

    /// <summary>
    /// Parameters (floats) above which a small batch is not cut into more blocks than its full
    /// ones (1M floats, 4 MiB: past the L2 caches of both cores). Each block reads every weight, and
    /// a block a thread runs alone runs its products alone. Span calls on 256 rows, two threads:
    /// M3 (2.8M weights) reconstructed 20,300–25,400 rows/s as 36-row blocks and 26,900–30,100 as
    /// one block whose products use both threads; for M1 and M2 (50K and 221K weights) the cut
    /// blocks were 1.3 to 2.0 times faster.
    /// </summary>
    public const int MaxSplitParameters = 1 << 20;

    /// <summary>
    /// Rows per block of a batch call on <paramref name="network"/> with <paramref name="rows"/>
    /// rows: <see cref="Network.InferenceBlockRows"/>, or fewer (a multiple of six, at least
    /// <see cref="MinSplitRows"/>) when the batch is too small to give every thread
    /// <see cref="BlocksPerThread"/> full blocks and the weights are few enough to be read once
    /// per block (<see cref="MaxSplitParameters"/>).
    /// </summary>
    public static int BlockRows(Network network, int rows) => BlockRows(rows, network.InferenceBlockRows, network.Parameters.Length);

    /// <summary><see cref="BlockRows(Network, int)"/> for a network with <paramref name="parameters"/> weights and blocks of at most <paramref name="maxBlock"/> rows.</summary>
    public static int BlockRows(int rows, int maxBlock, int parameters)
    {
        int threads = WorkerPool.MaxDegreeOfParallelism;
        if (threads == 1 || parameters > MaxSplitParameters || (long)rows >= (long)threads * BlocksPerThread * maxBlock)
        {
            return maxBlock;
        }

        int split = (rows + (threads * BlocksPerThread) - 1) / (threads * BlocksPerThread);
        split = (split + 5) / 6 * 6;
        return Math.Clamp(split, Math.Min(MinSplitRows, maxBlock), maxBlock);
    }

    /// <summary>Number of blocks <see cref="Range"/> cuts <paramref name="rows"/> rows into.</summary>
    public static int Count(int rows, int block) => (rows + block - 1) / block;

    /// <summary>
    /// Block <paramref name="index"/> of <paramref name="rows"/> rows in blocks of
    /// <paramref name="block"/>: full blocks in order, except that a single row left at the end
    /// (when the block holds more than two) makes the last two blocks <c>block − 1</c> and 2 rows, as
    /// <see cref="RowGuard.NextBlock"/> cuts them (a one-row block would take the one-row product).
    /// </summary>
    public static (int Start, int Count) Range(int rows, int block, int index)
    {
        int blocks = Count(rows, block);
        int start = index * block, end = Math.Min(start + block, rows);
        if (blocks > 1 && block > 2 && rows % block == 1)
        {
            end -= index == blocks - 2 ? 1 : 0;
            start -= index == blocks - 1 ? 1 : 0;
        }

        return (start, end - start);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on every block of <paramref name="rows"/> rows (blocks of
    /// <paramref name="block"/>, cut by <see cref="Range"/>) on the pool's threads and returns
    /// whether every block accepted its input. <paramref name="work"/> must be a local of the caller
    /// (on its stack) and reach its data through pinned pointers. A block's exception is rethrown
    /// once every block has finished.
    /// </summary>
    public static unsafe bool Run<TWork>(ref TWork work, int rows, int block)
        where TWork : struct, IBlockWork
    {
        int blocks = Count(rows, block);
        if (blocks == 1)
        {
            return work.Run(0, rows);
        }

        var state = new State { Work = Unsafe.AsPointer(ref work), Rows = rows, Block = block, Accepted = 1 };
        for (int first = 0; first < blocks; first += WorkerPool.MaxParts)
        {
            state.First = first;
            WorkerPool.Run(WorkerPool.MaxDegreeOfParallelism, Math.Min(WorkerPool.MaxParts, blocks - first), &RunBlock<TWork>, &state);
        }

        return state.Accepted == 1;
    }

    private unsafe struct State
    {
        /// <summary>The caller's work struct, on its stack (so the GC never moves it, and reports what it references).</summary>
        public void* Work;
        public int Rows;
        public int Block;
        public int First;

        /// <summary>1 until a block refuses its input.</summary>
        public int Accepted;
    }

    private static unsafe void RunBlock<TWork>(void* pointer, int part, int parts)
        where TWork : struct, IBlockWork
    {
        ref State state = ref *(State*)pointer;
        var (start, count) = Range(state.Rows, state.Block, state.First + part);
        if (!Unsafe.AsRef<TWork>(state.Work).Run(start, count))
        {
            Volatile.Write(ref state.Accepted, 0);
        }
    }
}

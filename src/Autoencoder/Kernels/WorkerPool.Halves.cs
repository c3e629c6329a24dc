using System.Runtime.CompilerServices;

namespace Autoencoder.Kernels;

/// <summary>Element-wise work over a range, run whole or in two fixed halves by <see cref="WorkerPool.InHalves"/>.</summary>
internal interface IRangeWork
{
    /// <summary>Processes elements <c>[start, start + length)</c> as part <paramref name="part"/> (0, or 0 and 1).</summary>
    void Run(int part, int start, int length);
}

internal static partial class WorkerPool
{
    /// <summary>
    /// Runs <paramref name="work"/> over <c>[0, length)</c>: in one part on the calling thread when
    /// <paramref name="length"/> is below <paramref name="parallelMinimum"/>, else in exactly two
    /// halves cut at a multiple of <paramref name="alignment"/>, on two threads when they are free.
    /// How the range is cut depends on its length alone, never on the thread count, so a reduction
    /// that adds its halves' results in part order gives the same bits on one thread or two; with the
    /// alignment a multiple of every vector width, each element takes the same vector or scalar path
    /// as in one undivided pass. <paramref name="work"/> must be a local of the caller (on its stack)
    /// and hold pointers to pinned data; it may record per-part results in itself.
    /// </summary>
    public static unsafe void InHalves<TWork>(ref TWork work, int length, int parallelMinimum, int alignment = 64)
        where TWork : struct, IRangeWork
    {
        if (length < parallelMinimum)
        {
            work.Run(0, 0, length);
            return;
        }

        var halves = new Halves { Work = Unsafe.AsPointer(ref work), Length = length, Alignment = alignment };
        Run(MaxDegreeOfParallelism, 2, &RunHalf<TWork>, &halves);
    }

    /// <summary>
    /// Range of part <paramref name="part"/> of <paramref name="parts"/> over <paramref name="length"/>
    /// elements, cut at multiples of <paramref name="alignment"/>: with the alignment a multiple of
    /// every vector width, each element takes the same vector or scalar path as in one undivided pass.
    /// </summary>
    public static (int Start, int Length) PartRange(int length, int part, int parts, int alignment = 64)
    {
        long blocks = (length + alignment - 1) / alignment;
        int start = (int)Math.Min(blocks * part / parts * alignment, length);
        int end = (int)Math.Min(blocks * (part + 1) / parts * alignment, length);
        return (start, end - start);
    }

    private unsafe struct Halves
    {
        /// <summary>The caller's work struct, on its stack (so the GC never moves it, and reports what it references).</summary>
        public void* Work;
        public int Length;
        public int Alignment;
    }

    private static unsafe void RunHalf<TWork>(void* state, int part, int parts)
        where TWork : struct, IRangeWork
    {
        ref Halves halves = ref *(Halves*)state;
        var (start, length) = PartRange(halves.Length, part, parts, halves.Alignment);
        Unsafe.AsRef<TWork>(halves.Work).Run(part, start, length);
    }
}

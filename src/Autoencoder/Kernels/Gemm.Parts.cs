namespace Autoencoder.Kernels;

internal static partial class Gemm
{
    /// <summary>
    /// Runs <c>work(state, part, parts)</c> for every part in <c>[0, parts)</c> on the product
    /// threads (the caller and the parked helpers, at most <see cref="MaxDegreeOfParallelism"/>),
    /// and returns when all are done. For element-wise work between products: each part must touch
    /// only its own elements, so the result never depends on which thread ran which part.
    /// Allocates nothing; <paramref name="state"/> must stay valid (e.g. on the caller's stack)
    /// until the call returns, which it does only after every part has finished.
    /// </summary>
    public static unsafe void RunParts(int parts, delegate*<void*, int, int, void> work, void* state)
    {
        int threads = Math.Min(MaxDegreeOfParallelism, parts);
        if (threads <= 1)
        {
            for (int part = 0; part < parts; part++)
            {
                work(state, part, parts);
            }

            return;
        }

        var job = new Job { Work = work, WorkState = state, Threads = threads, Parts = parts };
        RunParallel(in job);
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
}

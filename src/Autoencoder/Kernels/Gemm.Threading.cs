using System.Runtime.ExceptionServices;

namespace Autoencoder.Kernels;

internal static partial class Gemm
{
    // One product at a time uses the helper threads; a product that finds them busy (another
    // thread is multiplying) runs on its own thread, which gives the same bits.
    private static int helpersBusy;
    private static Helper[] helpers = [];
    private static Job sharedJob;
    private static int pendingParts;
    private static Exception? helperFailure;

    // The events' default short spin before sleeping: longer spins (spinCount 2000) cost
    // about 2 ms of a core after every product, and bought nothing measurable.
    private static readonly ManualResetEventSlim AllPartsDone = new(false);

    /// <summary>
    /// Runs the slabs of <paramref name="job"/>: slab 0 on the calling thread, the others on
    /// dedicated helper threads. A fixed set of parked threads and preallocated events, rather
    /// than <c>Parallel.For</c>, so a product allocates nothing and wakes in a few microseconds.
    /// </summary>
    private static void RunParallel(in Job job)
    {
        if (Interlocked.CompareExchange(ref helpersBusy, 1, 0) != 0)
        {
            Job alone = job;
            alone.Parts = 1;
            RunPart(in alone, 0);
            return;
        }

        try
        {
            EnsureHelpers(job.Parts - 1);
            sharedJob = job;
            helperFailure = null;
            Volatile.Write(ref pendingParts, job.Parts - 1);
            AllPartsDone.Reset();
            for (int part = 1; part < job.Parts; part++)
            {
                helpers[part - 1].Start(part);
            }

            try
            {
                RunPart(in sharedJob, 0);
            }
            finally
            {
                // The helpers hold pointers into the caller's pinned spans: never return
                // (even by exception) before they are done.
                AllPartsDone.Wait();
            }

            if (helperFailure is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            Volatile.Write(ref helpersBusy, 0);
        }
    }

    private static void EnsureHelpers(int count)
    {
        if (helpers.Length >= count)
        {
            return;
        }

        var grown = new Helper[count];
        helpers.CopyTo(grown, 0);
        for (int i = helpers.Length; i < count; i++)
        {
            grown[i] = new Helper(i + 1);
        }

        helpers = grown;
    }

    /// <summary>A background thread parked on its own event until it is handed a slab.</summary>
    private sealed class Helper
    {
        private readonly ManualResetEventSlim start = new(false);
        private int part;

        public Helper(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Gemm helper {index}" };
            thread.Start();
        }

        public void Start(int slab)
        {
            part = slab;
            start.Set();
        }

        private void Loop()
        {
            while (true)
            {
                start.Wait();
                start.Reset();
                try
                {
                    RunPart(in sharedJob, part);
                }
                catch (Exception e)
                {
                    helperFailure = e;
                }

                if (Interlocked.Decrement(ref pendingParts) == 0)
                {
                    AllPartsDone.Set();
                }
            }
        }
    }
}

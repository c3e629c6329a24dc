using System.Runtime.ExceptionServices;

namespace Autoencoder.Kernels;

internal static partial class Gemm
{
    // One product at a time uses the helper threads; a product that finds them busy (another
    // thread is multiplying) runs on its own thread, which gives the same bits.
    private static int helpersBusy;
    private static Helper[] helpers = [];
    private static Job sharedJob;

    // Generation of the current product (bits 32-63), its slab count (16-31) and the next
    // unclaimed slab (0-15), in one word so a claim checks all three at once. A helper that
    // wakes late may copy sharedJob while the next product is being written; its claim then
    // fails, because the copy is never trusted for the bounds or the generation.
    private static long schedule;
    private static int generation;
    private static int completedParts;
    private static Exception? partFailure;

    // The events' default short spin before sleeping: longer spins (spinCount 2000) cost
    // about 2 ms of a core after every product, and bought nothing measurable.
    private static readonly ManualResetEventSlim AllPartsDone = CreateEvent();

    /// <summary>
    /// A ManualResetEventSlim allocates its internal lock the first time a thread really blocks
    /// on it, which would otherwise happen at an unpredictable product deep into training. One
    /// short blocking wait here moves that allocation to start-up, so steady-state training
    /// allocates nothing.
    /// </summary>
    private static ManualResetEventSlim CreateEvent()
    {
        var e = new ManualResetEventSlim(false);
        e.Wait(1);
        return e;
    }

    /// <summary>
    /// Runs the slabs of <paramref name="job"/> on the calling thread and job.Threads − 1
    /// dedicated helpers, each taking the next unclaimed slab until none is left. A fixed set
    /// of parked threads and preallocated events, rather than <c>Parallel.For</c>, so a
    /// product allocates nothing and wakes its helpers in microseconds.
    /// </summary>
    private static unsafe void RunParallel(in Job job)
    {
        if (Interlocked.CompareExchange(ref helpersBusy, 1, 0) != 0)
        {
            if (job.Work != null)
            {
                // Element-wise work keeps its parts (a reduction's halves are added as always).
                RunPartsInline(in job);
                return;
            }

            Job alone = job;
            alone.Threads = 1;
            alone.Parts = 1;
            RunPart(in alone, 0);
            return;
        }

        try
        {
            EnsureHelpers(job.Threads - 1);
            sharedJob = job;
            partFailure = null;
            Volatile.Write(ref completedParts, 0);
            AllPartsDone.Reset();
            generation++;

            // Publishing the schedule releases the job written above to any thread that reads it.
            Volatile.Write(ref schedule, ((long)(uint)generation << 32) | ((long)job.Parts << 16));
            for (int i = 0; i < job.Threads - 1; i++)
            {
                helpers[i].Wake();
            }

            try
            {
                TakeParts();
            }
            finally
            {
                // Helpers working on a slab hold pointers into the caller's pinned spans:
                // never return (even by exception) before every slab is done.
                AllPartsDone.Wait();
            }

            if (partFailure is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            Volatile.Write(ref helpersBusy, 0);
        }
    }

    private static unsafe void RunPartsInline(in Job job)
    {
        for (int part = 0; part < job.Parts; part++)
        {
            job.Work(job.WorkState, part, job.Parts);
        }
    }

    /// <summary>Claims and runs slabs of the current product until none is left.</summary>
    private static void TakeParts()
    {
        long state = Volatile.Read(ref schedule);
        int current = (int)(state >> 32);
        Job job = sharedJob;
        while (true)
        {
            // A claim succeeds only while the generation is unchanged and slabs remain; the
            // job is rewritten only after all its slabs are done, so after a successful claim
            // the copy above is the claimed product's.
            state = Volatile.Read(ref schedule);
            int part = (int)(state & 0xFFFF);
            int parts = (int)((state >> 16) & 0xFFFF);
            if ((int)(state >> 32) != current || part >= parts)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref schedule, state + 1, state) != state)
            {
                continue;
            }

            try
            {
                RunPart(in job, part);
            }
            catch (Exception e)
            {
                partFailure = e;
            }
            finally
            {
                if (Interlocked.Increment(ref completedParts) == parts)
                {
                    AllPartsDone.Set();
                }
            }
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

    /// <summary>A background thread parked on its own event until there are slabs to take.</summary>
    private sealed class Helper
    {
        private readonly ManualResetEventSlim wake = CreateEvent();

        public Helper(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = Invariant($"Gemm helper {index}") };
            thread.Start();
        }

        public void Wake() => wake.Set();

        private void Loop()
        {
            while (true)
            {
                wake.Wait();

                // Reset before looking for work: a wake-up that arrives from here on stays
                // set, so no product published after this point is slept through.
                wake.Reset();
                TakeParts();
            }
        }
    }
}

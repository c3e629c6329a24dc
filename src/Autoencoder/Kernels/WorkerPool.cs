using System.Runtime.ExceptionServices;

namespace Autoencoder.Kernels;

/// <summary>
/// The library's threads: the calling thread plus parked helper threads, shared by the matrix
/// product (its output slabs) and the element-wise kernels (<see cref="InHalves"/>). A fixed set of
/// threads and preallocated events, rather than <c>Parallel.For</c>, so a call allocates nothing
/// and wakes its helpers in microseconds. Work is split by output only and each part's result
/// never depends on which thread ran it, so results are bit-identical for any thread count.
/// </summary>
internal static partial class WorkerPool
{
    private static int maxDegreeOfParallelism = Environment.ProcessorCount;

    // One call at a time uses the helpers; a call that finds them busy (another thread is
    // running one, or this is a nested call from inside a part) runs its parts on its own
    // thread, in order, which gives the same bits.
    private static int helpersBusy;
    private static Helper[] helpers = [];  // replaced whole when it grows, so a reader sees one array or the other
    private static unsafe delegate*<void*, int, int, void> sharedWork;
    private static unsafe void* sharedState;

    // Generation of the current call (bits 32-63), its part count (16-31) and the next unclaimed
    // part (0-15), in one word so a claim checks all three at once. A helper that wakes late may
    // read the shared work while the next call is being written; its claim then fails, because
    // what it read is never trusted for the bounds or the generation.
    private static long schedule;
    private static int generation;
    private static int completedParts;
    private static Exception? partFailure;

    // The events' default short spin before sleeping: longer spins (spinCount 2000) cost about
    // 2 ms of a core after every product, and bought nothing measurable.
    private static readonly ManualResetEventSlim AllPartsDone = CreateEvent();

    /// <summary>The most parts one call may number: the scheduler keeps part indices in 16 bits.</summary>
    public const int MaxParts = 0xFFFF;

    /// <summary>
    /// Upper bound on the threads one call may use (at least 1; defaults to
    /// <see cref="Environment.ProcessorCount"/>). Results do not depend on it.
    /// </summary>
    public static int MaxDegreeOfParallelism
    {
        get => Volatile.Read(ref maxDegreeOfParallelism);
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), Invariant($"{nameof(MaxDegreeOfParallelism)} must be at least 1; got {value}."));
            }

            Volatile.Write(ref maxDegreeOfParallelism, value);
        }
    }

    /// <summary>
    /// Runs <c>work(state, part, parts)</c> for every part in <c>[0, parts)</c> on up to
    /// <paramref name="threads"/> threads (the caller and <c>threads − 1</c> helpers, each taking
    /// the next unclaimed part until none is left) and returns when all are done, rethrowing a
    /// part's exception. Each part must touch only its own output. Allocates nothing;
    /// <paramref name="state"/> must stay valid (e.g. on the caller's stack, pinned data) until
    /// the call returns, which it does only after every part has finished.
    /// </summary>
    public static unsafe void Run(int threads, int parts, delegate*<void*, int, int, void> work, void* state)
    {
        if (parts < 1 || parts > MaxParts)
        {
            throw new ArgumentOutOfRangeException(nameof(parts), Invariant($"A call has 1 to {MaxParts} parts; got {parts}."));
        }

        threads = Math.Min(threads, parts);
        if (threads <= 1 || Interlocked.CompareExchange(ref helpersBusy, 1, 0) != 0)
        {
            for (int part = 0; part < parts; part++)
            {
                work(state, part, parts);
            }

            return;
        }

        try
        {
            EnsureHelpers(threads - 1);
            sharedWork = work;
            sharedState = state;
            partFailure = null;
            Volatile.Write(ref completedParts, 0);
            AllPartsDone.Reset();
            generation++;

            // Publishing the schedule releases the work written above to any thread that reads it.
            Volatile.Write(ref schedule, ((long)(uint)generation << 32) | ((long)parts << 16));
            for (int i = 0; i < threads - 1; i++)
            {
                helpers[i].Wake();
            }

            try
            {
                TakeParts();
            }
            finally
            {
                // Helpers working on a part hold pointers into the caller's pinned data: never
                // return (even by exception) before every part is done. While helpers are awake the
                // caller polls too (the last part's Set comes within a fraction of a microsecond);
                // otherwise it sleeps on the event, and the last part's Set wakes it. Either way it
                // waits for the Set itself, the last thing a part does with this call.
                if (HelpersAwake)
                {
                    while (!AllPartsDone.IsSet)
                    {
                        Thread.SpinWait(1);
                    }
                }
                else
                {
                    AllPartsDone.Wait();
                }
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

    /// <summary>Claims and runs parts of the current call until none is left.</summary>
    private static unsafe void TakeParts()
    {
        long state = Volatile.Read(ref schedule);
        int current = (int)(state >> 32);
        delegate*<void*, int, int, void> work = sharedWork;
        void* workState = sharedState;
        while (true)
        {
            // A claim succeeds only while the generation is unchanged and parts remain; the work
            // is rewritten only after all its parts are done, so after a successful claim the
            // copy above is the claimed call's.
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
                work(workState, part, parts);
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

        Volatile.Write(ref helpers, grown);
    }

    /// <summary>
    /// A ManualResetEventSlim allocates its internal lock the first time a thread really blocks on
    /// it, which would otherwise happen at an unpredictable call deep into training. One short
    /// blocking wait here moves that allocation to start-up, so steady-state training allocates nothing.
    /// </summary>
    private static ManualResetEventSlim CreateEvent()
    {
        var e = new ManualResetEventSlim(false);
        e.Wait(1);
        return e;
    }

    /// <summary>A background thread parked on its own event until there are parts to take.</summary>
    private sealed class Helper
    {
        private readonly ManualResetEventSlim wake = CreateEvent();

        public Helper(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = Invariant($"Autoencoder worker {index}") };
            thread.Start();
        }

        public void Wake() => wake.Set();

        private void Loop()
        {
            while (true)
            {
                wake.Wait();

                // Reset before looking for work: a wake-up that arrives from here on stays set,
                // so no call published after this point is slept through.
                wake.Reset();
                TakeParts();
                PollWhileAwake();
            }
        }
    }
}

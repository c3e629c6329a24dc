using System.Diagnostics;

namespace Autoencoder.Kernels;

internal static partial class WorkerPool
{
    /// <summary>
    /// How long helpers keep polling after the last <see cref="Awake"/> scope closes (100 µs): a
    /// caller scoring rows one at a time, or starting the next training step, is back within it, and
    /// finds them awake instead of paying a wake-up.
    /// </summary>
    private static readonly long LingerTicks = Stopwatch.Frequency / 10_000;

    /// <summary>Open <see cref="Awake"/> scopes, on any thread.</summary>
    private static int awakeScopes;

    /// <summary>Timestamp until which helpers keep polling although no scope is open.</summary>
    private static long lingerUntil;

    /// <summary>
    /// Whether helpers that run out of parts keep polling for the next call rather than sleeping:
    /// while an <see cref="Awake"/> scope is open, and briefly after.
    /// </summary>
    public static bool HelpersAwake =>
        Volatile.Read(ref awakeScopes) > 0 || Stopwatch.GetTimestamp() < Volatile.Read(ref lingerUntil);

    /// <summary>
    /// Opens a scope for a caller about to make many short calls in a row (a training step, a one-row
    /// pass whose every layer splits over the threads): the helpers are woken now, while the caller
    /// starts its first piece of work, and poll for the next call instead of sleeping until the scope
    /// is disposed (and <see cref="LingerTicks"/> after). Waking a sleeping thread takes tens of
    /// microseconds on a virtual machine, more than such a call's share of work; a polling helper
    /// takes the next call within a fraction of a microsecond. The helpers' cores are busy meanwhile,
    /// as OpenMP's and ONNX Runtime's spinning threads keep theirs. Changes no result.
    /// </summary>
    public static AwakeScope Awake()
    {
        if (MaxDegreeOfParallelism <= 1)
        {
            return default;
        }

        if (Interlocked.Increment(ref awakeScopes) == 1)
        {
            // Helpers made later by the first call wake when it wakes them.
            foreach (Helper helper in Volatile.Read(ref helpers))
            {
                helper.Wake();
            }
        }

        return new AwakeScope(true);
    }

    /// <summary>Whether the current call has unclaimed parts (a polling helper's cheap check before trying to claim one).</summary>
    private static bool PartsWaiting()
    {
        long state = Volatile.Read(ref schedule);
        return (state & 0xFFFF) < ((state >> 16) & 0xFFFF);
    }

    /// <summary>Polls for calls while <see cref="HelpersAwake"/>, taking their parts.</summary>
    private static void PollWhileAwake()
    {
        while (HelpersAwake)
        {
            if (PartsWaiting())
            {
                TakeParts();
            }
            else
            {
                Thread.SpinWait(1);
            }
        }
    }

    /// <summary>Keeps the helpers polling until disposed (see <see cref="Awake"/>).</summary>
    internal readonly struct AwakeScope : IDisposable
    {
        private readonly bool _open;

        public AwakeScope(bool open) => _open = open;

        public void Dispose()
        {
            if (_open)
            {
                Volatile.Write(ref lingerUntil, Stopwatch.GetTimestamp() + LingerTicks);
                Interlocked.Decrement(ref awakeScopes);
            }
        }
    }
}

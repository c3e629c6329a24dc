using System.Diagnostics;

namespace Autoencoder.Benchmarks.Onnx;

/// <summary>The timed loop of one batch call on both sides.</summary>
internal static class BatchMeasure
{
    /// <summary>Untimed calls on a slice of the data before the full-size warm-up: past the JIT's tier-up threshold.</summary>
    public const int WarmupSliceCalls = 50;

    /// <summary>Rows of that slice.</summary>
    public const int WarmupSliceRows = 64;

    /// <summary>
    /// Measures <paramref name="call"/> on the first <paramref name="rows"/> rows through
    /// <paramref name="api"/>. Warm-up per side: <see cref="WarmupSliceCalls"/> calls on
    /// <see cref="WarmupSliceRows"/> rows (a method run once per call reaches the JIT's optimised
    /// tier only after about 30 calls, and one full-size call of M3 can take a second), then
    /// full-size calls for at least <see cref="OnnxBenchmarkOptions.WarmupSeconds"/>, each timed.
    /// From the median time of the second half of those calls each side gets its number of calls
    /// per repetition, enough to last <see cref="OnnxBenchmarkOptions.RepSeconds"/> (at least one):
    /// a 256-row call takes well under a millisecond, too short to time alone. Then
    /// <see cref="OnnxBenchmarkOptions.Reps"/> timed repetitions per side, the two sides alternating
    /// which goes first so they share the machine's drifts; a full garbage collection precedes each
    /// repetition, outside the timing, with our previous result already dropped. Inside a
    /// repetition our matrix calls allocate their results (that is the method), and the collections
    /// those allocations cause are timed with them.
    /// </summary>
    public static BatchComparison Run(ModelPair pair, BatchCall call, BatchApi api, float[] rowMajor, int rows, OnnxBenchmarkOptions options, Action<string> log)
    {
        string name = $"{pair.Spec.Name} {call.MethodName()}({api.ToString().ToLowerInvariant()}) {rows} rows, {pair.Threads} thread{(pair.Threads == 1 ? "" : "s")}";
        using (BatchCase slice = BatchCase.Create(pair, call, api, rowMajor, Math.Min(WarmupSliceRows, rows)))
        {
            for (int i = 0; i < WarmupSliceCalls; i++)
            {
                slice.Ours();
                slice.Ort();
            }
        }

        using BatchCase batch = BatchCase.Create(pair, call, api, rowMajor, rows);
        WarmupResult oursWarmup = WarmUp(batch.Ours, options.WarmupSeconds);
        WarmupResult ortWarmup = WarmUp(batch.Ort, options.WarmupSeconds);
        int oursCalls = oursWarmup.CallsToLast(options.RepSeconds);
        int ortCalls = ortWarmup.CallsToLast(options.RepSeconds);
        log($"{name}: warm-up ours {oursWarmup}, ORT {ortWarmup}; calls per repetition: ours {oursCalls}, ORT {ortCalls}");

        var oursSeconds = new double[options.Reps];
        var ortSeconds = new double[options.Reps];
        for (int rep = 0; rep < options.Reps; rep++)
        {
            for (int turn = 0; turn < 2; turn++)
            {
                bool oursTurn = (turn == 0) == (rep % 2 == 0);
                if (oursTurn)
                {
                    batch.ForgetOurs();
                }

                Collect();
                if (oursTurn)
                {
                    oursSeconds[rep] = Time(batch.Ours, oursCalls);
                }
                else
                {
                    ortSeconds[rep] = Time(batch.Ort, ortCalls);
                }
            }

            log($"{name}: rep {rep + 1}/{options.Reps} ours {(double)rows * oursCalls / oursSeconds[rep]:F0} rows/s, ORT {(double)rows * ortCalls / ortSeconds[rep]:F0} rows/s");
        }

        var result = new BatchComparison(pair.Spec.Name, pair.Threads, api, call, rows, oursCalls, ortCalls, oursSeconds, ortSeconds, batch.MaxDifference());
        log($"{name}: ours/ORT {result.Ratio:F2}, max difference {result.MaxDifference:0.0e+00}");
        return result;
    }

    /// <summary>Full garbage collection, finalizers included, so that none falls inside the next timing.</summary>
    internal static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>Wall time of <paramref name="calls"/> calls of <paramref name="run"/> in a row, in seconds.</summary>
    private static double Time(Action run, int calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            run();
        }

        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>Runs <paramref name="run"/> at least once and until <paramref name="seconds"/> have passed, timing each call.</summary>
    private static WarmupResult WarmUp(Action run, double seconds)
    {
        var times = new List<double>();
        long begin = Stopwatch.GetTimestamp();
        do
        {
            long start = Stopwatch.GetTimestamp();
            run();
            times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        while (Stopwatch.GetElapsedTime(begin).TotalSeconds < seconds);

        // The first calls may still run unoptimised code; the second half shows the steady state.
        return new WarmupResult(times.Count, Stopwatch.GetElapsedTime(begin).TotalSeconds, Statistics.Median(times.Skip(times.Count / 2)));
    }

    /// <summary>What a warm-up did and what one call costs afterwards.</summary>
    private sealed record WarmupResult(int Calls, double Seconds, double SecondsPerCall)
    {
        /// <summary>Calls needed to last at least <paramref name="seconds"/>, at least one.</summary>
        public int CallsToLast(double seconds) =>
            (int)Math.Clamp(Math.Ceiling(seconds / SecondsPerCall), 1, int.MaxValue);

        public override string ToString() => $"{Calls} calls in {Seconds:F2} s ({SecondsPerCall * 1e3:F3} ms per call)";
    }
}

using System.Diagnostics;
using Autoencoder;
using Autoencoder.Benchmarks.Peers;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Benchmarks.Onnx;

/// <summary>Batch scoring of one model by both sides: wall time of each timed repetition.</summary>
/// <param name="Rows">Rows scored per repetition.</param>
/// <param name="OursSeconds">Our <c>Reconstruct(Matrix)</c>, one entry per repetition.</param>
/// <param name="OrtSeconds">ONNX Runtime's <c>Run</c> into the preallocated output, one entry per repetition.</param>
/// <param name="MaxDifference">Largest absolute difference between the two sides' outputs of the last repetition, over all rows.</param>
internal sealed record BatchComparison(int Rows, double[] OursSeconds, double[] OrtSeconds, float MaxDifference)
{
    public double OursMedianRowsPerSecond => Rows / Statistics.Median(OursSeconds);

    public double OrtMedianRowsPerSecond => Rows / Statistics.Median(OrtSeconds);

    public double OursBestRowsPerSecond => Rows / OursSeconds.Min();

    public double OrtBestRowsPerSecond => Rows / OrtSeconds.Min();
}

/// <summary>Single-row latency of one model on both sides.</summary>
internal sealed record LatencyComparison(LatencyResult Ours, LatencyResult Ort);

/// <summary>Single-row latency in microseconds over <paramref name="Calls"/> calls, each timed alone.</summary>
internal sealed record LatencyResult(double MedianMicroseconds, double P10Microseconds, double P90Microseconds, int Calls)
{
    public static LatencyResult FromTicks(long[] ticks)
    {
        double[] us = ticks.Select(t => t * 1e6 / Stopwatch.Frequency).Order().ToArray();
        return new LatencyResult(Statistics.Quantile(us, 0.5), Statistics.Quantile(us, 0.1), Statistics.Quantile(us, 0.9), us.Length);
    }
}

internal static class Statistics
{
    public static double Median(IEnumerable<double> values) => Quantile(values.Order().ToArray(), 0.5);

    /// <summary>The <paramref name="q"/> quantile of sorted values, interpolating linearly between neighbours.</summary>
    public static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}

/// <summary>The timed loops.</summary>
internal static class Measure
{
    /// <summary>Rows cycled through by the single-row calls: the first 1,000 of the data.</summary>
    public const int LatencyRows = 1000;

    /// <summary>Untimed calls on a slice of the data before the full-size warm-up: past the JIT's tier-up threshold.</summary>
    public const int WarmupSliceCalls = 50;

    /// <summary>Rows of that slice.</summary>
    public const int WarmupSliceRows = 64;

    /// <summary>
    /// Warm-up per side: <see cref="WarmupSliceCalls"/> calls on the first
    /// <see cref="WarmupSliceRows"/> rows (methods run once per call reach the JIT's optimised tier
    /// only after about 30 calls), then full-size runs for at least
    /// <see cref="OnnxBenchmarkOptions.WarmupSeconds"/>. Then <see cref="OnnxBenchmarkOptions.Reps"/>
    /// timed repetitions, the two sides alternating which goes first. A full garbage collection
    /// precedes each timed run, outside the timing, with our previous result already unreferenced;
    /// our result matrix is allocated inside the timing (that is the method), ONNX Runtime writes
    /// into its preallocated output.
    /// </summary>
    public static BatchComparison Batch(ModelSpec spec, AutoencoderModel model, OrtSide ort, Matrix<float> data, float[] rowMajor, OnnxBenchmarkOptions options, Action<string> log)
    {
        using OrtSide.Tensors tensors = ort.Allocate(data.RowCount, data.ColumnCount);
        rowMajor.CopyTo(tensors.Input);

        int sliceRows = Math.Min(WarmupSliceRows, data.RowCount);
        Matrix<float> slice = data.SubMatrix(0, sliceRows, 0, data.ColumnCount);
        using (OrtSide.Tensors sliceTensors = ort.Allocate(sliceRows, data.ColumnCount))
        {
            rowMajor.AsSpan(0, sliceTensors.Input.Length).CopyTo(sliceTensors.Input);
            for (int i = 0; i < WarmupSliceCalls; i++)
            {
                model.Reconstruct(slice);
                ort.Run(sliceTensors);
            }
        }

        Matrix<float>? ours = null;
        (int oursRuns, double oursWarmup) = WarmUp(() => ours = model.Reconstruct(data), options.WarmupSeconds);
        (int ortRuns, double ortWarmup) = WarmUp(() => ort.Run(tensors), options.WarmupSeconds);
        log($"batch {spec.Name}: warm-up ours {oursRuns} runs in {oursWarmup:F2} s, ORT {ortRuns} runs in {ortWarmup:F2} s");

        var oursSeconds = new double[options.Reps];
        var ortSeconds = new double[options.Reps];
        for (int rep = 0; rep < options.Reps; rep++)
        {
            for (int turn = 0; turn < 2; turn++)
            {
                bool oursTurn = (turn == 0) == (rep % 2 == 0);
                if (oursTurn)
                {
                    ours = null; // a caller scoring batch after batch lets each result go
                }

                Collect();
                long start = Stopwatch.GetTimestamp();
                if (oursTurn)
                {
                    ours = model.Reconstruct(data);
                    oursSeconds[rep] = Stopwatch.GetElapsedTime(start).TotalSeconds;
                }
                else
                {
                    ort.Run(tensors);
                    ortSeconds[rep] = Stopwatch.GetElapsedTime(start).TotalSeconds;
                }
            }

            log($"batch {spec.Name}: rep {rep + 1}/{options.Reps} ours {data.RowCount / oursSeconds[rep]:F0} rows/s, ORT {data.RowCount / ortSeconds[rep]:F0} rows/s");
        }

        float difference = ParityCheck.MaxDifference(ours!.ToRowMajorArray(), tensors.Output);
        return new BatchComparison(data.RowCount, oursSeconds, ortSeconds, difference);
    }

    /// <summary>
    /// Untimed calls per side, at least <see cref="OnnxBenchmarkOptions.LatencyWarmupCalls"/> and for
    /// at least <see cref="OnnxBenchmarkOptions.WarmupSeconds"/>, then
    /// <see cref="OnnxBenchmarkOptions.LatencyCalls"/> timed calls per side in ten blocks, the sides
    /// alternating block by block. Before each call the next row is copied into the side's
    /// preallocated input, outside the timed region; each call is timed alone.
    /// </summary>
    public static LatencyComparison Latency(ModelSpec spec, AutoencoderModel model, OrtSide ort, float[] rowMajor, OnnxBenchmarkOptions options, Action<string> log)
    {
        const int width = ModelSpec.InputSize;
        int rows = Math.Min(LatencyRows, rowMajor.Length / width);
        var input = new float[width];
        var output = new float[width];
        using OrtSide.Tensors tensors = ort.Allocate(1, width);

        int calls = 0;
        var warmup = Stopwatch.StartNew();
        while (calls < options.LatencyWarmupCalls || warmup.Elapsed.TotalSeconds < options.WarmupSeconds)
        {
            rowMajor.AsSpan(calls++ % rows * width, width).CopyTo(input);
            model.Reconstruct(input, output);
        }

        warmup.Restart();
        for (calls = 0; calls < options.LatencyWarmupCalls || warmup.Elapsed.TotalSeconds < options.WarmupSeconds; calls++)
        {
            rowMajor.AsSpan(calls % rows * width, width).CopyTo(tensors.Input);
            ort.Run(tensors);
        }

        var oursTicks = new long[options.LatencyCalls];
        var ortTicks = new long[options.LatencyCalls];
        int blocks = Math.Min(10, options.LatencyCalls);
        Collect();
        for (int block = 0; block < blocks; block++)
        {
            int from = (int)((long)options.LatencyCalls * block / blocks);
            int to = (int)((long)options.LatencyCalls * (block + 1) / blocks);
            for (int turn = 0; turn < 2; turn++)
            {
                if ((turn == 0) == (block % 2 == 0))
                {
                    for (int i = from; i < to; i++)
                    {
                        rowMajor.AsSpan(i % rows * width, width).CopyTo(input);
                        long start = Stopwatch.GetTimestamp();
                        model.Reconstruct(input, output);
                        oursTicks[i] = Stopwatch.GetTimestamp() - start;
                    }
                }
                else
                {
                    for (int i = from; i < to; i++)
                    {
                        rowMajor.AsSpan(i % rows * width, width).CopyTo(tensors.Input);
                        long start = Stopwatch.GetTimestamp();
                        ort.Run(tensors);
                        ortTicks[i] = Stopwatch.GetTimestamp() - start;
                    }
                }
            }
        }

        var result = new LatencyComparison(LatencyResult.FromTicks(oursTicks), LatencyResult.FromTicks(ortTicks));
        log($"latency {spec.Name}: median ours {result.Ours.MedianMicroseconds:F1} µs, ORT {result.Ort.MedianMicroseconds:F1} µs");
        return result;
    }

    /// <summary>Runs <paramref name="run"/> at least once and until <paramref name="seconds"/> have passed.</summary>
    internal static (int Runs, double Seconds) WarmUp(Action run, double seconds)
    {
        var clock = Stopwatch.StartNew();
        int runs = 0;
        do
        {
            run();
            runs++;
        }
        while (clock.Elapsed.TotalSeconds < seconds);

        return (runs, clock.Elapsed.TotalSeconds);
    }

    internal static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}

using System.Diagnostics;
using Autoencoder;

namespace Autoencoder.Benchmarks.Onnx;

/// <summary>The timed loop of single-row calls on both sides.</summary>
internal static class LatencyMeasure
{
    /// <summary>Rows cycled through by the single-row calls: the first 1,000 of the data.</summary>
    public const int LatencyRows = 1000;

    /// <summary>Blocks the timed calls of each side are split into, the sides alternating block by block.</summary>
    public const int Blocks = 10;

    /// <summary>
    /// Untimed calls per side, at least <see cref="OnnxBenchmarkOptions.LatencyWarmupCalls"/> and for
    /// at least <see cref="OnnxBenchmarkOptions.WarmupSeconds"/>, then
    /// <see cref="OnnxBenchmarkOptions.LatencyCalls"/> timed calls per side in <see cref="Blocks"/>
    /// blocks, the sides alternating block by block. Before each call the next row is copied into the
    /// side's preallocated input, outside the timed region; each call is timed alone.
    /// </summary>
    public static LatencyComparison Run(ModelPair pair, float[] rowMajor, OnnxBenchmarkOptions options, Action<string> log)
    {
        AutoencoderModel model = pair.Model;
        OrtSide ort = pair.Ort(BatchCall.Reconstruct);
        int width = model.InputSize;
        int rows = Math.Min(LatencyRows, rowMajor.Length / width);
        var input = new float[width];
        var output = new float[width];
        using OrtSide.Tensors tensors = ort.Allocate(1);

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
        int blocks = Math.Min(Blocks, options.LatencyCalls);
        BatchMeasure.Collect();
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

        var result = new LatencyComparison(pair.Spec.Name, pair.Threads, LatencyResult.FromTicks(oursTicks), LatencyResult.FromTicks(ortTicks));
        log($"{pair.Spec.Name} single-row latency, {pair.Threads} thread{(pair.Threads == 1 ? "" : "s")}: median ours {result.Ours.MedianMicroseconds:F1} µs, ORT {result.Ort.MedianMicroseconds:F1} µs");
        return result;
    }
}

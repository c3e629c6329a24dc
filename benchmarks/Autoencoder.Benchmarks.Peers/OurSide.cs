using System.Diagnostics;
using Autoencoder;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Benchmarks.Peers;

/// <summary>Trains and times our library on one model.</summary>
internal static class OurSide
{
    public const int Seed = 1;

    public static TrainingOptions Options(ModelSpec spec, int epochs, int batchSize) => new()
    {
        Epochs = epochs,
        BatchSize = batchSize,
        Loss = spec.Loss,
        Optimizer = new AdamOptions { LearningRate = 1e-3 },
        Shuffle = true,
    };

    /// <summary>
    /// Warms up on the first <see cref="BenchmarkOptions.WarmupBatches"/> batches of rows, then
    /// trains <see cref="BenchmarkOptions.Epochs"/> full epochs, timed by the library's own
    /// per-epoch wall clock.
    /// </summary>
    public static SideResult Run(ModelSpec spec, Matrix<float> data, BenchmarkOptions options, Action<string> log)
    {
        AutoencoderModel model = spec.BuildOurs(Seed);
        int warmupRows = Math.Min(data.RowCount, options.WarmupBatches * options.BatchSize);
        if (warmupRows > 0)
        {
            var clock = Stopwatch.StartNew();
            model.Fit(data.SubMatrix(0, warmupRows, 0, data.ColumnCount), Options(spec, 1, options.BatchSize));
            log($"ours {spec.Name}: warm-up {warmupRows} samples in {clock.Elapsed.TotalSeconds:F1} s");
        }

        var progress = new EpochProgress(options.BatchSize, data.RowCount, line => log($"ours {spec.Name}: {line}"));
        TrainingHistory history = model.Fit(data, Options(spec, options.Epochs, options.BatchSize) with { Progress = progress });
        double[] seconds = history.Epochs.Select(e => e.Duration.TotalSeconds).ToArray();
        var training = new TrainingResult(seconds, data.RowCount, history.Epochs[^1].TrainLoss);
        log($"ours {spec.Name}: {training.SamplesPerSecond:F0} samples/s, loss {training.FinalLoss:F5}");

        LatencyResult? latency = null;
        if (options.LatencyModels.Contains(spec.Name, StringComparer.OrdinalIgnoreCase))
        {
            latency = MeasureLatency(model, data, options);
            log($"ours {spec.Name}: reconstruct one sample, median {latency.MedianMicroseconds:F1} µs");
        }

        return new SideResult(spec.Name, training, latency);
    }

    public static LatencyResult MeasureLatency(AutoencoderModel model, Matrix<float> data, BenchmarkOptions options)
    {
        float[][] samples = LatencySamples(data);
        var output = new float[model.InputSize];
        for (int i = 0; i < options.LatencyWarmupCalls; i++)
        {
            model.Reconstruct(samples[i % samples.Length], output);
        }

        var ticks = new long[options.LatencyCalls];
        for (int i = 0; i < ticks.Length; i++)
        {
            float[] sample = samples[i % samples.Length];
            long start = Stopwatch.GetTimestamp();
            model.Reconstruct(sample, output);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        return LatencyResult.FromTicks(ticks);
    }

    /// <summary>The rows both sides reconstruct one at a time: the first 1,000 samples.</summary>
    public static float[][] LatencySamples(Matrix<float> data) =>
        Enumerable.Range(0, Math.Min(1000, data.RowCount)).Select(r => data.Row(r).ToArray()).ToArray();

    /// <summary>Logs a line every few seconds of an epoch and when it ends (synchronously, on the training thread).</summary>
    private sealed class EpochProgress(int batchSize, int rows, Action<string> log) : IProgress<TrainingProgress>
    {
        private readonly Stopwatch _sinceLastLine = Stopwatch.StartNew();

        public void Report(TrainingProgress value)
        {
            if (value.EpochCompleted || _sinceLastLine.Elapsed.TotalSeconds >= 10)
            {
                _sinceLastLine.Restart();
                int done = Math.Min(value.Batch * batchSize, rows);
                log($"epoch {value.Epoch}/{value.Epochs} {done}/{rows} samples, loss {value.Loss:F5}, {value.SamplesPerSecond:F0} samples/s");
            }
        }
    }
}

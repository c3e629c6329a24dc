using System.Diagnostics;

namespace Autoencoder.Benchmarks.Onnx;

/// <summary>Single-row latency of one model on both sides at one thread count.</summary>
/// <param name="Model">The model's short name.</param>
/// <param name="Threads">The thread count of both sides.</param>
/// <param name="Ours">Our <c>Reconstruct(ReadOnlySpan&lt;float&gt;, Span&lt;float&gt;)</c>.</param>
/// <param name="Ort">ONNX Runtime's run on 1 × 784.</param>
internal sealed record LatencyComparison(string Model, int Threads, LatencyResult Ours, LatencyResult Ort)
{
    /// <summary>Ours over ONNX Runtime's median time: below 1, ours is faster.</summary>
    public double Ratio => Ours.MedianMicroseconds / Ort.MedianMicroseconds;
}

/// <summary>Single-row latency in microseconds over <paramref name="Calls"/> calls, each timed alone.</summary>
internal sealed record LatencyResult(double MedianMicroseconds, double P10Microseconds, double P90Microseconds, int Calls)
{
    /// <summary>The quantiles of <paramref name="ticks"/>, <see cref="Stopwatch"/> ticks per call.</summary>
    public static LatencyResult FromTicks(long[] ticks)
    {
        double[] us = ticks.Select(t => t * 1e6 / Stopwatch.Frequency).Order().ToArray();
        return new LatencyResult(Statistics.Quantile(us, 0.5), Statistics.Quantile(us, 0.1), Statistics.Quantile(us, 0.9), us.Length);
    }
}

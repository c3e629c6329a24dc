namespace Autoencoder.Benchmarks.Peers;

/// <summary>Throughput of timed training epochs (warm-up excluded).</summary>
/// <param name="EpochSeconds">Wall time of each timed epoch.</param>
/// <param name="Samples">Samples per epoch.</param>
/// <param name="FinalLoss">Mean training loss of the last timed epoch.</param>
/// <param name="MinorFaultsPerEpoch">Minor page faults of the process per timed epoch, when measured.</param>
internal sealed record TrainingResult(double[] EpochSeconds, int Samples, double FinalLoss, long? MinorFaultsPerEpoch = null)
{
    public double SamplesPerSecond => EpochSeconds.Length * (double)Samples / EpochSeconds.Sum();
}

/// <summary>Single-sample reconstruct latency in microseconds over <paramref name="Calls"/> timed calls.</summary>
internal sealed record LatencyResult(double MedianMicroseconds, double P10Microseconds, double P90Microseconds, int Calls)
{
    public static LatencyResult FromTicks(long[] ticks)
    {
        double[] us = ticks.Select(t => t * 1e6 / System.Diagnostics.Stopwatch.Frequency).Order().ToArray();
        return new LatencyResult(Quantile(us, 0.5), Quantile(us, 0.1), Quantile(us, 0.9), us.Length);
    }

    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}

/// <summary>What one side measured for one model.</summary>
internal sealed record SideResult(string Model, TrainingResult Training, LatencyResult? Latency);

/// <summary>What a peer process reports back to the runner, as JSON.</summary>
internal sealed record PeerReport(
    string Allocator,
    bool AllocatorLoaded,
    string LibTorchVersion,
    int Threads,
    int InteropThreads,
    List<SideResult> Models,
    ParityResult? Parity);

/// <summary>
/// The agreement check (M1 unless <c>--parity-model</c> says otherwise): both sides start from
/// the same weights and take the same Adam steps on the same batches in the same order.
/// </summary>
internal sealed record ParityResult(
    string Model,
    int Steps,
    int BatchSize,
    double[] OurStepLosses,
    double[] PeerStepLosses,
    double MaxLossDifference,
    double MaxWeightDifference,
    double OursOnPeerWeights,
    double PeerOnPeerWeights);

/// <summary>One measurement of the runner: a model at a batch size, on every side.</summary>
/// <param name="Spec">The model.</param>
/// <param name="BatchSize">The training batch size.</param>
/// <param name="MeasureLatency">Whether this run also measures single-sample latency.</param>
/// <param name="ShowBatch">Whether tables name the batch size beside the model (a model trained at several).</param>
internal sealed record BenchmarkRun(ModelSpec Spec, int BatchSize, bool MeasureLatency, bool ShowBatch)
{
    /// <summary>The run's name in tables and the key of its results: <c>M2</c>, <c>M4 (batch 128)</c>.</summary>
    public string Label => ShowBatch ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Spec.Name} (batch {BatchSize})") : Spec.Name;

    /// <summary>The options a side measures this run with.</summary>
    public BenchmarkOptions Options(BenchmarkOptions options) => options with
    {
        BatchSize = BatchSize,
        LatencyModels = MeasureLatency ? [Spec.Name] : [],
    };
}

using System.Globalization;
using System.Text;

namespace Autoencoder.Benchmarks.Peers;

/// <summary>Formats the measurements as markdown.</summary>
internal static class Report
{
    public static string Throughput(IReadOnlyList<BenchmarkRun> runs, Results results, double? peakGflops)
    {
        var text = new StringBuilder();
        text.AppendLine("## Training throughput (samples/s, higher is better)");
        text.AppendLine();
        text.AppendLine("Share of peak: samples/s × 6 flops per weight ÷ the FMA peak measured above (the products only; element-wise work and the optimizer are not counted).");
        foreach (ModelSpec conv in runs.Select(r => r.Spec).Where(s => s.IsConvolutional).Distinct())
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"For {conv.Name}: samples/s × 3 × 2 flops per multiply-add of the convolutions' forward pass (Σ Ho·Wo·kh·kw·cin·cout = {conv.ForwardMultiplyAdds:N0}, so {conv.TrainingFlopsPerSample / 1e6:F2} MFLOP per training sample; pooling, upsampling, bias and activations not counted)."));
        }
        text.AppendLine();
        text.AppendLine("| model | layers | loss | ours | TorchSharp (glibc) | TorchSharp (jemalloc) | ours/peer (glibc) | ours/peer (jemalloc) | share of peak: ours / glibc / jemalloc |");
        text.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (BenchmarkRun run in runs)
        {
            ModelSpec spec = run.Spec;
            double? ours = results.Ours.GetValueOrDefault(run.Label)?.Training.SamplesPerSecond;
            double? glibc = results.Glibc.GetValueOrDefault(run.Label)?.Training.SamplesPerSecond;
            double? jemalloc = results.Jemalloc.GetValueOrDefault(run.Label)?.Training.SamplesPerSecond;
            string Share(double? rate) => rate is double r && peakGflops is double peak ? (r * spec.TrainingFlopsPerSample / (peak * 1e9)).ToString(spec.IsConvolutional ? "P1" : "P0", CultureInfo.InvariantCulture) : "n/a";
            text.AppendLine($"| {run.Label} | {spec.Shape} | {spec.LossName} | {Rate(ours)} | {Rate(glibc)} | {Rate(jemalloc)} | {Ratio(ours, glibc)} | {Ratio(ours, jemalloc)} | {Share(ours)} / {Share(glibc)} / {Share(jemalloc)} |");
        }

        text.AppendLine();
        text.AppendLine("Mean training loss of the (last) timed epoch, a check that both sides learn alike (same initial weights and data; each side shuffles with its own generator), and TorchSharp's minor page faults per timed epoch:");
        text.AppendLine();
        text.AppendLine("| model | loss ours | loss TorchSharp (glibc) | loss TorchSharp (jemalloc) | page faults TorchSharp (glibc) | page faults TorchSharp (jemalloc) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (BenchmarkRun run in runs)
        {
            text.AppendLine($"| {run.Label} | {Loss(results.Ours, run)} | {Loss(results.Glibc, run)} | {Loss(results.Jemalloc, run)} | {Faults(results.Glibc, run)} | {Faults(results.Jemalloc, run)} |");
        }

        return text.ToString();
    }

    public static string Latency(IReadOnlyList<BenchmarkRun> runs, Results results, int calls)
    {
        var text = new StringBuilder();
        text.AppendLine($"## Single-sample reconstruct latency (µs, median of {calls} calls, [p10–p90]; lower is better)");
        text.AppendLine();
        text.AppendLine("| model | layers | ours | TorchSharp (glibc) | TorchSharp (jemalloc) | ours/peer time (glibc) | ours/peer time (jemalloc) |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (BenchmarkRun run in runs)
        {
            ModelSpec spec = run.Spec;
            LatencyResult? ours = results.Ours.GetValueOrDefault(run.Label)?.Latency;
            LatencyResult? glibc = results.Glibc.GetValueOrDefault(run.Label)?.Latency;
            LatencyResult? jemalloc = results.Jemalloc.GetValueOrDefault(run.Label)?.Latency;
            if (ours is null && glibc is null && jemalloc is null)
            {
                continue;
            }

            text.AppendLine($"| {spec.Name} | {spec.Shape} | {Micro(ours)} | {Micro(glibc)} | {Micro(jemalloc)} | {Ratio(ours?.MedianMicroseconds, glibc?.MedianMicroseconds)} | {Ratio(ours?.MedianMicroseconds, jemalloc?.MedianMicroseconds)} |");
        }

        return text.ToString();
    }

    public static string Parity(ParityResult parity)
    {
        bool ok = parity.MaxLossDifference <= ParityCheck.LossTolerance;
        string Losses(double[] values) => string.Join(", ", values.Select(v => v.ToString("F6", CultureInfo.InvariantCulture)));
        return $"- Sanity ({parity.Model}, same initial weights, {parity.Steps} Adam steps of {parity.BatchSize} samples without shuffling): " +
            $"step losses ours [{Losses(parity.OurStepLosses)}], TorchSharp [{Losses(parity.PeerStepLosses)}]; " +
            $"max |Δloss| = {Sci(parity.MaxLossDifference)} (tolerance {Sci(ParityCheck.LossTolerance)}) **{(ok ? "OK" : "MISMATCH")}**; " +
            $"max |Δweight| after the steps = {Sci(parity.MaxWeightDifference)}; " +
            $"TorchSharp's final weights loaded into ours give loss {parity.OursOnPeerWeights:F6} vs TorchSharp's {parity.PeerOnPeerWeights:F6}.";
    }

    private static string Rate(double? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "n/a";

    private static string Ratio(double? ours, double? peer) =>
        ours is { } o && peer is { } p && p > 0 ? (o / p).ToString("F2", CultureInfo.InvariantCulture) : "n/a";

    private static string Micro(LatencyResult? value) =>
        value is null
            ? "n/a"
            : string.Create(CultureInfo.InvariantCulture, $"{value.MedianMicroseconds:F1} [{value.P10Microseconds:F1}–{value.P90Microseconds:F1}]");

    private static string Loss(IReadOnlyDictionary<string, SideResult> side, BenchmarkRun run) =>
        side.GetValueOrDefault(run.Label) is { } result ? result.Training.FinalLoss.ToString("F5", CultureInfo.InvariantCulture) : "n/a";

    private static string Faults(IReadOnlyDictionary<string, SideResult> side, BenchmarkRun run) =>
        side.GetValueOrDefault(run.Label)?.Training.MinorFaultsPerEpoch is { } faults ? faults.ToString("N0", CultureInfo.InvariantCulture) : "n/a";

    private static string Sci(double value) => value.ToString("0.0E+0", CultureInfo.InvariantCulture);
}

/// <summary>The measurements of each side, by model name.</summary>
internal sealed class Results
{
    public Dictionary<string, SideResult> Ours { get; } = [];

    public Dictionary<string, SideResult> Glibc { get; } = [];

    public Dictionary<string, SideResult> Jemalloc { get; } = [];
}

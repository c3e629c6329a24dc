using System.Globalization;
using System.Text;

namespace Autoencoder.Benchmarks.Peers;

/// <summary>Formats the measurements as markdown.</summary>
internal static class Report
{
    public static string Throughput(IReadOnlyList<ModelSpec> models, Results results, double? peakGflops)
    {
        var text = new StringBuilder();
        text.AppendLine("## Training throughput (samples/s, higher is better)");
        text.AppendLine();
        text.AppendLine("Share of peak: samples/s × 6 flops per weight ÷ the FMA peak measured above (the products only; element-wise work and the optimizer are not counted).");
        text.AppendLine();
        text.AppendLine("| model | layers | loss | ours | TorchSharp (glibc) | TorchSharp (jemalloc) | ours/peer (glibc) | ours/peer (jemalloc) | share of peak: ours / glibc / jemalloc |");
        text.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (ModelSpec spec in models)
        {
            double? ours = results.Ours.GetValueOrDefault(spec.Name)?.Training.SamplesPerSecond;
            double? glibc = results.Glibc.GetValueOrDefault(spec.Name)?.Training.SamplesPerSecond;
            double? jemalloc = results.Jemalloc.GetValueOrDefault(spec.Name)?.Training.SamplesPerSecond;
            string Share(double? rate) => rate is double r && peakGflops is double peak ? (r * 6.0 * spec.Parameters / (peak * 1e9)).ToString("P0", CultureInfo.InvariantCulture) : "n/a";
            text.AppendLine($"| {spec.Name} | {spec.Shape} | {spec.LossName} | {Rate(ours)} | {Rate(glibc)} | {Rate(jemalloc)} | {Ratio(ours, glibc)} | {Ratio(ours, jemalloc)} | {Share(ours)} / {Share(glibc)} / {Share(jemalloc)} |");
        }

        text.AppendLine();
        text.AppendLine("Mean training loss of the (last) timed epoch, a check that both sides learn alike (same initial weights and data; each side shuffles with its own generator), and TorchSharp's minor page faults per timed epoch:");
        text.AppendLine();
        text.AppendLine("| model | loss ours | loss TorchSharp (glibc) | loss TorchSharp (jemalloc) | page faults TorchSharp (glibc) | page faults TorchSharp (jemalloc) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (ModelSpec spec in models)
        {
            text.AppendLine($"| {spec.Name} | {Loss(results.Ours, spec)} | {Loss(results.Glibc, spec)} | {Loss(results.Jemalloc, spec)} | {Faults(results.Glibc, spec)} | {Faults(results.Jemalloc, spec)} |");
        }

        return text.ToString();
    }

    public static string Latency(IReadOnlyList<ModelSpec> models, Results results, int calls)
    {
        var text = new StringBuilder();
        text.AppendLine($"## Single-sample reconstruct latency (µs, median of {calls} calls, [p10–p90]; lower is better)");
        text.AppendLine();
        text.AppendLine("| model | layers | ours | TorchSharp (glibc) | TorchSharp (jemalloc) | ours/peer time (glibc) | ours/peer time (jemalloc) |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (ModelSpec spec in models)
        {
            LatencyResult? ours = results.Ours.GetValueOrDefault(spec.Name)?.Latency;
            LatencyResult? glibc = results.Glibc.GetValueOrDefault(spec.Name)?.Latency;
            LatencyResult? jemalloc = results.Jemalloc.GetValueOrDefault(spec.Name)?.Latency;
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

    private static string Loss(IReadOnlyDictionary<string, SideResult> side, ModelSpec spec) =>
        side.GetValueOrDefault(spec.Name) is { } result ? result.Training.FinalLoss.ToString("F5", CultureInfo.InvariantCulture) : "n/a";

    private static string Faults(IReadOnlyDictionary<string, SideResult> side, ModelSpec spec) =>
        side.GetValueOrDefault(spec.Name)?.Training.MinorFaultsPerEpoch is { } faults ? faults.ToString("N0", CultureInfo.InvariantCulture) : "n/a";

    private static string Sci(double value) => value.ToString("0.0E+0", CultureInfo.InvariantCulture);
}

/// <summary>The measurements of each side, by model name.</summary>
internal sealed class Results
{
    public Dictionary<string, SideResult> Ours { get; } = [];

    public Dictionary<string, SideResult> Glibc { get; } = [];

    public Dictionary<string, SideResult> Jemalloc { get; } = [];
}

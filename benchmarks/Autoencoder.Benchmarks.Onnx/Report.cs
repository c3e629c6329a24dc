using System.Text;
using Autoencoder.Benchmarks.Peers;

namespace Autoencoder.Benchmarks.Onnx;

/// <summary>Formats the measurements as markdown.</summary>
internal static class Report
{
    public static string Header(OnnxBenchmarkOptions options, string loadAtStart, string? loadAtEnd = null)
    {
        var text = new StringBuilder();
        text.AppendLine("# Inference: Autoencoder vs ONNX Runtime (CPU)");
        text.AppendLine();
        text.AppendLine("| | |");
        text.AppendLine("|---|---|");
        text.AppendLine($"| CPU | {Machine.CpuModel()} |");
        text.AppendLine($"| cores | {Environment.ProcessorCount} |");
        text.AppendLine($"| avx2 / avx512f | {Machine.YesNo(Machine.HasCpuFlag("avx2"))} / {Machine.YesNo(Machine.HasCpuFlag("avx512f"))} |");
        text.AppendLine($"| .NET | {Machine.DotNetVersion()} |");
        text.AppendLine($"| ONNX Runtime | {Machine.OnnxRuntimeVersion()}, CPU execution provider |");
        text.AppendLine($"| threads | {options.Threads} (ours: `Parallelism.MaxDegreeOfParallelism`; ORT: `IntraOpNumThreads` {options.Threads}, `InterOpNumThreads` 1, `ORT_SEQUENTIAL`, `ORT_ENABLE_ALL`, intra-op spinning {(options.OrtSpinning ? "on" : "off")}) |");
        text.AppendLine($"| models | random initialisation, seed {OnnxBenchmarkOptions.ModelSeed} (untrained); ORT loads our `ExportOnnx(stream, OnnxGraph.Autoencoder)` bytes |");
        text.AppendLine($"| data | {options.Rows} × {ModelSpec.InputSize}, uniform in [0, 1), seed {OnnxBenchmarkOptions.DataSeed} |");
        text.AppendLine($"| load average (1, 5, 15 min) | start {loadAtStart}{(loadAtEnd is null ? "" : $", end {loadAtEnd}")} |");
        return text.ToString();
    }

    public static string Parity(IReadOnlyList<ParityResult> parity)
    {
        var text = new StringBuilder();
        text.AppendLine($"## Parity (first {parity[0].Rows} rows, tolerance {OnnxBenchmarkOptions.Tolerance:0e0})");
        text.AppendLine();
        text.AppendLine("| model | ONNX bytes | max abs diff, batch | max abs diff, single row | agrees |");
        text.AppendLine("|---|---:|---:|---:|---|");
        foreach (ParityResult p in parity)
        {
            text.AppendLine($"| {p.Model} | {p.ModelBytes:N0} | {p.MaxBatchDifference:0.00e+00} | {p.MaxSingleRowDifference:0.00e+00} | {(p.Passed ? "yes" : "**no**")} |");
        }

        return text.ToString();
    }

    public static string Batch(OnnxBenchmarkOptions options, IReadOnlyDictionary<string, BatchComparison> batch)
    {
        var text = new StringBuilder();
        text.AppendLine($"## Batch scoring ({options.Rows} rows per call; rows/s, median of {options.Reps} repetitions [best]; higher is better)");
        text.AppendLine();
        text.AppendLine($"Ours: `model.Reconstruct(Matrix<float>)` (returns a new matrix). ORT: `session.Run` from a preallocated row-major input `OrtValue` into a preallocated output `OrtValue`. Warm-up: {Measure.WarmupSliceCalls} calls on {Measure.WarmupSliceRows} rows, then full-size runs for at least {options.WarmupSeconds:0.#} s, per side. The sides alternate which goes first in each repetition; a full GC precedes each timed run, outside the timing.");
        text.AppendLine();
        text.AppendLine("| model | layers | ours | ORT | ours/ORT (median) | max abs diff, all rows |");
        text.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (ModelSpec spec in options.Models)
        {
            BatchComparison b = batch[spec.Name];
            text.AppendLine($"| {spec.Name} | {spec.Shape} | {b.OursMedianRowsPerSecond:N0} [{b.OursBestRowsPerSecond:N0}] | {b.OrtMedianRowsPerSecond:N0} [{b.OrtBestRowsPerSecond:N0}] | {b.OursMedianRowsPerSecond / b.OrtMedianRowsPerSecond:F2} | {b.MaxDifference:0.00e+00} |");
        }

        return text.ToString();
    }

    public static string SpanBatch(OnnxBenchmarkOptions options, IReadOnlyDictionary<string, SpanBatchComparison> spans)
    {
        var text = new StringBuilder();
        text.AppendLine($"## Batch scoring on row-major spans ({options.Rows} rows per call; rows/s, median of {options.Reps} repetitions [best]; higher is better)");
        text.AppendLine();
        text.AppendLine($"Ours: `model.Reconstruct(ReadOnlySpan<float>, rows, Span<float>)` and `model.ReconstructionErrors(ReadOnlySpan<float>, rows, Loss.{Onnx.SpanBatch.ErrorsLoss}, Span<float>)`, reading the row-major data in place and writing into preallocated arrays. ORT: `session.Run` as above. Warm-up as above, per call; the three calls take turns, the first rotating by repetition, each after a full GC outside the timing.");
        text.AppendLine();
        text.AppendLine("| model | layers | Reconstruct (span) | ReconstructionErrors (span) | ORT | Reconstruct (span)/ORT (median) | max abs diff, all rows |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (ModelSpec spec in options.Models)
        {
            SpanBatchComparison s = spans[spec.Name];
            text.AppendLine($"| {spec.Name} | {spec.Shape} | {s.ReconstructMedianRowsPerSecond:N0} [{s.ReconstructBestRowsPerSecond:N0}] | {s.ErrorsMedianRowsPerSecond:N0} [{s.ErrorsBestRowsPerSecond:N0}] | {s.OrtMedianRowsPerSecond:N0} [{s.OrtBestRowsPerSecond:N0}] | {s.ReconstructMedianRowsPerSecond / s.OrtMedianRowsPerSecond:F2} | {s.MaxDifference:0.00e+00} |");
        }

        return text.ToString();
    }

    public static string Latency(OnnxBenchmarkOptions options, IReadOnlyDictionary<string, LatencyComparison> latency)
    {
        var text = new StringBuilder();
        text.AppendLine($"## Single-row latency (µs, median [p10–p90] of {options.LatencyCalls} calls, each timed alone, after at least {options.LatencyWarmupCalls} warm-up calls and {options.WarmupSeconds:0.#} s; lower is better)");
        text.AppendLine();
        text.AppendLine("Ours: `model.Reconstruct(ReadOnlySpan<float>, Span<float>)`. ORT: `session.Run` on preallocated 1 × 784 input and output `OrtValue`s. The sides alternate in ten blocks of calls.");
        text.AppendLine();
        text.AppendLine("| model | layers | ours | ORT | ours/ORT time (median) |");
        text.AppendLine("|---|---|---:|---:|---:|");
        foreach (ModelSpec spec in options.Models)
        {
            LatencyComparison l = latency[spec.Name];
            text.AppendLine($"| {spec.Name} | {spec.Shape} | {Micro(l.Ours)} | {Micro(l.Ort)} | {l.Ours.MedianMicroseconds / l.Ort.MedianMicroseconds:F2} |");
        }

        return text.ToString();
    }

    private static string Micro(LatencyResult r) =>
        $"{r.MedianMicroseconds:F1} [{r.P10Microseconds:F1}–{r.P90Microseconds:F1}]";
}

using System.Text;
using Autoencoder.Benchmarks.Peers;

namespace Autoencoder.Benchmarks.Onnx;

/// <summary>Formats the measurements as markdown, one table per thread count and kind of call, ready to paste into docs/benchmarks.md.</summary>
internal static class Report
{
    /// <summary>What ran where: machine, versions, settings, models, data, load.</summary>
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
        text.AppendLine($"| threads T | {string.Join(", ", options.Threads)}, one set of tables each (ours: `Parallelism.MaxDegreeOfParallelism` = T; ORT: `IntraOpNumThreads` = T, `InterOpNumThreads` = 1, `ORT_SEQUENTIAL`, `ORT_ENABLE_ALL`) |");
        text.AppendLine($"| ORT spinning | {OrtSide.SpinningSetting(options.OrtSpinning)} |");
        text.AppendLine($"| models | {string.Join(", ", options.Models.Select(m => $"{m.Name} {m.Shape}"))}; ReLU hidden and latent layers, sigmoid output, random initialisation from seed {OnnxBenchmarkOptions.ModelSeed} (untrained) |");
        text.AppendLine($"| data | {options.DataRows} × {ModelSpec.InputSize} values uniform in [0, 1), seed {OnnxBenchmarkOptions.DataSeed}: a batch of n rows is its first n rows; single rows cycle through its first {LatencyMeasure.LatencyRows:N0} |");
        text.AppendLine($"| batch timing | warm-up ≥ {options.WarmupSeconds:0.##} s per side and measurement; each repetition a loop of calls lasting ≥ {options.RepSeconds:0.###} s; median of {options.Reps} repetitions per side [best], the sides alternating |");
        text.AppendLine($"| load average (1, 5, 15 min) | start {loadAtStart}{(loadAtEnd is null ? "" : $", end {loadAtEnd}")} |");
        return text.ToString();
    }

    /// <summary>What each side runs, once for all tables.</summary>
    public static string Method()
    {
        var text = new StringBuilder();
        text.AppendLine("ORT runs our own exports with the `OrtValue` API, `session.Run(RunOptions, inputNames, inputs, outputNames, outputs)` from a preallocated row-major input into a preallocated output:");
        text.AppendLine();
        text.AppendLine("| ours | ORT session on | ORT output |");
        text.AppendLine("|---|---|---|");
        text.AppendLine("| `Encode` | `model.ExportOnnx(stream, OnnxGraph.Encoder)` | `code`, `[rows, LatentSize]` |");
        text.AppendLine("| `Reconstruct` | `model.ExportOnnx(stream, OnnxGraph.Autoencoder)` | `reconstruction`, `[rows, 784]` |");
        text.AppendLine($"| `ReconstructionErrors(…, Loss.{BatchCase.ErrorsLoss})` | `new AnomalyDetector(model, AnomalyScore.MeanSquaredError).ExportOnnx(stream)` (no scaler, no threshold) | `score`, `[rows]` |");
        text.AppendLine();
        text.AppendLine("Matrix tables: ours takes a MathNet `Matrix<float>` and returns a new matrix (a vector for the errors). Span tables: ours reads a row-major `ReadOnlySpan<float>` and writes into a preallocated `Span<float>`. Rows/s are total rows over total time of the repetition's loop of calls; ours/ORT is the ratio of the medians (above 1: ours is faster).");
        return text.ToString();
    }

    /// <summary>The parity check of every model at every thread count.</summary>
    public static string Parity(IReadOnlyList<ParityResult> parity)
    {
        var text = new StringBuilder();
        text.AppendLine($"## Parity (first {parity[0].Rows} rows; max |ours − ORT| / max(1, |ours|), tolerance {OnnxBenchmarkOptions.Tolerance:0e0})");
        text.AppendLine();
        text.AppendLine("| model | threads | ONNX bytes (encoder / autoencoder / detector) | Encode | Reconstruct | ReconstructionErrors | Reconstruct, single rows | agrees |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (ParityResult p in parity)
        {
            string bytes = string.Join(" / ", Enum.GetValues<BatchCall>().Select(c => $"{p.OnnxBytes[c]:N0}"));
            string batch = string.Join(" | ", Enum.GetValues<BatchCall>().Select(c => $"{p.Batch[c]:0.0e+00}"));
            text.AppendLine($"| {p.Model} | {p.Threads} | {bytes} | {batch} | {p.SingleRow:0.0e+00} | {(p.Passed ? "yes" : "**no**")} |");
        }

        return text.ToString();
    }

    /// <summary>The batch table of one thread count and API: a row per model and batch size, three columns per call.</summary>
    public static string Batch(OnnxBenchmarkOptions options, int threads, BatchApi api, IReadOnlyList<BatchComparison> results)
    {
        BatchComparison[] mine = results.Where(r => r.Threads == threads && r.Api == api).ToArray();
        var text = new StringBuilder();
        text.AppendLine($"## Batch calls on {api.Title()}, {Threads(threads)} (rows/s, median of {options.Reps} repetitions [best]; higher is better)");
        text.AppendLine();
        string ours = string.Join(", ", options.Calls.Select(c => c.Signature(api)));
        text.AppendLine($"Ours: {ours}, {(api == BatchApi.Matrix ? "each allocating its result" : api == BatchApi.MatrixInto ? "into preallocated MathNet results" : "into preallocated arrays")}. ORT: `Run` on preallocated `OrtValue`s.");
        text.AppendLine();
        text.Append("| model | rows |");
        foreach (BatchCall call in options.Calls)
        {
            text.Append($" {call.MethodName()}: ours | ORT | ours/ORT |");
        }

        text.AppendLine();
        text.Append("|---|---:|");
        text.Append(string.Concat(Enumerable.Repeat("---:|---:|---:|", options.Calls.Count)));
        text.AppendLine();
        foreach (ModelSpec spec in options.Models)
        {
            foreach (int rows in options.Rows)
            {
                text.Append($"| {spec.Name} | {rows:N0} |");
                foreach (BatchCall call in options.Calls)
                {
                    BatchComparison? b = mine.FirstOrDefault(r => r.Model == spec.Name && r.Rows == rows && r.Call == call);
                    text.Append(b is null
                        ? " | | |"
                        : $" {b.OursMedian:N0} [{b.OursBest:N0}] | {b.OrtMedian:N0} [{b.OrtBest:N0}] | {b.Ratio:F2} |");
                }

                text.AppendLine();
            }
        }

        text.AppendLine();
        string differences = string.Join(", ", options.Calls.Select(c => $"{c.MethodName()} {mine.Where(r => r.Call == c).Select(r => r.MaxDifference).DefaultIfEmpty(0).Max():0.0e+00}"));
        text.AppendLine($"Largest difference between the sides' outputs of each last timed call, over all rows (max |ours − ORT| / max(1, |ours|); tolerance {OnnxBenchmarkOptions.Tolerance:0e0}): {differences}.");
        return text.ToString();
    }

    /// <summary>The single-row latency table of one thread count.</summary>
    public static string Latency(OnnxBenchmarkOptions options, int threads, IReadOnlyList<LatencyComparison> results)
    {
        var text = new StringBuilder();
        text.AppendLine($"## Single-row latency, {Threads(threads)} (µs, median [p10–p90] of {options.LatencyCalls} calls, each timed alone; lower is better)");
        text.AppendLine();
        text.AppendLine($"Ours: `Reconstruct(ReadOnlySpan<float>, Span<float>)`. ORT: `Run` on preallocated 1 × 784 `OrtValue`s. Warm-up ≥ {options.LatencyWarmupCalls} calls and {options.WarmupSeconds:0.##} s per side; the sides alternate in {LatencyMeasure.Blocks} blocks of calls.");
        text.AppendLine();
        text.AppendLine("| model | ours | ORT | ours/ORT time (median) |");
        text.AppendLine("|---|---:|---:|---:|");
        foreach (LatencyComparison l in results.Where(r => r.Threads == threads))
        {
            text.AppendLine($"| {l.Model} | {Micro(l.Ours)} | {Micro(l.Ort)} | {l.Ratio:F2} |");
        }

        return text.ToString();
    }

    private static string Threads(int threads) => threads == 1 ? "1 thread" : $"{threads} threads";

    private static string Micro(LatencyResult r) =>
        $"{r.MedianMicroseconds:F1} [{r.P10Microseconds:F1}–{r.P90Microseconds:F1}]";
}

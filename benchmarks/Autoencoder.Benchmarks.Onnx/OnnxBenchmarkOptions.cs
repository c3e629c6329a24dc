using System.Globalization;
using Autoencoder.Benchmarks.Peers;

namespace Autoencoder.Benchmarks.Onnx;

/// <summary>Command-line settings of the inference comparison.</summary>
internal sealed record OnnxBenchmarkOptions
{
    /// <summary>Seed of the models' random initialisation (as in the training peer benchmark).</summary>
    public const int ModelSeed = 1;

    /// <summary>Seed of the uniform input data.</summary>
    public const int DataSeed = 12345;

    /// <summary>Rows of the parity check, the first rows of the data.</summary>
    public const int ParityRows = 8;

    /// <summary>Largest absolute difference allowed between ours and ONNX Runtime's outputs.</summary>
    public const float Tolerance = 1e-5f;

    public IReadOnlyList<ModelSpec> Models { get; init; } = ModelSpec.All;

    public int Rows { get; init; } = 10_000;

    public int Reps { get; init; } = 5;

    public int LatencyCalls { get; init; } = 5000;

    public int LatencyWarmupCalls { get; init; } = 500;

    /// <summary>Least time each side runs untimed before each measurement.</summary>
    public double WarmupSeconds { get; init; } = 2;

    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Whether ONNX Runtime's intra-op threads spin while waiting for work (its default).</summary>
    public bool OrtSpinning { get; init; } = true;

    public const string Usage = """
        Runs the same autoencoders with this library and with ONNX Runtime (CPU, loading the models'
        ONNX export) and prints a markdown report: batch scoring rows/s and single-row latency.

        Options:
          --models LIST          comma-separated subset of M1,M2,M3 (default all)
          --rows N               rows of the batch-scoring matrix (default 10000)
          --reps N               timed batch-scoring repetitions per side, median reported (default 5)
          --latency-calls N      timed single-row calls per side (default 5000)
          --latency-warmup N     least untimed single-row calls per side first (default 500)
          --warmup-seconds S     least untimed running time per side before each measurement, so
                                 the JIT's optimised code is in place (default 2)
          --threads N            our Parallelism.MaxDegreeOfParallelism and ONNX Runtime's
                                 IntraOpNumThreads (default: all cores)
          --no-ort-spinning      session.intra_op.allow_spinning = 0 for ONNX Runtime (default: spinning,
                                 its own default; turning it off can help when other processes share the cores)
          --help                 this text

        Exit code: 0 on success, 1 when ONNX Runtime's outputs differ from ours by more than 1e-5,
        2 on a bad command line.
        """;

    public static OnnxBenchmarkOptions Parse(string[] args)
    {
        var options = new OnnxBenchmarkOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--models" => options with { Models = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ModelSpec.Find).DistinctBy(m => m.Name).ToArray() },
                "--rows" => options with { Rows = Positive(name, Value()) },
                "--reps" => options with { Reps = Positive(name, Value()) },
                "--latency-calls" => options with { LatencyCalls = Positive(name, Value()) },
                "--latency-warmup" => options with { LatencyWarmupCalls = NonNegative(name, Value()) },
                "--warmup-seconds" => options with { WarmupSeconds = Seconds(name, Value()) },
                "--threads" => options with { Threads = Positive(name, Value()) },
                "--no-ort-spinning" => options with { OrtSpinning = false },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        if (options.Models.Count == 0)
        {
            throw new ArgumentException("--models names no model.");
        }

        if (options.Rows < ParityRows)
        {
            throw new ArgumentException($"--rows must be at least {ParityRows} (the parity check's rows).");
        }

        return options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive integer; got '{value}'.");

    private static double Seconds(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s >= 0 && double.IsFinite(s)
            ? s
            : throw new ArgumentException($"{name} must be a non-negative number of seconds; got '{value}'.");

    private static int NonNegative(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            ? n
            : throw new ArgumentException($"{name} must be a non-negative integer; got '{value}'.");
}

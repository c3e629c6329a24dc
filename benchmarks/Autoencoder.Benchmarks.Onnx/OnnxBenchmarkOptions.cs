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

    /// <summary>
    /// Largest difference allowed between ours and ONNX Runtime's outputs: absolute for values
    /// within ±1 (reconstructions, scores), relative beyond (see <see cref="ParityCheck.MaxDifference"/>).
    /// Both sides compute in float32 but sum in different orders; 1e-5 is about 100 float ulps at 1.
    /// </summary>
    public const float Tolerance = 1e-5f;

    /// <summary>The models compared; by default the dense reference models M1, M2 and M3.</summary>
    public IReadOnlyList<ModelSpec> Models { get; init; } = DenseModels;

    /// <summary>Rows per batch call, one measurement per entry.</summary>
    public IReadOnlyList<int> Rows { get; init; } = [256, 8192];

    /// <summary>Thread counts, one run of everything per entry: 1 and all cores by default.</summary>
    public IReadOnlyList<int> Threads { get; init; } = new[] { 1, Environment.ProcessorCount }.Distinct().ToArray();

    /// <summary>The batch calls measured.</summary>
    public IReadOnlyList<BatchCall> Calls { get; init; } = Enum.GetValues<BatchCall>();

    /// <summary>The kinds of batch input measured.</summary>
    public IReadOnlyList<BatchApi> Apis { get; init; } = Enum.GetValues<BatchApi>();

    /// <summary>Timed repetitions per side of each batch measurement; the median is reported.</summary>
    public int Reps { get; init; } = 5;

    /// <summary>Least duration of one timed repetition: the number of calls it loops over is set from the warm-up.</summary>
    public double RepSeconds { get; init; } = 0.1;

    /// <summary>Timed single-row calls per side.</summary>
    public int LatencyCalls { get; init; } = 5000;

    /// <summary>Least untimed single-row calls per side before the timed ones.</summary>
    public int LatencyWarmupCalls { get; init; } = 500;

    /// <summary>Least time each side runs untimed before each measurement.</summary>
    public double WarmupSeconds { get; init; } = 1;

    /// <summary>Whether ONNX Runtime's intra-op threads spin while waiting for work during a run (its default).</summary>
    public bool OrtSpinning { get; init; } = true;

    /// <summary>The rows of data the measurements need: the largest batch, and the rows the single-row calls cycle through.</summary>
    public int DataRows => Math.Max(Math.Max(Rows.Max(), LatencyMeasure.LatencyRows), ParityRows);

    /// <summary>The models of <see cref="ModelSpec.All"/> this benchmark runs: the dense ones.</summary>
    public static IReadOnlyList<ModelSpec> DenseModels { get; } = ModelSpec.All.Where(m => !m.IsConvolutional).ToArray();

    /// <summary>The text of <c>--help</c>.</summary>
    public const string Usage = """
        Runs the same autoencoders with this library and with ONNX Runtime (CPU, loading the models'
        ONNX exports) and prints a markdown report: rows/s of the batch calls Encode, Reconstruct and
        ReconstructionErrors on MathNet matrices and on row-major spans, and single-row latency.

        Options:
          --models LIST          comma-separated subset of M1,M2,M3 (default all three)
          --rows LIST            rows per batch call, comma-separated (default 256,8192)
          --threads LIST         thread counts, comma-separated: our Parallelism.MaxDegreeOfParallelism
                                 and ONNX Runtime's IntraOpNumThreads (default: 1 and all cores)
          --calls LIST           subset of encode,reconstruct,errors (default all)
          --apis LIST            subset of matrix,matrix-into,span (default all)
          --reps N               timed repetitions per side, median reported (default 5)
          --rep-seconds S        least duration of one repetition, a loop of calls (default 0.1)
          --warmup-seconds S     least untimed running time per side before each measurement, so
                                 the JIT's optimised code is in place (default 1)
          --latency-calls N      timed single-row calls per side (default 5000)
          --latency-warmup N     least untimed single-row calls per side first (default 500)
          --no-ort-spinning      session.intra_op.allow_spinning = 0 for ONNX Runtime (default: its
                                 threads spin during a Run, and session.force_spinning_stop = 1 stops
                                 them when the Run returns)
          --help                 this text

        Exit code: 0 on success, 1 when ONNX Runtime's outputs differ from ours by more than 1e-5
        (absolute, or relative beyond ±1), 2 on a bad command line.
        """;

    /// <summary>Reads the command line.</summary>
    /// <exception cref="ArgumentException">An option is unknown, lacks its value or has a bad one.</exception>
    public static OnnxBenchmarkOptions Parse(string[] args)
    {
        var options = new OnnxBenchmarkOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--models" => options with { Models = List(name, Value(), FindDense).DistinctBy(m => m.Name).ToArray() },
                "--rows" => options with { Rows = List(name, Value(), v => Positive(name, v)).Distinct().ToArray() },
                "--threads" => options with { Threads = List(name, Value(), v => Positive(name, v)).Distinct().ToArray() },
                "--calls" => options with { Calls = List(name, Value(), v => Named(name, v, BatchCalls.FromOption)).Distinct().Order().ToArray() },
                "--apis" => options with { Apis = List(name, Value(), v => Named(name, v, BatchApis.FromOption)).Distinct().Order().ToArray() },
                "--reps" => options with { Reps = Positive(name, Value()) },
                "--rep-seconds" => options with { RepSeconds = Seconds(name, Value()) },
                "--warmup-seconds" => options with { WarmupSeconds = Seconds(name, Value()) },
                "--latency-calls" => options with { LatencyCalls = Positive(name, Value()) },
                "--latency-warmup" => options with { LatencyWarmupCalls = NonNegative(name, Value()) },
                "--no-ort-spinning" => options with { OrtSpinning = false },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        return options;
    }

    private static T[] List<T>(string name, string value, Func<string, T> parse)
    {
        T[] items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).ToArray();
        return items.Length > 0 ? items : throw new ArgumentException($"{name} needs at least one entry; got '{value}'.");
    }

    private static ModelSpec FindDense(string name)
    {
        ModelSpec spec = ModelSpec.Find(name);
        return spec.IsConvolutional
            ? throw new ArgumentException($"--models takes dense models ({string.Join(", ", DenseModels.Select(m => m.Name))}); got '{name}'.")
            : spec;
    }

    private static T Named<T>(string name, string value, Func<string, T?> parse)
        where T : struct =>
        parse(value) ?? throw new ArgumentException($"{name}: unknown entry '{value}'.");

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

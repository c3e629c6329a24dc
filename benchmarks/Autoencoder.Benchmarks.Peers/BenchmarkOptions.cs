using System.Globalization;

namespace Autoencoder.Benchmarks.Peers;

/// <summary>Command-line settings of the comparison, shared by the runner and its peer processes.</summary>
internal sealed record BenchmarkOptions
{
    public const string DefaultFashionMnist = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";
    public const string DefaultJemalloc = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";

    public int Epochs { get; init; } = 1;

    /// <summary>The models to measure; by default the dense ones (M1–M3).</summary>
    public IReadOnlyList<ModelSpec> Models { get; init; } = ModelSpec.All.Where(m => !m.IsConvolutional).ToArray();

    public int Threads { get; init; } = Environment.ProcessorCount;

    public int BatchSize { get; init; } = 256;

    /// <summary>The batch sizes a convolutional model (M4) is trained at, each a run of its own.</summary>
    public IReadOnlyList<int> ConvBatchSizes { get; init; } = [128, 256];

    public int WarmupBatches { get; init; } = 200;

    public int LatencyCalls { get; init; } = 5000;

    public int LatencyWarmupCalls { get; init; } = 500;

    public IReadOnlyList<string> LatencyModels { get; init; } = ["M2", "M3", "M4"];

    /// <summary>An IDX image file; when null, Fashion-MNIST at its Debian path if present, else generated shapes.</summary>
    public string? DataPath { get; init; }

    /// <summary>Samples per epoch (the first rows of the data).</summary>
    public int Samples { get; init; } = 60_000;

    /// <summary>Which measurements to take: ours, glibc (TorchSharp as is), jemalloc (TorchSharp with jemalloc preloaded).</summary>
    public IReadOnlyList<string> Sides { get; init; } = ["ours", "glibc", "jemalloc"];

    public string JemallocPath { get; init; } = DefaultJemalloc;

    public bool Parity { get; init; } = true;

    /// <summary>The model of the same-weights agreement check; null: M1 when a dense model runs, and every convolutional model that runs.</summary>
    public ModelSpec? ParityModel { get; init; }

    /// <summary>The agreement checks to run: each model with its batch size (a convolutional one's first of <see cref="ConvBatchSizes"/>).</summary>
    public IReadOnlyList<(ModelSpec Model, int BatchSize)> ParityRuns
    {
        get
        {
            IEnumerable<ModelSpec> models = ParityModel is { } chosen
                ? [chosen]
                : (Models.Any(m => !m.IsConvolutional) ? [ModelSpec.Find("M1")] : Array.Empty<ModelSpec>()).Concat(Models.Where(m => m.IsConvolutional));
            return models.Select(m => (m, m.IsConvolutional ? ConvBatchSizes[0] : BatchSize)).ToArray();
        }
    }

    /// <summary>
    /// The measurements, in order: a dense model once at <see cref="BatchSize"/>, a convolutional
    /// one at each of <see cref="ConvBatchSizes"/>, its latency measured in the first.
    /// </summary>
    public IReadOnlyList<BenchmarkRun> Runs =>
        Models.SelectMany(m => m.IsConvolutional
            ? ConvBatchSizes.Select((batch, i) => new BenchmarkRun(m, batch, LatencyModels.Contains(m.Name, StringComparer.OrdinalIgnoreCase) && i == 0, true))
            : [new BenchmarkRun(m, BatchSize, LatencyModels.Contains(m.Name, StringComparer.OrdinalIgnoreCase), false)]).ToArray();

    /// <summary>Adam steps of the agreement check.</summary>
    public int ParitySteps { get; init; } = 5;

    /// <summary>OMP_WAIT_POLICY for the peer processes (ACTIVE or PASSIVE); null leaves libtorch's default.</summary>
    public string? OmpWaitPolicy { get; init; }

    /// <summary>Set in a peer process: "peer" (measure one model) or "parity" (the M1 agreement check).</summary>
    public string? Worker { get; init; }

    public string Allocator { get; init; } = "glibc";

    public string? ResultPath { get; init; }

    public bool Has(string side) => Sides.Contains(side, StringComparer.OrdinalIgnoreCase);

    public const string Usage = """
        Trains the same autoencoders with this library and with TorchSharp (libtorch CPU) and prints a markdown table.

        Options:
          --epochs N            timed epochs per model and side (default 1)
          --models LIST         comma-separated subset of M1,M2,M3,M4 (default M1,M2,M3; M4 is the
                                convolutional autoencoder, run only when named)
          --threads N           TorchSharp intra-op and inter-op threads (default: all cores)
          --batch N             batch size of M1-M3 (default 256)
          --conv-batches LIST   batch sizes M4 is trained at, one run each (default 128,256)
          --warmup-batches N    untimed batches before the timed epochs (default 200)
          --latency-calls N     timed single-sample reconstructs per model and side (default 5000)
          --latency-models LIST models whose single-sample latency is measured (default M2,M3,M4; 'none' for none)
          --data PATH           IDX image file (default: Fashion-MNIST train images if installed, else generated shapes)
          --samples N           samples per epoch, the first rows of the data (default 60000)
          --sides LIST          any of ours,glibc,jemalloc (default all three)
          --jemalloc PATH       jemalloc to preload (default /usr/lib/x86_64-linux-gnu/libjemalloc.so.2)
          --omp-wait-policy P   OMP_WAIT_POLICY for TorchSharp's OpenMP threads: active or passive
                                (default: unset, libtorch's own behaviour; passive helps a lot when other
                                processes compete for the cores, since spinning OpenMP barriers then stall)
          --no-parity           skip the same-weights agreement check
          --parity-model M      model of the agreement check (default: M1 when M1-M3 run, and M4 when it runs,
                                at its first --conv-batches size)
          --parity-steps N      unshuffled Adam steps of the agreement check (default 5)
        """;

    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"Option {name} needs a value.");
            int Positive()
            {
                string text = Value();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
                    ? value
                    : throw new ArgumentException($"Option {name} needs a positive integer; got '{text}'.");
            }

            options = name switch
            {
                "--epochs" => options with { Epochs = Positive() },
                "--models" => options with { Models = List(Value()).Select(ModelSpec.Find).ToArray() },
                "--threads" => options with { Threads = Positive() },
                "--batch" => options with { BatchSize = Positive() },
                "--conv-batches" => options with { ConvBatchSizes = PositiveList(name, Value()) },
                "--warmup-batches" => options with { WarmupBatches = int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture) },
                "--latency-calls" => options with { LatencyCalls = Positive() },
                "--latency-warmup-calls" => options with { LatencyWarmupCalls = int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture) },
                "--latency-models" => options with { LatencyModels = List(Value()).Where(m => m != "none").Select(m => ModelSpec.Find(m).Name).ToArray() },
                "--data" => options with { DataPath = Value() },
                "--samples" => options with { Samples = Positive() },
                "--sides" => options with { Sides = CheckSides(List(Value())) },
                "--jemalloc" => options with { JemallocPath = Value() },
                "--no-parity" => options with { Parity = false },
                "--parity-model" => options with { ParityModel = ModelSpec.Find(Value()) },
                "--parity-steps" => options with { ParitySteps = Positive() },
                "--omp-wait-policy" => options with { OmpWaitPolicy = WaitPolicy(Value()) },
                "--worker" => options with { Worker = Value() },
                "--allocator" => options with { Allocator = Value() },
                "--result" => options with { ResultPath = Value() },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        return options;
    }

    /// <summary>The options a peer process needs to repeat this run's measurements exactly.</summary>
    public List<string> WorkerArguments(string worker, IEnumerable<ModelSpec> models, string allocator, string resultPath)
    {
        var args = new List<string>
        {
            "--worker", worker,
            "--models", string.Join(',', models.Select(m => m.Name)),
            "--allocator", allocator,
            "--result", resultPath,
            "--epochs", Str(Epochs),
            "--threads", Str(Threads),
            "--batch", Str(BatchSize),
            "--warmup-batches", Str(WarmupBatches),
            "--latency-calls", Str(LatencyCalls),
            "--latency-warmup-calls", Str(LatencyWarmupCalls),
            "--latency-models", LatencyModels.Count == 0 ? "none" : string.Join(',', LatencyModels),
            "--samples", Str(Samples),
            "--parity-steps", Str(ParitySteps),
        };
        if (DataPath is not null)
        {
            args.AddRange(["--data", DataPath]);
        }

        return args;
    }

    private static int[] PositiveList(string name, string text)
    {
        string[] items = List(text);
        var values = new int[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            if (!int.TryParse(items[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] <= 0)
            {
                throw new ArgumentException($"Option {name} needs comma-separated positive integers; got '{text}'.");
            }
        }

        return values.Length > 0 ? values : throw new ArgumentException($"Option {name} needs at least one batch size.");
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string[] List(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string WaitPolicy(string text) =>
        text.ToUpperInvariant() is "ACTIVE" or "PASSIVE"
            ? text.ToUpperInvariant()
            : throw new ArgumentException($"Option --omp-wait-policy takes active or passive; got '{text}'.");

    private static string[] CheckSides(string[] sides)
    {
        string[] known = ["ours", "glibc", "jemalloc"];
        foreach (string side in sides)
        {
            if (!known.Contains(side, StringComparer.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"Unknown side '{side}'; expected any of {string.Join(", ", known)}.");
            }
        }

        return sides;
    }
}

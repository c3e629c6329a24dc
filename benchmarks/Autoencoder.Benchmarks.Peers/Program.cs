using System.Runtime.InteropServices;
using Autoencoder;
using Autoencoder.Benchmarks.Peers;
using MathNet.Numerics.LinearAlgebra;

// Compares our training throughput and single-sample latency with TorchSharp's (libtorch CPU) on
// the same models, data, batch size and optimizer. The report goes to standard output as
// markdown; progress goes to standard error.
BenchmarkOptions options;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(BenchmarkOptions.Usage);
        return 0;
    }

    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

if (options.Worker is not null)
{
    return PeerWorker.Run(options);
}

void Log(string line) => Console.Error.WriteLine(line);

// Other processes on the machine distort every figure, libtorch's spinning OpenMP barriers most:
// the load average is sampled before each measurement and reported.
string loadAtStart = Machine.LoadAverage();
double peakLoad = Machine.LoadOneMinute();
void SampleLoad() => peakLoad = Math.Max(peakLoad, Machine.LoadOneMinute());

bool jemallocPresent = File.Exists(options.JemallocPath);
if (options.Has("jemalloc") && !jemallocPresent)
{
    Log($"{options.JemallocPath} is missing (Debian: apt-get install -y libjemalloc2); the jemalloc column is left out.");
}

bool runGlibc = options.Has("glibc");
bool runJemalloc = options.Has("jemalloc") && jemallocPresent;
(Matrix<float> images, string dataDescription) = BenchmarkData.Load(options);
Log($"data: {dataDescription}");

var parities = new List<ParityResult>();
string libTorchVersion = "not run";
if (options.Parity && (runGlibc || runJemalloc))
{
    foreach (var (model, batchSize) in options.ParityRuns)
    {
        Log($"sanity check: {model.Name} from the same weights on both sides, batch {batchSize}");
        PeerReport report = PeerProcess.Run(options with { BatchSize = batchSize }, "parity", [model], "glibc");
        parities.Add(report.Parity ?? throw new InvalidDataException($"The parity process for {model.Name} reported no check."));
        libTorchVersion = report.LibTorchVersion;
    }
}

// Both sides get the same thread count: ours through the library's public cap.
Parallelism.MaxDegreeOfParallelism = options.Threads;

var results = new Results();
int peerThreads = 0, peerInterop = 0;
bool jemallocLoaded = true;
IReadOnlyList<BenchmarkRun> runs = options.Runs;
foreach (BenchmarkRun run in runs)
{
    ModelSpec spec = run.Spec;
    BenchmarkOptions runOptions = run.Options(options);
    if (options.Has("ours"))
    {
        SampleLoad();
        results.Ours[run.Label] = OurSide.Run(spec, images, runOptions, Log);
    }

    foreach (var (allocator, measure, target) in new[] { ("glibc", runGlibc, results.Glibc), ("jemalloc", runJemalloc, results.Jemalloc) })
    {
        if (!measure)
        {
            continue;
        }

        SampleLoad();
        PeerReport report = PeerProcess.Run(runOptions, "peer", [spec], allocator);
        target[run.Label] = report.Models.Single();
        libTorchVersion = report.LibTorchVersion;
        (peerThreads, peerInterop) = (report.Threads, report.InteropThreads);
        jemallocLoaded &= report.AllocatorLoaded;
    }
}

string Version(Type type) =>
    type.Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
        .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "unknown";

Console.WriteLine("# Autoencoder vs TorchSharp (libtorch CPU): training throughput and single-sample latency");
Console.WriteLine();
Console.WriteLine($"- Machine: {Machine.CpuModel()} ({Machine.CpuFlags()}), {Environment.ProcessorCount} cores, {Machine.Memory()}; {RuntimeInformation.OSDescription}, glibc {Machine.GlibcVersion()}");
Console.WriteLine($"- Software: {RuntimeInformation.FrameworkDescription}, Autoencoder {Version(typeof(AutoencoderModel))} (MathNet.Numerics {Version(typeof(Matrix<float>))}), TorchSharp {Machine.TorchSharpVersion()} (libtorch {libTorchVersion})");
Console.WriteLine($"- Threads: TorchSharp {(peerThreads > 0 ? peerThreads : options.Threads)} intra-op and {(peerInterop > 0 ? peerInterop : options.Threads)} inter-op (`torch.set_num_threads`, `OMP_NUM_THREADS`); ours {Parallelism.MaxDegreeOfParallelism} (`Parallelism.MaxDegreeOfParallelism`) on this {Environment.ProcessorCount}-core machine");
if (Environment.GetEnvironmentVariable("MALLOC_CONF") is { Length: > 0 } mallocConf)
{
    Console.WriteLine($"- jemalloc runs with `MALLOC_CONF={mallocConf}` (inherited from the environment)");
}

if (options.OmpWaitPolicy is not null)
{
    Console.WriteLine($"- TorchSharp runs with `OMP_WAIT_POLICY={options.OmpWaitPolicy}`");
}

Console.WriteLine(runJemalloc
    ? $"- Allocators: TorchSharp as is (glibc malloc) and with `LD_PRELOAD={options.JemallocPath}`{(jemallocLoaded ? "" : " (**jemalloc not found in the process maps: the preload failed**)")}, each in its own process"
    : $"- Allocators: TorchSharp as is (glibc malloc), in its own process; jemalloc not measured{(options.Has("jemalloc") ? $" ({options.JemallocPath} is missing: apt-get install -y libjemalloc2)" : "")}");
string[] denseNames = runs.Where(r => !r.Spec.IsConvolutional).Select(r => r.Spec.Name).ToArray();
string[] convNames = runs.Where(r => r.Spec.IsConvolutional).Select(r => r.Spec.Name).Distinct().ToArray();
string batches = convNames.Length == 0
    ? $"{options.BatchSize}"
    : string.Join("; batch ", new[]
    {
        denseNames.Length > 0 ? $"{options.BatchSize} ({string.Join(", ", denseNames)})" : null,
        $"{string.Join(" and ", options.ConvBatchSizes)} ({string.Join(", ", convNames)}, each row of 784 pixels a 1×28×28 image)",
    }.OfType<string>());
Console.WriteLine($"- Data: {dataDescription}; batch {batches}, Adam (lr 1e-3, β 0.9/0.999, ε 1e-8), reshuffled every epoch, both sides starting from the same initial weights (ours, seed {OurSide.Seed})");
Console.WriteLine($"- Timing: plain `System.Diagnostics.Stopwatch` wall time, not BenchmarkDotNet. Per model and side: {options.WarmupBatches} untimed warm-up batches, then {options.Epochs} timed epoch(s) of {images.RowCount} samples; samples/s = samples ÷ epoch time (ours: the per-epoch `Duration` in `TrainingHistory`). Latency: {options.LatencyWarmupCalls} untimed then {options.LatencyCalls} timed calls, each timed alone (ours `Reconstruct(ReadOnlySpan<float>, Span<float>)`; TorchSharp: tensor from the sample, forward, sigmoid, copy out, under `inference_mode`)");
SampleLoad();
Log($"measuring the FMA peak on {options.Threads} threads");
double? peak = FmaPeak.Measure(options.Threads);
Console.WriteLine(peak is double p
    ? $"- FMA peak, measured: {p:F1} GFLOP/s float32 on {options.Threads} threads ({FmaPeak.PathName}: 12 independent FMA chains per thread in registers, best of 5 runs of 2.5×10⁷ iterations)"
    : $"- FMA peak: not measured ({FmaPeak.PathName})");
Console.WriteLine($"- Load average (1/5/15 min): {loadAtStart} at the start, {Machine.LoadAverage()} at the end, highest 1-minute value seen {peakLoad:F2}");
if (peakLoad > 0.5 * Environment.ProcessorCount)
{
    Console.WriteLine($"- **Warning:** other processes were using the cores (1-minute load up to {peakLoad:F2} on {Environment.ProcessorCount} cores): every figure is lower and noisier than on an idle machine{(options.OmpWaitPolicy == "PASSIVE" ? "" : ", libtorch's most of all, since its OpenMP threads spin at barriers; `--omp-wait-policy passive` makes them sleep instead")}");
}

foreach (ParityResult parity in parities)
{
    Console.WriteLine(Report.Parity(parity));
}

Console.WriteLine();
Console.WriteLine(Report.Throughput(runs, results, peak));
if (runs.Any(r => r.MeasureLatency))
{
    Console.WriteLine(Report.Latency(runs, results, options.LatencyCalls));
}

return parities.All(p => p.MaxLossDifference <= ParityCheck.LossTolerance) ? 0 : 1;

using System.Diagnostics;
using System.Globalization;
using Autoencoder;
using Autoencoder.Benchmarks.Onnx;
using Autoencoder.Benchmarks.Peers;

// Compares inference of our models with ONNX Runtime (CPU) running the same models exported to
// ONNX: the batch calls Encode, Reconstruct and ReconstructionErrors on MathNet matrices and on
// row-major spans, and single-row latency, at each thread count. The report goes to standard output
// as markdown; progress goes to standard error.
OnnxBenchmarkOptions options;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(OnnxBenchmarkOptions.Usage);
        return 0;
    }

    options = OnnxBenchmarkOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(OnnxBenchmarkOptions.Usage);
    return 2;
}

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var clock = Stopwatch.StartNew();
void Log(string line) => Console.Error.WriteLine($"[{clock.Elapsed:mm\\:ss}] {line}");

string loadAtStart = Machine.LoadAverage();
Log($"data: {options.DataRows} × {ModelSpec.InputSize} uniform [0, 1), seed {OnnxBenchmarkOptions.DataSeed}");
float[] rowMajor = BenchmarkData.Uniform(options.DataRows, ModelSpec.InputSize, OnnxBenchmarkOptions.DataSeed);
(ModelSpec Spec, AutoencoderModel Model)[] models = options.Models.Select(spec => (spec, spec.BuildOurs(OnnxBenchmarkOptions.ModelSeed))).ToArray();

// Parity of every call at every thread count before anything is timed: a failure anywhere means
// the sides do not compute the same thing, and no figure is worth printing.
var parity = new List<ParityResult>();
foreach (int threads in options.Threads)
{
    Parallelism.MaxDegreeOfParallelism = threads;
    foreach (var (spec, model) in models)
    {
        using var pair = new ModelPair(spec, model, threads, options.OrtSpinning);
        ParityResult check = ParityCheck.Run(pair, rowMajor, OnnxBenchmarkOptions.ParityRows);
        Log($"parity {spec.Name}, {threads} thread(s): {string.Join(", ", check.Batch.Select(d => $"{d.Key.MethodName()} {d.Value:0.0e+00}"))}, single-row Reconstruct {check.SingleRow:0.0e+00}{(check.Passed ? "" : " FAILED")}");
        parity.Add(check);
    }
}

if (parity.Any(p => !p.Passed))
{
    Console.Write(Report.Header(options, loadAtStart));
    Console.WriteLine();
    Console.Write(Report.Parity(parity));
    Log($"parity check failed: outputs differ by more than {OnnxBenchmarkOptions.Tolerance:0e0}; no timings taken");
    return 1;
}

int measurements = options.Threads.Count * models.Length * options.Apis.Count * options.Rows.Count * options.Calls.Count;
int done = 0;
var batch = new List<BatchComparison>();
var latency = new List<LatencyComparison>();
foreach (int threads in options.Threads)
{
    // A thread count is a setting of the whole run at it: ours process-wide, ORT's per session.
    Parallelism.MaxDegreeOfParallelism = threads;
    foreach (var (spec, model) in models)
    {
        using var pair = new ModelPair(spec, model, threads, options.OrtSpinning);
        foreach (BatchApi api in options.Apis)
        {
            foreach (int rows in options.Rows)
            {
                foreach (BatchCall call in options.Calls)
                {
                    Log($"measurement {++done}/{measurements}");
                    batch.Add(BatchMeasure.Run(pair, call, api, rowMajor, rows, options, Log));
                }
            }
        }

        latency.Add(LatencyMeasure.Run(pair, rowMajor, options, Log));
    }
}

Console.Write(Report.Header(options, loadAtStart, Machine.LoadAverage()));
Console.WriteLine();
Console.Write(Report.Method());
Console.WriteLine();
Console.Write(Report.Parity(parity));
foreach (int threads in options.Threads)
{
    foreach (BatchApi api in options.Apis)
    {
        Console.WriteLine();
        Console.Write(Report.Batch(options, threads, api, batch));
    }

    Console.WriteLine();
    Console.Write(Report.Latency(options, threads, latency));
}

Log($"done in {clock.Elapsed:mm\\:ss}");

// The timed runs must have computed the same thing too.
if (batch.Any(b => !b.Agrees))
{
    Log($"the outputs of a timed batch call differ by more than {OnnxBenchmarkOptions.Tolerance:0e0}");
    return 1;
}

return 0;

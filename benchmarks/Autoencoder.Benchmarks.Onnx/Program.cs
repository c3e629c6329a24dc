using System.Globalization;
using Autoencoder;
using Autoencoder.Benchmarks.Onnx;
using Autoencoder.Benchmarks.Peers;
using MathNet.Numerics.LinearAlgebra;

// Compares inference of our models with ONNX Runtime (CPU) running the same models exported to
// ONNX: batch scoring throughput and single-row latency. The report goes to standard output as
// markdown; progress goes to standard error.
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

void Log(string line) => Console.Error.WriteLine(line);

string loadAtStart = Machine.LoadAverage();
Parallelism.MaxDegreeOfParallelism = options.Threads;

Log($"data: {options.Rows} × {ModelSpec.InputSize} uniform [0, 1), seed {OnnxBenchmarkOptions.DataSeed}");
float[] rowMajor = BenchmarkData.Uniform(options.Rows, ModelSpec.InputSize, OnnxBenchmarkOptions.DataSeed);
Matrix<float> data = Matrix<float>.Build.DenseOfRowMajor(options.Rows, ModelSpec.InputSize, rowMajor);

// Both sides run the same model: ours, and ONNX Runtime loading the bytes ours exports.
var sides = new List<(ModelSpec Spec, AutoencoderModel Ours, OrtSide Ort)>();
var parity = new List<ParityResult>();
foreach (ModelSpec spec in options.Models)
{
    AutoencoderModel model = spec.BuildOurs(OnnxBenchmarkOptions.ModelSeed);
    var ort = new OrtSide(model, options);
    sides.Add((spec, model, ort));
    ParityResult check = ParityCheck.Run(spec, model, ort, rowMajor, OnnxBenchmarkOptions.ParityRows);
    Log($"parity {spec.Name}: max |ours − ORT| {check.MaxBatchDifference:0.00e+00} (batch), {check.MaxSingleRowDifference:0.00e+00} (single row) over {check.Rows} rows");
    parity.Add(check);
}

if (parity.Any(p => !p.Passed))
{
    Console.Write(Report.Header(options, loadAtStart));
    Console.WriteLine();
    Console.Write(Report.Parity(parity));
    Log($"parity check failed: outputs differ by more than {OnnxBenchmarkOptions.Tolerance:0e0}; no timings taken");
    foreach (var side in sides)
    {
        side.Ort.Dispose();
    }

    return 1;
}

var batch = new Dictionary<string, BatchComparison>();
var spans = new Dictionary<string, SpanBatchComparison>();
var latency = new Dictionary<string, LatencyComparison>();
foreach (var (spec, model, ort) in sides)
{
    batch[spec.Name] = Measure.Batch(spec, model, ort, data, rowMajor, options, Log);
    spans[spec.Name] = SpanBatch.Run(spec, model, ort, rowMajor, options.Rows, options, Log);
    latency[spec.Name] = Measure.Latency(spec, model, ort, rowMajor, options, Log);
    ort.Dispose();
}

Console.Write(Report.Header(options, loadAtStart, Machine.LoadAverage()));
Console.WriteLine();
Console.Write(Report.Parity(parity));
Console.WriteLine();
Console.Write(Report.Batch(options, batch));
Console.WriteLine();
Console.Write(Report.SpanBatch(options, spans));
Console.WriteLine();
Console.Write(Report.Latency(options, latency));

// The timed runs must have computed the same thing too.
if (batch.Values.Any(b => !(b.MaxDifference <= OnnxBenchmarkOptions.Tolerance)) || spans.Values.Any(s => !(s.MaxDifference <= OnnxBenchmarkOptions.Tolerance)))
{
    Log($"the timed batch outputs differ by more than {OnnxBenchmarkOptions.Tolerance:0e0}");
    return 1;
}

return 0;

using Autoencoder.Kernels;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Benchmarks.Kernels;

/// <summary>
/// The three products of each layer shape at batch 256, plus single-row inference
/// (<see cref="GemmProduct.Forward"/> at batch 1 via <see cref="Batch"/>): ours on one thread
/// and on all cores, MathNet's managed <c>Matrix&lt;float&gt;</c> product (baseline), and the
/// scalar reference. The GFLOP/s column divides 2·m·n·k by the mean time.
/// </summary>
/// <remarks>
/// Run: <c>dotnet run -c Release --project benchmarks/Autoencoder.Benchmarks -- --filter *Gemm*</c>.
/// A short job, because 24 shapes × 4 methods of a full job would take hours, and the
/// differences measured here are factors, not percent.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class GemmBenchmarks
{
    private float[] a = [];
    private float[] b = [];
    private float[] c = [];
    private Matrix<float> mathA = null!;
    private Matrix<float> mathB = null!;
    private Matrix<float> mathC = null!;
    private GemmCase gemmCase;

    /// <summary>Layer weights as inputs×outputs.</summary>
    [Params("784x128", "128x784", "784x32", "32x784", "784x1000", "1000x500", "500x250", "250x30")]
    public string Layer { get; set; } = "784x1000";

    [ParamsAllValues]
    public GemmProduct Product { get; set; }

    [Params(256, 1)]
    public int Batch { get; set; } = 256;

    [GlobalSetup]
    public void Setup()
    {
        string[] sides = Layer.Split('x');
        gemmCase = new GemmCase(Batch, int.Parse(sides[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(sides[1], System.Globalization.CultureInfo.InvariantCulture), Product);
        var random = new Random(1);
        a = new float[gemmCase.AShape.Rows * gemmCase.AShape.Cols];
        b = new float[gemmCase.BShape.Rows * gemmCase.BShape.Cols];
        c = new float[gemmCase.M * gemmCase.N];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)random.NextDouble() - 0.5f;
        }

        for (int i = 0; i < b.Length; i++)
        {
            b[i] = (float)random.NextDouble() - 0.5f;
        }

        // MathNet is column-major: build its matrices with the same logical contents.
        mathA = Matrix<float>.Build.Dense(gemmCase.AShape.Rows, gemmCase.AShape.Cols, (i, j) => a[i * gemmCase.AShape.Cols + j]);
        mathB = Matrix<float>.Build.Dense(gemmCase.BShape.Rows, gemmCase.BShape.Cols, (i, j) => b[i * gemmCase.BShape.Cols + j]);
        mathC = Matrix<float>.Build.Dense(gemmCase.M, gemmCase.N);
    }

    [Benchmark(Description = "Ours, 1 thread")]
    public void OursSingleThread() => Run(1);

    [Benchmark(Description = "Ours, all cores")]
    public void OursAllCores() => Run(Environment.ProcessorCount);

    [Benchmark(Baseline = true, Description = "MathNet Multiply")]
    public void MathNet()
    {
        switch (Product)
        {
            case GemmProduct.Forward:
                mathA.Multiply(mathB, mathC);
                break;
            case GemmProduct.InputGradient:
                mathA.TransposeAndMultiply(mathB, mathC);
                break;
            default:
                mathA.TransposeThisAndMultiply(mathB, mathC);
                break;
        }
    }

    [Benchmark(Description = "OpenBLAS, 1 thread")]
    public void OpenBlasSingleThread() => RunOpenBlas(1);

    [Benchmark(Description = "OpenBLAS, all cores")]
    public void OpenBlasAllCores() => RunOpenBlas(Environment.ProcessorCount);

    [Benchmark(Description = "Naive reference")]
    public void Reference()
        => Gemm.Reference(gemmCase.TransA, gemmCase.TransB, gemmCase.M, gemmCase.N, gemmCase.K, a, gemmCase.AShape.Cols, b, gemmCase.BShape.Cols, c, gemmCase.N, accumulate: false);

    private void Run(int threads)
        => Gemm.MultiplyOn(GemmPath.Auto, threads, gemmCase.TransA, gemmCase.TransB, gemmCase.M, gemmCase.N, gemmCase.K, a, gemmCase.AShape.Cols, b, gemmCase.BShape.Cols, c, gemmCase.N, accumulate: false);

    private void RunOpenBlas(int threads)
    {
        OpenBlas.SetThreads(threads);
        OpenBlas.Multiply(gemmCase.TransA, gemmCase.TransB, gemmCase.M, gemmCase.N, gemmCase.K, a, gemmCase.AShape.Cols, b, gemmCase.BShape.Cols, c, gemmCase.N);
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.ShortRun);
            AddColumn(new GflopsColumn());

            // Only forward products matter at batch 1 (inference); skip the gradients there.
            AddFilter(new SimpleFilter(benchmark =>
                (int)benchmark.Parameters["Batch"] != 1 || (GemmProduct)benchmark.Parameters["Product"] == GemmProduct.Forward));

            // OpenBLAS is a baseline only where Debian's libopenblas0 is installed.
            AddFilter(new SimpleFilter(benchmark =>
                OpenBlas.IsAvailable || !benchmark.Descriptor.WorkloadMethod.Name.StartsWith("OpenBlas", StringComparison.Ordinal)));
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using Autoencoder.Activations;
using Autoencoder.Data;
using Autoencoder.Kernels;

namespace Autoencoder.Benchmarks.Kernels;

/// <summary>
/// Quick timings of the kernels batch scoring and one-row inference lean on
/// (<c>--inference-kernels</c>): the sigmoid of a large output, the transposes between MathNet's
/// column-major storage and row-major blocks, one-row products on one thread and split over two
/// (helpers awake), and the blocked product at one and several depth blocks. Best of seven timed
/// repetitions after at least five untimed ones and one second; inputs are uniform values from a fixed seed.
/// </summary>
public static class InferenceKernelTimings
{
    private const int Repetitions = 7;

    public static void Run()
    {
        var random = new Random(1);
        float[] Uniform(int count)
        {
            var values = new float[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = random.NextSingle() - 0.5f;
            }

            return values;
        }

        Console.WriteLine(Invariant($"{Environment.ProcessorCount} cores, GEMM path {Gemm.BestPath}"));

        // The sigmoid of M1's output for 8,192 rows: once in two halves on the pool, and as 32 blocks of 256 rows on one thread.
        float[] z = Uniform(8192 * 784), a = new float[z.Length];
        Report("sigmoid, 6.4M values, halves on the pool", Best(() => ActivationFunctions.Forward(Activation.Sigmoid, z, a)), "ms");
        Report("sigmoid, 32 blocks of 200,704 values, one thread", Best(() =>
        {
            for (int block = 0; block < 32; block++)
            {
                Sigmoid.Forward(z.AsSpan(block * 200_704, 200_704), a.AsSpan(block * 200_704, 200_704));
            }
        }), "ms");

        // A MathNet 8,192 × 784 matrix's storage to row-major blocks of 256 rows and back, against a plain copy.
        float[] columnMajor = Uniform(8192 * 784), back = new float[columnMajor.Length], block256 = new float[256 * 784];
        Report("column-major 8,192 × 784 to row-major blocks of 256", Best(() =>
        {
            for (int first = 0; first < 8192; first += 256)
            {
                RowMajor.CopyRows(columnMajor, 8192, 784, first, 256, block256);
            }
        }), "ms");
        Report("row-major blocks of 256 back into column-major", Best(() =>
        {
            for (int first = 0; first < 8192; first += 256)
            {
                RowMajor.WriteRows(block256, 256, 784, back, 8192, first);
            }
        }), "ms");
        Report("plain copy of the same blocks", Best(() =>
        {
            for (int first = 0; first < 8192; first += 256)
            {
                columnMajor.AsSpan(first * 784, 256 * 784).CopyTo(block256);
            }
        }), "ms");

        // One-row products (single-sample inference): B read from L2 (M2's layers) or L3 (M3's).
        foreach ((int k, int n) in ((int, int)[])[(784, 128), (128, 784), (784, 1000), (1000, 784)])
        {
            float[] x = Uniform(k), b = Uniform(k * n), c = new float[n];
            const int calls = 2000;
            foreach (int threads in (int[])[1, 2])
            {
                double ms = Best(() =>
                {
                    using WorkerPool.AwakeScope awake = WorkerPool.Awake();
                    for (int call = 0; call < calls; call++)
                    {
                        Gemm.MultiplyOn(GemmPath.Auto, threads, false, false, 1, n, k, x, k, b, n, c, n, false);
                    }
                });
                Report(Invariant($"1×{k}×{n}, {threads} thread{(threads == 1 ? "" : "s")}"), ms * 1000 / calls, Invariant($"µs ({4.0 * k * n / (ms / calls) / 1e6:F1} GB/s of B)"));
            }
        }

        // The blocked product on one thread, at one depth block (k = 256) and at three or more.
        foreach ((int m, int n, int k) in ((int, int, int)[])[(256, 1000, 784), (258, 1024, 256), (258, 1024, 768)])
        {
            float[] left = Uniform(m * k), right = Uniform(k * n), product = new float[m * n];
            int calls = Math.Max(3, (int)(2e9 / (2.0 * m * n * k)));
            double ms = Best(() =>
            {
                for (int call = 0; call < calls; call++)
                {
                    Gemm.MultiplyOn(GemmPath.Auto, 1, false, false, m, n, k, left, k, right, n, product, n, false);
                }
            });
            Report(Invariant($"{m}×{n}×{k}, one thread"), 2.0 * m * n * k * calls / ms / 1e6, "GFLOP/s");
        }
    }

    private static double Best(Action action)
    {
        // At least five untimed calls and one second: a kernel's loops start in the JIT's first
        // tier and are recompiled optimised in the background after some calls; timed before that
        // (the transposes' first measurement in a process took 10–12 ms instead of 2–3) they
        // measure the JIT, not the kernel.
        var warmup = Stopwatch.StartNew();
        for (int i = 0; i < 5 || warmup.Elapsed.TotalSeconds < 1; i++)
        {
            action();
        }

        double best = double.MaxValue;
        for (int i = 0; i < Repetitions; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return best;
    }

    private static void Report(string what, double value, string unit) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what,-52} {value,10:F2} {unit}"));

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}

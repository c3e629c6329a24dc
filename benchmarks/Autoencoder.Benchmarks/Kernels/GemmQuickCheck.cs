using System.Diagnostics;
using Autoencoder.Kernels;

namespace Autoencoder.Benchmarks.Kernels;

/// <summary>
/// Fast GFLOP/s table for tuning (<c>--gflops [path] [batch]</c>): best of several timed
/// repetitions per case after a warm-up, at 1 thread and at all threads.
/// </summary>
public static class GemmQuickCheck
{
    public static void Run(string[] args)
    {
        GemmPath path = args.Length > 0 ? Enum.Parse<GemmPath>(args[0], ignoreCase: true) : GemmPath.Auto;
        int batch = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 256;
        int threads = Environment.ProcessorCount;
        Console.WriteLine($"path {(path == GemmPath.Auto ? Gemm.BestPath : path)}, batch {batch}, {threads} cores, {Environment.OSVersion}");
        bool blas = OpenBlas.IsAvailable;
        Console.WriteLine($"{"case",-44} {"1 thread",12} {threads + " threads",12}" + (blas ? $" {"OpenBLAS 1",12} {"OpenBLAS " + threads,12}" : "   (no OpenBLAS)"));
        foreach ((int inputs, int outputs) in GemmCase.Layers)
        {
            foreach (GemmProduct product in Enum.GetValues<GemmProduct>())
            {
                var gemmCase = new GemmCase(batch, inputs, outputs, product);
                double one = Measure(gemmCase, path, 1);
                double all = Measure(gemmCase, path, threads);
                string peer = blas ? $" {Measure(gemmCase, path, 1, openBlas: true),12:F1} {Measure(gemmCase, path, threads, openBlas: true),12:F1}" : string.Empty;
                Console.WriteLine($"{gemmCase,-44} {one,12:F1} {all,12:F1}{peer}");
            }
        }

        foreach ((int inputs, int outputs) in GemmCase.Layers)
        {
            var single = new GemmCase(1, inputs, outputs, GemmProduct.Forward);
            Console.WriteLine($"{single,-44} {Measure(single, path, 1),12:F1} {Measure(single, path, threads),12:F1}");
        }
    }

    /// <summary>
    /// Best GFLOP/s over 30 repetitions of about 5 ms each: the best, not the mean, because
    /// the machine is shared and other work only ever slows a repetition down.
    /// </summary>
    private static double Measure(GemmCase gemmCase, GemmPath path, int threads, bool openBlas = false)
    {
        var random = new Random(1);
        float[] a = Fill(gemmCase.AShape.Rows * gemmCase.AShape.Cols, random);
        float[] b = Fill(gemmCase.BShape.Rows * gemmCase.BShape.Cols, random);
        float[] c = new float[gemmCase.M * gemmCase.N];
        if (openBlas)
        {
            OpenBlas.SetThreads(threads);
        }

        void Once()
        {
            if (openBlas)
            {
                OpenBlas.Multiply(gemmCase.TransA, gemmCase.TransB, gemmCase.M, gemmCase.N, gemmCase.K, a, gemmCase.AShape.Cols, b, gemmCase.BShape.Cols, c, gemmCase.N);
            }
            else
            {
                Gemm.MultiplyOn(
                    path, threads, gemmCase.TransA, gemmCase.TransB, gemmCase.M, gemmCase.N, gemmCase.K,
                    a, gemmCase.AShape.Cols, b, gemmCase.BShape.Cols, c, gemmCase.N, accumulate: false);
            }
        }

        var watch = Stopwatch.StartNew();
        int calls = 0;
        while (watch.ElapsedMilliseconds < 100 || calls < 3)
        {
            Once();
            calls++;
        }

        int perRepetition = Math.Max(1, (int)(calls * 5 / watch.Elapsed.TotalMilliseconds));
        double best = double.MaxValue;
        for (int repetition = 0; repetition < 30; repetition++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < perRepetition; i++)
            {
                Once();
            }

            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds / perRepetition);
        }

        return gemmCase.Flops / best / 1e9;
    }

    private static float[] Fill(int length, Random random)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }
}

using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Autoencoder.Benchmarks.Peers;

/// <summary>
/// The machine's float32 fused-multiply-add peak, measured rather than assumed: every thread runs a
/// register-only loop of 12 independent FMA chains on the widest vectors the processor has (AVX-512 or
/// AVX2 with FMA), enough chains to cover the FMA latency on two pipes, and the best of several
/// timed runs counts 2 flops per lane per FMA. Training figures are then reported as a share of it.
/// </summary>
internal static class FmaPeak
{
    /// <summary>Iterations per run: each is <see cref="Chains"/> FMAs per thread.</summary>
    private const long Iterations = 25_000_000;

    /// <summary>
    /// Independent chains: enough to cover a 4–5 cycle FMA latency on two pipes, few enough that
    /// they and the two operands stay in AVX2's 16 vector registers (16 chains spill there).
    /// </summary>
    private const int Chains = 12;

    /// <summary>The widest path this process has, for the report.</summary>
    public static string PathName =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? "Vector512 (AVX-512F)"
        : Fma.IsSupported && Vector256.IsHardwareAccelerated ? "Vector256 (AVX2 + FMA)"
        : "none (no hardware FMA: the peak is not measured)";

    /// <summary>Float32 GFLOP/s of <paramref name="threads"/> threads running the loop at once (best of <paramref name="runs"/>), or null without hardware FMA.</summary>
    public static double? Measure(int threads, int runs = 5)
    {
        int lanes = Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? 16 : Fma.IsSupported && Vector256.IsHardwareAccelerated ? 8 : 0;
        if (lanes == 0)
        {
            return null;
        }

        Loop(lanes, 1000); // compiled and warm before timing
        double best = double.MaxValue;
        for (int run = 0; run < runs; run++)
        {
            using var start = new Barrier(threads + 1);
            var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
            {
                start.SignalAndWait();
                Loop(lanes, Iterations);
            })
            { IsBackground = true }).ToArray();
            foreach (Thread worker in workers)
            {
                worker.Start();
            }

            start.SignalAndWait();
            var clock = Stopwatch.StartNew();
            foreach (Thread worker in workers)
            {
                worker.Join();
            }

            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        return threads * Iterations * (double)Chains * lanes * 2 / best / 1e9;
    }

    /// <summary><see cref="Chains"/> independent chains of <c>acc = acc·a + b</c>; the result is returned so the loop cannot be removed.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Loop(int lanes, long iterations) => lanes == 16 ? Loop512(iterations) : Loop256(iterations);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Loop512(long iterations)
    {
        Vector512<float> a = Vector512.Create(0.999999f), b = Vector512.Create(1e-7f);
        Vector512<float> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a;
        Vector512<float> c6 = b, c7 = b, c8 = b, c9 = b, c10 = b, c11 = b;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Avx512F.FusedMultiplyAdd(c0, a, b); c1 = Avx512F.FusedMultiplyAdd(c1, a, b); c2 = Avx512F.FusedMultiplyAdd(c2, a, b);
            c3 = Avx512F.FusedMultiplyAdd(c3, a, b); c4 = Avx512F.FusedMultiplyAdd(c4, a, b); c5 = Avx512F.FusedMultiplyAdd(c5, a, b);
            c6 = Avx512F.FusedMultiplyAdd(c6, a, b); c7 = Avx512F.FusedMultiplyAdd(c7, a, b); c8 = Avx512F.FusedMultiplyAdd(c8, a, b);
            c9 = Avx512F.FusedMultiplyAdd(c9, a, b); c10 = Avx512F.FusedMultiplyAdd(c10, a, b); c11 = Avx512F.FusedMultiplyAdd(c11, a, b);
        }

        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Loop256(long iterations)
    {
        Vector256<float> a = Vector256.Create(0.999999f), b = Vector256.Create(1e-7f);
        Vector256<float> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a;
        Vector256<float> c6 = b, c7 = b, c8 = b, c9 = b, c10 = b, c11 = b;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Fma.MultiplyAdd(c0, a, b); c1 = Fma.MultiplyAdd(c1, a, b); c2 = Fma.MultiplyAdd(c2, a, b);
            c3 = Fma.MultiplyAdd(c3, a, b); c4 = Fma.MultiplyAdd(c4, a, b); c5 = Fma.MultiplyAdd(c5, a, b);
            c6 = Fma.MultiplyAdd(c6, a, b); c7 = Fma.MultiplyAdd(c7, a, b); c8 = Fma.MultiplyAdd(c8, a, b);
            c9 = Fma.MultiplyAdd(c9, a, b); c10 = Fma.MultiplyAdd(c10, a, b); c11 = Fma.MultiplyAdd(c11, a, b);
        }

        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }
}

using System.Diagnostics;
using Autoencoder.Kernels;
using static System.FormattableString;

namespace Autoencoder.Tests.Kernels;

/// <summary>
/// While an awake scope is open the helpers poll for calls instead of sleeping: calls still run
/// every part exactly once, one-row products split over the threads give the one-thread bits, and
/// the helpers go back to sleep shortly after the last scope closes.
/// </summary>
[Collection(nameof(Training.GlobalSettingsCollection))]
public unsafe class WorkerPoolAwakeTests
{
    [Fact]
    public void Awake_ManyShortCalls_RunEveryPartOnce()
    {
        int saved = WorkerPool.MaxDegreeOfParallelism;
        WorkerPool.MaxDegreeOfParallelism = 2;
        try
        {
            var counts = new int[8];
            using (WorkerPool.Awake())
            {
                Assert.True(WorkerPool.HelpersAwake);
                fixed (int* pointer = counts)
                {
                    for (int call = 0; call < 2000; call++)
                    {
                        WorkerPool.Run(2, counts.Length, &CountPart, pointer);
                    }
                }
            }

            Assert.All(counts, c => Assert.Equal(2000, c));
        }
        finally
        {
            WorkerPool.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void Awake_AfterTheScopeCloses_HelpersStopPollingWithinTheLinger()
    {
        int saved = WorkerPool.MaxDegreeOfParallelism;
        WorkerPool.MaxDegreeOfParallelism = 2;
        try
        {
            using (WorkerPool.Awake())
            {
                Assert.True(WorkerPool.HelpersAwake);
            }

            var clock = Stopwatch.StartNew();
            while (WorkerPool.HelpersAwake && clock.ElapsedMilliseconds < 1000)
            {
                Thread.Sleep(1);
            }

            Assert.False(WorkerPool.HelpersAwake, Invariant($"helpers still awake {clock.ElapsedMilliseconds} ms after the scope closed"));
        }
        finally
        {
            WorkerPool.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void Awake_OneThread_OpensNoScope()
    {
        int saved = WorkerPool.MaxDegreeOfParallelism;
        WorkerPool.MaxDegreeOfParallelism = 1;
        try
        {
            Thread.Sleep(2); // past any linger of an earlier test
            using (WorkerPool.Awake())
            {
                Assert.False(WorkerPool.HelpersAwake);
            }
        }
        finally
        {
            WorkerPool.MaxDegreeOfParallelism = saved;
        }
    }

    [Theory]
    [InlineData(784, 128)]
    [InlineData(128, 784)]
    [InlineData(1000, 500)]
    [InlineData(300, 1001)]
    public void OneRowProduct_SplitWhileAwake_GivesTheOneThreadBits(int k, int n)
    {
        float[] a = TestData.Uniform(k, seed: 3);
        float[] b = TestData.Uniform(k * n, seed: 4);
        float[] bias = TestData.Uniform(n, seed: 5);
        var one = new float[n];
        var two = new float[n];
        Gemm.MultiplyOn(GemmPath.Auto, 1, false, false, 1, n, k, a, k, b, n, one, n, false, bias);
        using (WorkerPool.Awake())
        {
            for (int repeat = 0; repeat < 20; repeat++)
            {
                Gemm.MultiplyOn(GemmPath.Auto, 2, false, false, 1, n, k, a, k, b, n, two, n, false, bias);
                for (int j = 0; j < n; j++)
                {
                    Assert.True(
                        BitConverter.SingleToInt32Bits(one[j]) == BitConverter.SingleToInt32Bits(two[j]),
                        Invariant($"1×{k}×{n}, column {j}, repeat {repeat}: one thread {one[j]:R}, two {two[j]:R}"));
                }
            }
        }
    }

    private static void CountPart(void* state, int part, int parts) => Interlocked.Increment(ref ((int*)state)[part]);
}

using static System.FormattableString;

namespace Autoencoder.Tests.Model;

/// <summary>
/// The span calls of <see cref="AutoencoderModel"/> allocate nothing once warm (their scratch is the
/// network's own, <c>Model/ScratchArrays.cs</c>; measured on the calling thread, which runs blocks
/// of every call as the pool's helpers do), and any number of threads may run them at once on one model.
/// </summary>
public class RowBatchResourceTests
{
    [Theory]
    [InlineData("plain")]
    [InlineData("variational")]
    [InlineData("batch normalization")]
    [InlineData("wide input")]
    public void SpanCalls_AfterWarmUp_DoNotAllocate(string name)
    {
        AutoencoderModel model = RowBatchModels.Build(name);
        const int rows = 600; // three blocks
        float[] x = TestData.Uniform(rows * model.InputSize, seed: 41, low: 0f);
        float[] codes = TestData.Uniform(rows * model.LatentSize, seed: 42);
        var latent = new float[rows * model.LatentSize];
        var output = new float[rows * model.InputSize];
        var errors = new float[rows];
        var features = new float[rows * model.Layers[0].Units];
        void Calls()
        {
            model.Encode(x, rows, latent);
            model.Decode(codes, rows, output);
            model.Reconstruct(x, rows, output);
            model.ReconstructionErrors(x, rows, Loss.BinaryCrossEntropy, errors);
            model.Features(x, rows, 0, features);
        }

        WarmUp(Calls);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Calls();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData("wide input")]
    [InlineData("convolutions")]
    public void SpanCalls_WhenOtherCodeHoldsTheSharedPoolsArrays_DoNotAllocate(string name)
    {
        // "wide input": 600 rows of 700 inputs run as blocks of 78 rows, whose scratch (78 × 700
        // floats) the shared pool would serve from its 65,536-float arrays. "convolutions": a
        // strided transposed convolution, whose inference columns are borrowed per chunk. Other
        // code (another test, another thread) holding every shared array of those sizes must not
        // make the model's calls allocate. Mean squared error: a loss whose value rule is found by
        // reflection, once.
        AutoencoderModel model = name == "convolutions" ? ConvModels.EveryKind(3).Build() : RowBatchModels.Build(name);
        const int rows = 600;
        float[] x = TestData.Uniform(rows * model.InputSize, seed: 43, low: 0f);
        var output = new float[rows * model.InputSize];
        var errors = new float[rows];
        void Calls()
        {
            model.Reconstruct(x, rows, output);
            model.ReconstructionErrors(x, rows, Loss.MeanSquaredError, errors);
        }

        WarmUp(Calls);

        // Every size class of the shared pool from 16 to 65,536 floats, more arrays than it keeps.
        var held = new List<float[]>();
        for (int size = 16; size <= 65_536; size *= 2)
        {
            for (int i = 0; i < 80; i++)
            {
                held.Add(System.Buffers.ArrayPool<float>.Shared.Rent(size));
            }
        }

        try
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Calls();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, allocated);
        }
        finally
        {
            foreach (float[] array in held)
            {
                System.Buffers.ArrayPool<float>.Shared.Return(array);
            }
        }
    }

    [Fact]
    public void SpanCalls_FromManyThreadsAtOnce_EqualSequentialResults()
    {
        AutoencoderModel model = RowBatchModels.Build("batch normalization");
        int width = model.InputSize;
        float[][] batches = Enumerable.Range(0, 8).Select(i => TestData.Uniform((260 + i) * width, seed: 50 + i, low: 0f)).ToArray();
        float[][] expected = batches.Select(b =>
        {
            var y = new float[b.Length];
            model.Reconstruct(b, b.Length / width, y);
            return y;
        }).ToArray();
        float[][] expectedErrors = batches.Select(b =>
        {
            var e = new float[b.Length / width];
            model.ReconstructionErrors(b, e.Length, Loss.MeanSquaredError, e);
            return e;
        }).ToArray();

        var actual = new float[batches.Length][];
        var actualErrors = new float[batches.Length][];
        Parallel.For(0, batches.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            float[] b = batches[i];
            int rows = b.Length / width;
            actual[i] = new float[b.Length];
            actualErrors[i] = new float[rows];
            for (int repeat = 0; repeat < 5; repeat++)
            {
                model.Reconstruct(b, rows, actual[i]);
                model.ReconstructionErrors(b, rows, Loss.MeanSquaredError, actualErrors[i]);
                RowBatchModels.AssertSameBits(expected[i], actual[i], width, Invariant($"batch {i}, repeat {repeat}"));
                RowBatchModels.AssertSameBits(expectedErrors[i], actualErrors[i], 1, Invariant($"errors of batch {i}, repeat {repeat}"));
            }
        });
    }

    /// <summary>
    /// Rounds of calls before allocation is measured: the JIT, and the model's scratch pool, which
    /// keeps as many arrays of a size as were ever out at once. A call's blocks run on whichever
    /// threads are free, so on a busy machine one round may run every block on one thread and leave
    /// the pool one thread's arrays short of a later round that runs on two; several rounds make
    /// a round on both threads all but certain before the measured one.
    /// </summary>
    internal static void WarmUp(Action calls)
    {
        for (int round = 0; round < 6; round++)
        {
            calls();
        }
    }
}

using Autoencoder.Model;
using Autoencoder.Tests.Training;
using Autoencoder.Training;
using MathNet.Numerics.LinearAlgebra;
using static System.FormattableString;

namespace Autoencoder.Tests.Model;

/// <summary>
/// Batch calls run whole blocks of rows through every layer on the pool's threads
/// (<see cref="BatchBlocks"/>): the blocks cover every row once and never leave one row alone, the
/// results are bit-identical for one thread and two, and a refused value in any block is named.
/// </summary>
[Collection(nameof(GlobalSettingsCollection))]
public class BatchBlocksTests
{
    [Theory]
    [InlineData(1, 256)]
    [InlineData(2, 256)]
    [InlineData(257, 256)]
    [InlineData(513, 256)]
    [InlineData(8192, 256)]
    [InlineData(8193, 256)]
    [InlineData(301, 100)]
    [InlineData(7, 3)]
    [InlineData(5, 2)]
    [InlineData(9, 1)]
    public void Range_CoversEveryRowOnce_AndLeavesNoRowAlone(int rows, int block)
    {
        int blocks = BatchBlocks.Count(rows, block);
        int next = 0;
        for (int i = 0; i < blocks; i++)
        {
            var (start, count) = BatchBlocks.Range(rows, block, i);
            Assert.True(start == next, Invariant($"block {i} of {rows} rows in blocks of {block} starts at {start}; the previous one ended at {next}"));
            Assert.InRange(count, 1, block);
            if (rows > 1 && block > 2)
            {
                Assert.True(count >= 2, Invariant($"block {i} of {rows} rows in blocks of {block} holds {count} row"));
            }

            next = start + count;
        }

        Assert.Equal(rows, next);
    }

    [Theory]
    [InlineData(1, 100, 256)]
    [InlineData(2, 100, 256)]
    [InlineData(2, 1000, 256)]
    [InlineData(2, 3000, 256)]
    [InlineData(2, 20_000, 256)]
    [InlineData(2, 10, 209)]
    [InlineData(2, 500, 16)]
    public void BlockRows_SplitsOnlySmallBatches_IntoMultiplesOfSixFromTwentyFour(int threads, int rows, int maxBlock)
    {
        int saved = Parallelism.MaxDegreeOfParallelism;
        Parallelism.MaxDegreeOfParallelism = threads;
        try
        {
            int block = BatchBlocks.BlockRows(rows, maxBlock, parameters: 1000);
            Assert.InRange(block, Math.Min(24, maxBlock), maxBlock);
            if (threads == 1 || rows >= threads * 4 * maxBlock)
            {
                Assert.Equal(maxBlock, block);
            }
            else if (block < maxBlock)
            {
                Assert.True(block % 6 == 0, Invariant($"{rows} rows on {threads} threads: blocks of {block}, not a multiple of six"));
            }
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void BlockRows_ManyWeights_KeepsFullBlocks()
    {
        int saved = Parallelism.MaxDegreeOfParallelism;
        Parallelism.MaxDegreeOfParallelism = 2;
        try
        {
            Assert.Equal(36, BatchBlocks.BlockRows(256, 256, BatchBlocks.MaxSplitParameters));
            Assert.Equal(256, BatchBlocks.BlockRows(256, 256, BatchBlocks.MaxSplitParameters + 1));
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void MatrixBlockRows_AreMultiplesOf24_AndOf128ForPassesThatWriteColumnsOnceThereAreRowsForTwo()
    {
        int saved = Parallelism.MaxDegreeOfParallelism;
        Parallelism.MaxDegreeOfParallelism = 2;
        try
        {
            Network network = new AutoencoderBuilder(784).WithLatent(32, Activation.Relu).WithSeed(1).Build().Network;
            Assert.Equal(36, BatchBlocks.BlockRows(network, 256)); // four blocks a thread
            Assert.Equal(48, BatchInference.MatrixBlockRows(network, 256, intoColumns: false)); // the next multiple of 24
            Assert.Equal(48, BatchInference.MatrixBlockRows(network, 255, intoColumns: true));
            Assert.Equal(BatchInference.MinColumnBlockRows, BatchInference.MatrixBlockRows(network, 256, intoColumns: true));
            Assert.Equal(BatchInference.MinColumnBlockRows, BatchInference.MatrixBlockRows(network, 1000, intoColumns: true));
            Assert.Equal(256, BatchInference.MatrixBlockRows(network, 8192, intoColumns: true));

            // Feature-major passes: blocks of 128 once there are rows for two, else multiples of 32 (the register tile's columns).
            Assert.Equal(BatchInference.MinColumnBlockRows, BatchInference.FeatureMajorBlockRows(network, 256));
            Assert.Equal(64, BatchInference.FeatureMajorBlockRows(network, 255)); // 36 rounded up to 64
            Assert.Equal(BatchInference.MinColumnBlockRows, BatchInference.FeatureMajorBlockRows(network, 1000));
            Assert.Equal(160, BatchInference.FeatureMajorBlockRows(network, 1100)); // 138 rounded up to 160
            Assert.Equal(256, BatchInference.FeatureMajorBlockRows(network, 8192));
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    [Theory]
    [InlineData(37)]
    [InlineData(1000)]
    [InlineData(2053)]
    public void BatchCalls_OneThreadAndTwo_GiveTheSameBits(int rows)
    {
        // 784 features: past one depth block of the products; block sizes differ between the thread counts.
        AutoencoderModel model = new AutoencoderBuilder(784).AddEncoderLayer(128).WithLatent(32, Activation.Relu)
            .AddDecoderLayer(128, Activation.Tanh).WithOutputActivation(Activation.Sigmoid).WithSeed(11).Build();
        Matrix<float> x = TestData.Matrix(rows, 784, seed: 12);
        float[] flat = RowMajorOf(x);

        float[][] Run(int threads)
        {
            int saved = Parallelism.MaxDegreeOfParallelism;
            Parallelism.MaxDegreeOfParallelism = threads;
            try
            {
                var reconstruction = new float[rows * 784];
                var codes = new float[rows * 32];
                var errors = new float[rows];
                model.Reconstruct(flat, rows, reconstruction);
                model.Encode(flat, rows, codes);
                model.ReconstructionErrors(flat, rows, Loss.BinaryCrossEntropy, errors);
                return
                [
                    reconstruction, codes, errors,
                    RowMajorOf(model.Reconstruct(x)), RowMajorOf(model.Encode(x)),
                    [.. model.ReconstructionErrors(x, Loss.MeanSquaredError)],
                ];
            }
            finally
            {
                Parallelism.MaxDegreeOfParallelism = saved;
            }
        }

        float[][] one = Run(1), two = Run(2);
        string[] names = ["Reconstruct(span)", "Encode(span)", "ReconstructionErrors(span)", "Reconstruct(Matrix)", "Encode(Matrix)", "ReconstructionErrors(Matrix)"];
        for (int c = 0; c < names.Length; c++)
        {
            RowBatchModels.AssertSameBits(one[c], two[c], one[c].Length / rows, Invariant($"{names[c]}, {rows} rows, one thread against two"));
        }
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.NegativeInfinity)]
    public void MatrixCalls_ABadValueInALaterBlock_IsNamedByRowAndColumn(float bad)
    {
        AutoencoderModel model = new AutoencoderBuilder(6).AddEncoderLayer(5).WithLatent(3).WithOutputActivation(Activation.Sigmoid).WithSeed(3).Build();
        Matrix<float> x = TestData.Matrix(3000, 6, seed: 13);
        x[2710, 4] = bad;
        x[2711, 0] = bad;
        string expected = Invariant($"got {bad} at row 2710, column 4");

        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => model.Reconstruct(x)).Message);
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => model.Encode(x)).Message);
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => model.Features(x, 0)).Message);
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => model.ReconstructionErrors(x, Loss.MeanSquaredError)).Message);
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => model.ReconstructionErrors(RowMajorOf(x), 3000, Loss.MeanSquaredError, new float[3000])).Message);
    }

    [Fact]
    public void ReconstructionErrors_ATargetOutsideTheUnitIntervalInALaterBlock_IsNamed()
    {
        AutoencoderModel model = new AutoencoderBuilder(6).AddEncoderLayer(5).WithLatent(3).WithOutputActivation(Activation.Sigmoid).WithSeed(3).Build();
        Matrix<float> x = TestData.Matrix(3000, 6, seed: 14);
        x[2999, 5] = 1.5f;

        var matrix = Assert.Throws<ArgumentException>(() => model.ReconstructionErrors(x, Loss.BinaryCrossEntropy));
        var span = Assert.Throws<ArgumentException>(() => model.ReconstructionErrors(RowMajorOf(x), 3000, Loss.BinaryCrossEntropy, new float[3000]));
        Assert.Contains("row 2999, column 5", matrix.Message);
        Assert.Contains("row 2999, column 5", span.Message);
    }

    private static float[] RowMajorOf(Matrix<float> m)
    {
        var values = new float[m.RowCount * m.ColumnCount];
        for (int r = 0; r < m.RowCount; r++)
        {
            for (int c = 0; c < m.ColumnCount; c++)
            {
                values[(r * m.ColumnCount) + c] = m[r, c];
            }
        }

        return values;
    }
}

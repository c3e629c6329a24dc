using Autoencoder.Model;
using Autoencoder.Tests.Training;
using Autoencoder.Training;
using MathNet.Numerics.LinearAlgebra;
using static System.FormattableString;

namespace Autoencoder.Tests.Model;

/// <summary>
/// The matrix calls that write into the caller's result give the allocating calls' values bit for
/// bit, allocate nothing once warm, and refuse a result of the wrong kind, shape or storage. In the
/// collection that runs alone: the allocation check counts the whole process (the pool's threads too).
/// </summary>
[Collection(nameof(GlobalSettingsCollection))]
public class MatrixIntoTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in RowBatchModels.Names)
        {
            data.Add(name, 1);
            data.Add(name, 300);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void IntoCalls_GiveTheAllocatingCallsBits(string name, int rows)
    {
        AutoencoderModel model = RowBatchModels.Build(name);
        Matrix<float> x = TestData.Matrix(rows, model.InputSize, seed: 31);
        Matrix<float> codes = TestData.Matrix(rows, model.LatentSize, seed: 32, low: -1f);

        var encoded = Matrix<float>.Build.Dense(rows, model.LatentSize);
        var decoded = Matrix<float>.Build.Dense(rows, model.InputSize);
        var reconstructed = Matrix<float>.Build.Dense(rows, model.InputSize);
        var errors = Vector<float>.Build.Dense(rows);
        model.Encode(x, encoded);
        model.Decode(codes, decoded);
        model.Reconstruct(x, reconstructed);
        model.ReconstructionErrors(x, Loss.BinaryCrossEntropy, errors);

        AssertSameBits(model.Encode(x), encoded, "Encode");
        AssertSameBits(model.Decode(codes), decoded, "Decode");
        AssertSameBits(model.Reconstruct(x), reconstructed, "Reconstruct");
        AssertSameBits(model.ReconstructionErrors(x, Loss.BinaryCrossEntropy).ToColumnMatrix(), errors.ToColumnMatrix(), "ReconstructionErrors");
    }

    [Fact]
    public void IntoCalls_AfterWarmUp_AllocateNothing()
    {
        AutoencoderModel model = RowBatchModels.Build("plain");
        const int rows = 600; // several blocks, on every thread of the pool
        Matrix<float> x = TestData.Matrix(rows, model.InputSize, seed: 33);
        var codes = Matrix<float>.Build.Dense(rows, model.LatentSize);
        var reconstructions = Matrix<float>.Build.Dense(rows, model.InputSize);
        var errors = Vector<float>.Build.Dense(rows);
        void Calls()
        {
            model.Encode(x, codes);
            model.Decode(codes, reconstructions);
            model.Reconstruct(x, reconstructions);
            model.ReconstructionErrors(x, Loss.MeanSquaredError, errors);
        }

        RowBatchResourceTests.WarmUp(Calls);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        Calls();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        // The whole process is counted (the test host's own threads may allocate a little): a call's
        // own allocation would be at least one result (600 × 37 floats, 88,800 bytes).
        Assert.True(allocated < 88_800, Invariant($"the four calls allocated {allocated} bytes"));
    }

    /// <summary>
    /// 1,100 rows on two threads: the plain model runs feature-major, its blocks of 138 rows gathered
    /// first (more than <see cref="BatchInference.FeatureMajorCopyRows"/> rows), errors from logits and
    /// all; the variational model's Reconstruct ends in a dense layer that writes the result's columns
    /// (<see cref="Network.RunIntoColumns"/>). Every path's scratch comes from the model's pool.
    /// </summary>
    [Theory]
    [InlineData("plain")]
    [InlineData("variational")]
    public void IntoCalls_OfTallMatrices_AllocateNothingOnTheCallingThread(string name)
    {
        int saved = Parallelism.MaxDegreeOfParallelism;
        Parallelism.MaxDegreeOfParallelism = 2;
        try
        {
            AutoencoderModel model = RowBatchModels.Build(name);
            Network network = model.Network;
            const int rows = 1100;
            bool featureMajor = network.RunsFeatureMajor(0, network.Layers.Count);
            Assert.Equal(name == "plain", featureMajor);
            Assert.True(rows > BatchInference.FeatureMajorCopyRows);
            Assert.True(featureMajor
                ? BatchInference.FeatureMajorBlockRows(network, rows) >= BatchInference.MinColumnBlockRows
                : network.ColumnOutputLayer(0, network.Layers.Count) is not null && BatchInference.MatrixBlockRows(network, rows, intoColumns: true) >= BatchInference.MinColumnBlockRows);
            Matrix<float> x = TestData.Matrix(rows, model.InputSize, seed: 34);
            Matrix<float> codes = TestData.Matrix(rows, model.LatentSize, seed: 35);
            var reconstructions = Matrix<float>.Build.Dense(rows, model.InputSize);
            var errors = Vector<float>.Build.Dense(rows);
            void Calls()
            {
                model.Decode(codes, reconstructions);
                model.Reconstruct(x, reconstructions);
                model.ReconstructionErrors(x, Loss.BinaryCrossEntropy, errors); // a sigmoid output: from the logits
            }

            RowBatchResourceTests.WarmUp(Calls);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Calls();
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void IntoCalls_NullResult_ThrowArgumentNullNamingIt()
    {
        AutoencoderModel model = RowBatchModels.Build("plain");
        Matrix<float> x = TestData.Matrix(4, model.InputSize, seed: 34);
        Assert.Equal("codes", Assert.Throws<ArgumentNullException>(() => model.Encode(x, null!)).ParamName);
        Assert.Equal("reconstructions", Assert.Throws<ArgumentNullException>(() => model.Reconstruct(x, null!)).ParamName);
        Assert.Equal("reconstructions", Assert.Throws<ArgumentNullException>(() => model.Decode(Matrix<float>.Build.Dense(4, model.LatentSize), null!)).ParamName);
        Assert.Equal("errors", Assert.Throws<ArgumentNullException>(() => model.ReconstructionErrors(x, Loss.MeanSquaredError, null!)).ParamName);
    }

    [Fact]
    public void IntoCalls_ResultOfTheWrongShape_SayExpectedAndGiven()
    {
        AutoencoderModel model = RowBatchModels.Build("plain");
        Matrix<float> x = TestData.Matrix(4, model.InputSize, seed: 35);

        var codes = Assert.Throws<ArgumentException>(() => model.Encode(x, Matrix<float>.Build.Dense(5, model.LatentSize)));
        Assert.Equal("codes", codes.ParamName);
        Assert.Contains(Invariant($"must be 4 × {model.LatentSize}"), codes.Message);
        Assert.Contains(Invariant($"got 5 × {model.LatentSize}"), codes.Message);

        var reconstructions = Assert.Throws<ArgumentException>(() => model.Reconstruct(x, Matrix<float>.Build.Dense(4, model.InputSize - 1)));
        Assert.Contains(Invariant($"got 4 × {model.InputSize - 1}"), reconstructions.Message);

        var errors = Assert.Throws<ArgumentException>(() => model.ReconstructionErrors(x, Loss.MeanSquaredError, Vector<float>.Build.Dense(3)));
        Assert.Equal("errors", errors.ParamName);
        Assert.Contains("must have 4 entries", errors.Message);
        Assert.Contains("got 3", errors.Message);
    }

    [Fact]
    public void IntoCalls_SparseResultOrTheInputItself_AreRefused()
    {
        AutoencoderModel model = RowBatchModels.Build("plain");
        Matrix<float> x = TestData.Matrix(4, model.InputSize, seed: 36);

        var sparse = Assert.Throws<ArgumentException>(() => model.Reconstruct(x, Matrix<float>.Build.Sparse(4, model.InputSize)));
        Assert.Contains("must be a dense matrix", sparse.Message);
        var sparseErrors = Assert.Throws<ArgumentException>(() => model.ReconstructionErrors(x, Loss.MeanSquaredError, Vector<float>.Build.Sparse(4)));
        Assert.Contains("must be a dense vector", sparseErrors.Message);

        Matrix<float> copy = x.Clone();
        var alias = Assert.Throws<ArgumentException>(() => model.Reconstruct(x, x));
        Assert.Contains("must not share its storage with the input", alias.Message);
        Assert.Equal(copy, x); // refused before anything was written
    }

    [Fact]
    public void IntoCalls_BadInput_NameTheValueAsTheAllocatingCallsDo()
    {
        AutoencoderModel model = RowBatchModels.Build("plain");
        Matrix<float> x = TestData.Matrix(300, model.InputSize, seed: 37);
        x[270, 4] = float.NaN;
        var reconstructions = Matrix<float>.Build.Dense(300, model.InputSize);

        Assert.Contains("got NaN at row 270, column 4", Assert.Throws<ArgumentException>(() => model.Reconstruct(x, reconstructions)).Message);
        Assert.Contains("got NaN at row 270, column 4", Assert.Throws<ArgumentException>(() => model.ReconstructionErrors(x, Loss.MeanSquaredError, Vector<float>.Build.Dense(300))).Message);
        x[270, 4] = 1.5f;
        Assert.Contains("row 270, column 4", Assert.Throws<ArgumentException>(() => model.ReconstructionErrors(x, Loss.BinaryCrossEntropy, Vector<float>.Build.Dense(300))).Message);
    }

    private static void AssertSameBits(Matrix<float> expected, Matrix<float> actual, string what)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        for (int r = 0; r < expected.RowCount; r++)
        {
            for (int c = 0; c < expected.ColumnCount; c++)
            {
                Assert.True(
                    BitConverter.SingleToInt32Bits(expected[r, c]) == BitConverter.SingleToInt32Bits(actual[r, c]),
                    $"{what}: row {r}, column {c}: allocating call {expected[r, c]:R}, into call {actual[r, c]:R}");
            }
        }
    }
}

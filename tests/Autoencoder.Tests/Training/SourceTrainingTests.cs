using Autoencoder.Data;
using Autoencoder.Tests.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Training;

/// <summary>
/// Training from a data source: rows in memory train exactly as a matrix always did; files and
/// streams in stored order train exactly as memory does, shuffled they train the same way every
/// time from the same seed, and a checkpoint resumes them bit for bit.
/// </summary>
public class SourceTrainingTests : IDisposable
{
    private const int Rows = 230, Columns = 16;

    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-source-training-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Matrix<float> X => TestData.Matrix(Rows, Columns, seed: 7);

    private static AutoencoderModel Model(int seed = 1, bool variational = false) =>
        variational
            ? new AutoencoderBuilder(Columns).AddEncoderLayer(12, Activation.Relu, new LayerOptions { Dropout = 0.2 }).WithVariationalLatent(3).WithSeed(seed).Build()
            : new AutoencoderBuilder(Columns).AddEncoderLayer(12, Activation.Tanh).WithLatent(4).WithOutputActivation(Activation.Sigmoid).WithSeed(seed).Build();

    private static TrainingOptions Options(bool shuffle = true) => new()
    {
        Epochs = 4, BatchSize = 32, Loss = Loss.BinaryCrossEntropy, Shuffle = shuffle, ValidationFraction = 0.2,
        EarlyStopping = new EarlyStopping { Patience = 10 },
    };

    private DataSource Source(string kind)
    {
        float[] values = IdxFloatFile.RowMajor(X);
        float[][] rows = Enumerable.Range(0, Rows).Select(r => values.AsSpan(r * Columns, Columns).ToArray()).ToArray();
        return kind switch
        {
            "rows" => rows,
            "array" => DataSource.FromArray(values, Columns),
            "enumerable" => DataSource.FromEnumerable(rows, Columns),
            "async" => DataSource.FromAsyncEnumerable(rows.ToAsyncEnumerable(), Columns, Rows),
            "idx" => DataSource.FromIdx(File(Path.Combine(_folder, "x.idx"), values, gzip: false)),
            "idx-gzip" => DataSource.FromIdx(File(Path.Combine(_folder, "x.idx.gz"), values, gzip: true)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>The file, written once: a checkpoint knows a file by its path, length and time written.</summary>
    private static string File(string path, float[] values, bool gzip) =>
        System.IO.File.Exists(path) ? path : IdxFloatFile.Write(path, values, Rows, Columns, gzip);

    private static void AssertSame(AutoencoderModel expectedModel, TrainingHistory expected, AutoencoderModel model, TrainingHistory history)
    {
        Assert.Equal(expectedModel.Network.Parameters, model.Network.Parameters);
        Assert.Equal(
            expected.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss, e.LearningRate)),
            history.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss, e.LearningRate)));
    }

    [Theory]
    [InlineData("rows", true)]
    [InlineData("array", true)]
    [InlineData("rows", false)]
    public void InMemory_TrainsBitIdenticalToTheMatrix(string kind, bool variational)
    {
        AutoencoderModel reference = Model(variational: variational);
        TrainingHistory expected = reference.Fit(X, Options() with { Loss = variational ? Loss.MeanSquaredError : Loss.BinaryCrossEntropy });
        AutoencoderModel model = Model(variational: variational);
        TrainingHistory history = model.Fit(Source(kind), Options() with { Loss = variational ? Loss.MeanSquaredError : Loss.BinaryCrossEntropy });
        AssertSame(reference, expected, model, history);
    }

    [Theory]
    [InlineData("enumerable")]
    [InlineData("async")]
    [InlineData("idx")]
    [InlineData("idx-gzip")]
    public void Streamed_InStoredOrder_TrainsBitIdenticalToMemory(string kind)
    {
        AutoencoderModel reference = Model();
        TrainingHistory expected = reference.Fit(X, Options(shuffle: false));
        AutoencoderModel model = Model();
        TrainingHistory history = model.Fit(Source(kind), Options(shuffle: false));
        AssertSame(reference, expected, model, history);
    }

    [Theory]
    [InlineData("enumerable")]
    [InlineData("idx")]
    [InlineData("idx-gzip")]
    public void Streamed_Shuffled_IsReproducible_AndConverges(string kind)
    {
        AutoencoderModel first = Model(), second = Model(), unshuffled = Model();
        TrainingOptions options = Options() with { Epochs = 12 };
        TrainingHistory a = first.Fit(Source(kind).WithShuffleBuffer(64), options);
        TrainingHistory b = second.Fit(Source(kind).WithShuffleBuffer(64), options);
        unshuffled.Fit(Source(kind), options with { Shuffle = false });
        AssertSame(first, a, second, b);
        Assert.NotEqual(first.Network.Parameters, unshuffled.Network.Parameters);
        Assert.True(a.Epochs[^1].TrainLoss < a.Epochs[0].TrainLoss * 0.98, $"loss {a.Epochs[0].TrainLoss} → {a.Epochs[^1].TrainLoss}");
    }

    [Theory]
    [InlineData("idx", 3)]
    [InlineData("idx", 13)]
    [InlineData("idx-gzip", 8)]
    [InlineData("enumerable", 10)]
    public void Streamed_ResumedMidEpoch_EndsBitIdenticalToAnUninterruptedRun(string kind, int stopAfterBatches)
    {
        AutoencoderModel reference = Model();
        TrainingHistory expected = reference.Fit(Source(kind).WithShuffleBuffer(50), Options());

        string path = Path.Combine(_folder, "run.ckpt");
        AutoencoderModel model = Model();
        TrainingHistory partial = model.Fit(Source(kind).WithShuffleBuffer(50), Options() with { CheckpointPath = path, CheckpointEveryBatches = 1, Callbacks = [new StopAfter(stopAfterBatches)] });
        Assert.Equal(StopReason.StoppedByCallback, partial.StopReason);

        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(path);
        TrainingHistory resumed = checkpoint.Resume(Source(kind).WithShuffleBuffer(50), Options());
        AssertSame(reference, expected, checkpoint.Model, resumed);
    }

    [Fact]
    public void Resume_WithAnotherFile_IsRefused()
    {
        string path = Path.Combine(_folder, "run.ckpt");
        Model().Fit(Source("idx"), Options() with { Epochs = 1, CheckpointPath = path });
        DataSource other = DataSource.FromIdx(IdxFloatFile.Write(Path.Combine(_folder, "other.idx"), IdxFloatFile.RowMajor(TestData.Matrix(Rows, Columns, seed: 8)), Rows, Columns));
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => TrainingCheckpoint.Load(path).Resume(other, Options())).ParamName);
    }

    [Fact]
    public void ValidationData_FromAFile_ScoresAsTheSameMatrixDoes()
    {
        Matrix<float> validation = TestData.Matrix(70, Columns, seed: 9);
        AutoencoderModel reference = Model(), model = Model();
        TrainingHistory expected = reference.Fit(X, Options() with { ValidationFraction = 0, ValidationData = validation });
        DataSource file = DataSource.FromIdx(IdxFloatFile.Write(Path.Combine(_folder, "v.idx"), IdxFloatFile.RowMajor(validation), 70, Columns));
        TrainingHistory history = model.Fit(X, Options() with { ValidationFraction = 0, ValidationData = file });
        AssertSame(reference, expected, model, history);
    }

    [Fact]
    public void Streamed_BadValue_StopsTrainingWithAnErrorNamingTheRow()
    {
        float[][] rows = Enumerable.Range(0, Rows).Select(_ => new float[Columns]).ToArray();
        rows[100][5] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => Model().Fit(DataSource.FromEnumerable(rows, Columns), Options(shuffle: false) with { ValidationFraction = 0 }));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("NaN at row 100 of epoch 1's order, column 5", e.Message);

        rows[100][5] = 2;
        var range = Assert.Throws<ArgumentException>(() => Model().Fit(DataSource.FromEnumerable(rows, Columns), Options(shuffle: false) with { ValidationFraction = 0 }));
        Assert.Contains("outside [0, 1]", range.Message);
    }

    [Fact]
    public void Streamed_ThatShrinksBetweenEpochs_IsAnError()
    {
        int pass = 0;
        IEnumerable<float[]> Rows()
        {
            int count = pass++ == 0 ? 100 : 90;
            for (int i = 0; i < count; i++)
            {
                yield return new float[Columns];
            }
        }

        // The first pass counts the rows; the first epoch finds fewer.
        var e = Assert.Throws<InvalidDataException>(() => Model().Fit(DataSource.FromEnumerable(Rows(), Columns), Options(shuffle: false) with { ValidationFraction = 0 }));
        Assert.Contains("held 100 when training started", e.Message);
    }

    [Fact]
    public void Fit_SourceOfTheWrongWidth_IsRefusedBeforeTraining()
    {
        var e = Assert.Throws<ArgumentException>(() => Model().Fit(DataSource.FromEnumerable([new float[3]], 3)));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("must have 16 columns", e.Message);
        Assert.Throws<ArgumentNullException>(() => Model().Fit((DataSource)null!));
    }

    [Fact]
    public void FromArray_TrainsInPlace_WithoutCopyingTheRows()
    {
        // 40 MB of rows: a copy would allocate as much on this thread.
        const int rows = 20_000, columns = 500;
        float[] values = TestData.Uniform(rows * columns, seed: 3, low: 0, high: 1);
        AutoencoderModel model = new AutoencoderBuilder(columns).WithLatent(4).WithSeed(1).Build();
        var options = new TrainingOptions { Epochs = 1, BatchSize = 256 };
        model.Fit(DataSource.FromArray(values, columns), options with { Epochs = 1 }); // warm-up
        long before = GC.GetAllocatedBytesForCurrentThread();
        model.Fit(DataSource.FromArray(values, columns), options);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < values.Length * sizeof(float) / 4, $"Fit allocated {allocated} bytes for {values.Length * sizeof(float)} bytes of rows");
    }

    [Fact]
    public void Streamed_TrainingSteps_AllocateNothingOnTheTrainingThread()
    {
        // Twice the rows, twice the steps: what the longer run allocates more is what steps allocate.
        const int columns = 50;
        float[] values = TestData.Uniform(20_000 * columns, seed: 5, low: 0, high: 1);
        string path = IdxFloatFile.Write(Path.Combine(_folder, "steps.idx"), values, 20_000, columns);
        long Allocated(long rows)
        {
            AutoencoderModel model = new AutoencoderBuilder(columns).WithLatent(4).WithSeed(1).Build();
            // Unshuffled: a shuffled epoch sizes its window (once per epoch) by the rows it holds.
            var options = new TrainingOptions { Epochs = 1, BatchSize = 32, Shuffle = false };
            DataSource source = DataSource.FromIdx(path).Slice(0, rows);
            model.Fit(source, options); // warm-up
            long before = GC.GetAllocatedBytesForCurrentThread();
            model.Fit(source, options);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        long steps = (10_000 / 32) + 1;
        long extra = Allocated(20_000) - Allocated(10_000);
        Assert.True(extra < steps * 8, $"{steps} more streamed steps allocated {extra} more bytes");
    }

    [Fact]
    public void EvaluateAndReconstructionErrors_OnSources_EqualTheMatrixCalls()
    {
        AutoencoderModel model = Model();
        model.Fit(X, Options() with { Epochs = 2 });
        foreach (string kind in new[] { "rows", "enumerable", "idx", "idx-gzip", "async" })
        {
            Assert.Equal(model.Evaluate(X, Loss.BinaryCrossEntropy), model.Evaluate(Source(kind), Loss.BinaryCrossEntropy));
            Assert.Equal(model.ReconstructionErrors(X, Loss.MeanSquaredError).ToArray(), model.ReconstructionErrors(Source(kind), Loss.MeanSquaredError).ToArray());
        }

        Assert.Throws<ArgumentException>(() => model.ReconstructionErrors(DataSource.FromEnumerable([new float[3]], 3), Loss.MeanSquaredError));
    }

    private sealed class StopAfter(int batches) : ITrainingCallback
    {
        private int _count;

        public void OnBatchEnd(TrainingProgress progress, TrainingControl control)
        {
            if (++_count == batches)
            {
                control.Stop();
            }
        }
    }
}

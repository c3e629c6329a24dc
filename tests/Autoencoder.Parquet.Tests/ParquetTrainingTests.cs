using Autoencoder.Data;

namespace Autoencoder.Parquet.Tests;

/// <summary>
/// Training from a Parquet file: in stored order it trains exactly as the same rows in memory do,
/// shuffled by row group it trains the same way every time from the same seed, a checkpoint resumes
/// it mid-epoch bit for bit, and scoring it equals scoring the rows.
/// </summary>
public class ParquetTrainingTests : IDisposable
{
    private static readonly string[] Features = ["f", "d", "i", "l"];

    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-parquet-training-").FullName;
    private readonly TestParquetFile _file;

    public ParquetTrainingTests() => _file = TestParquetFile.Write(Path.Combine(_folder, "x.parquet"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private ParquetDataSource Source(params string[] columns) =>
        ParquetDataSource.Open(_file.Path, new ParquetSourceOptions { Columns = columns.Length == 0 ? Features : columns, LabelColumn = "label" });

    // Seeded so both models of a comparison start from the same weights.
    private static AutoencoderModel Model() =>
        new AutoencoderBuilder(4).AddEncoderLayer(6, Activation.Tanh).WithLatent(2).WithOutputActivation(Activation.Sigmoid).WithSeed(3).Build();

    private static TrainingOptions Options(bool shuffle = true) => new()
    {
        Epochs = 3, BatchSize = 16, Loss = Loss.BinaryCrossEntropy, Shuffle = shuffle, ValidationFraction = 0.2, Seed = 11,
    };

    private static byte[] Bytes(AutoencoderModel model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }

    private static void AssertSame(AutoencoderModel expectedModel, TrainingHistory expected, AutoencoderModel model, TrainingHistory history)
    {
        Assert.Equal(Bytes(expectedModel), Bytes(model));
        Assert.Equal(
            expected.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss)),
            history.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss)));
    }

    [Fact]
    public void InStoredOrder_TrainsBitIdenticalToTheSameRowsInMemory()
    {
        // The validation part (the last 46 rows) is read by a second pass while training reads the first.
        AutoencoderModel reference = Model(), model = Model();
        TrainingHistory expected = reference.Fit(_file.RowsOf(Features), Options(shuffle: false));
        TrainingHistory history = model.Fit(Source(), Options(shuffle: false));
        AssertSame(reference, expected, model, history);
    }

    [Fact]
    public void Shuffled_IsReproducibleFromTheSeed_AndDiffersFromStoredOrder()
    {
        AutoencoderModel first = Model(), second = Model(), unshuffled = Model();
        TrainingHistory a = first.Fit(Source(), Options());
        TrainingHistory b = second.Fit(Source(), Options());
        unshuffled.Fit(Source(), Options(shuffle: false));
        AssertSame(first, a, second, b);
        Assert.NotEqual(Bytes(first), Bytes(unshuffled));
    }

    [Fact]
    public void ReconstructionErrorsAndEvaluate_EqualTheRowCalls()
    {
        AutoencoderModel model = Model();
        model.Fit(Source(), Options() with { Epochs = 1 });
        float[][] rows = _file.RowsOf(Features);
        Assert.Equal(model.ReconstructionErrors(rows, Loss.MeanSquaredError), model.ReconstructionErrors(Source(), Loss.MeanSquaredError).ToArray());
        Assert.Equal(model.Evaluate(DataSource.FromRows(rows), Loss.BinaryCrossEntropy), model.Evaluate(Source(), Loss.BinaryCrossEntropy));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(13)]
    public void ResumedMidEpoch_EndsBitIdenticalToAnUninterruptedRun(int stopAfterBatches)
    {
        AutoencoderModel reference = Model();
        TrainingHistory expected = reference.Fit(Source(), Options());

        string checkpointPath = Path.Combine(_folder, "run.ckpt");
        TrainingHistory partial = Model().Fit(Source(), Options() with { CheckpointPath = checkpointPath, CheckpointEveryBatches = stopAfterBatches, Callbacks = [new StopAfter(stopAfterBatches)] });
        Assert.Equal(StopReason.StoppedByCallback, partial.StopReason);

        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(checkpointPath);
        TrainingHistory resumed = checkpoint.Resume(Source(), Options());
        AssertSame(reference, expected, checkpoint.Model, resumed);
    }

    [Fact]
    public void Resume_WithOtherColumnsOfTheSameFile_IsRefused()
    {
        string checkpointPath = Path.Combine(_folder, "run.ckpt");
        Model().Fit(Source(), Options() with { Epochs = 1, CheckpointPath = checkpointPath });
        var e = Assert.Throws<ArgumentException>(() => TrainingCheckpoint.Load(checkpointPath).Resume(Source("l", "i", "d", "f"), Options()));
        Assert.Equal("x", e.ParamName);
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

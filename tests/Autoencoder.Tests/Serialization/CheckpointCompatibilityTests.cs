using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Serialization;

/// <summary>
/// Checkpoints of format 1, written before the format declared what a run keeps, still load and
/// resume; what they cannot declare is checked against the run's options at resume.
/// </summary>
public sealed class CheckpointCompatibilityTests : IDisposable
{
    /// <summary>
    /// Written by version 0.1 after epoch 2 of a 6-4-2-4-6 model (seed 11; Adam, BCE, batch 16, seed 3,
    /// validation fraction 0.25, early stopping with patience 5 restoring best weights, a default
    /// ReduceOnPlateau schedule) on <see cref="Data"/>.
    /// </summary>
    private static readonly string Format1File = Path.Combine(AppContext.BaseDirectory, "Serialization", "Files", "checkpoint-v1-6-4-2.safetensors");

    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-ckpt-v1-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The fixture's data: 40 × 6 values of <c>new Random(7).NextSingle()</c>, filled by MathNet's builder.</summary>
    private static Matrix<float> Data()
    {
        var random = new Random(7);
        return Matrix<float>.Build.Dense(40, 6, (_, _) => random.NextSingle());
    }

    private static TrainingOptions Options(int epochs) => new()
    {
        Epochs = epochs,
        BatchSize = 16,
        Loss = Loss.BinaryCrossEntropy,
        Seed = 3,
        ValidationFraction = 0.25,
        EarlyStopping = new EarlyStopping { Patience = 5, RestoreBestWeights = true },
        LearningRateSchedule = new ReduceOnPlateau(),
    };

    [Fact]
    public void Load_Format1_ResumesToTheLastEpoch()
    {
        ModelFileBytes file = ModelFileBytes.Parse(File.ReadAllBytes(Format1File));
        Assert.Equal("1", file.Metadata["checkpoint_format"]!.GetValue<string>());

        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(Format1File);
        TrainingHistory history = checkpoint.Resume(Data(), Options(epochs: 4));

        Assert.Equal([1, 2, 3, 4], history.Epochs.Select(e => e.Epoch));
        Assert.All(history.Epochs, e => Assert.True(double.IsFinite(e.TrainLoss) && e.ValidationLoss is double v && double.IsFinite(v)));
        Assert.NotNull(history.BestEpoch);
    }

    [Fact]
    public void Load_Format1WithoutItsBestWeights_IsAFormatErrorAtResume()
    {
        // Format 1 cannot say whether the run kept best weights, so the file loads; the options,
        // once their fingerprint matches, say it did.
        ModelFileBytes file = ModelFileBytes.Parse(File.ReadAllBytes(Format1File));
        Assert.True(file.Metadata.ContainsKey("best_epoch"));
        CheckpointValidationTests.RemoveTensor(file, "training.best_weights");
        string path = Path.Combine(_folder, "edited.ckpt");
        File.WriteAllBytes(path, file.ToBytes());

        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(path);
        var e = Assert.Throws<ModelFormatException>(() => checkpoint.Resume(Data(), Options(epochs: 4)));
        Assert.Contains("inconsistent", e.Message);

        // Refused before training began: the checkpoint is not used up, and says the same again.
        Assert.Contains("inconsistent", Assert.Throws<ModelFormatException>(() => checkpoint.Resume(Data(), Options(epochs: 4))).Message);
    }

    [Fact]
    public void Load_Format1WithAFormat2Key_IsRefused()
    {
        ModelFileBytes file = ModelFileBytes.Parse(File.ReadAllBytes(Format1File));
        file.Metadata["restore_best_weights"] = "true";
        string path = Path.Combine(_folder, "edited.ckpt");
        File.WriteAllBytes(path, file.ToBytes());

        var e = Assert.Throws<ModelFormatException>(() => TrainingCheckpoint.Load(path));
        Assert.Contains("'restore_best_weights' belongs to checkpoint format 2", e.Message);
    }
}

using System.Buffers.Binary;
using System.Text.Json.Nodes;

namespace Autoencoder.Tests.Serialization;

/// <summary>
/// Checkpoints edited and re-signed (checksums recomputed, so only the checks behind them can
/// tell): whatever the file declares must be there and every position must fit, checked when it
/// is loaded; what only the options can reveal is a format error at resume, not the options' fault.
/// </summary>
public sealed class CheckpointValidationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-ckpt-validation-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly TrainingOptions Options = new()
    {
        Epochs = 3, BatchSize = 8, EarlyStopping = new EarlyStopping { Patience = 10 },
        LearningRateSchedule = new ReduceOnPlateau(Factor: 0.5, Patience: 0),
    };

    private static MathNet.Numerics.LinearAlgebra.Matrix<float> X => TestData.Matrix(20, 4, seed: 1);

    /// <summary>A checkpoint written after two epochs (Adam, early stopping with best weights, a plateau schedule), taken apart.</summary>
    private ModelFileBytes Checkpoint(out string path)
    {
        path = Path.Combine(_folder, "run.ckpt");
        new AutoencoderBuilder(4).WithLatent(2).WithSeed(1).Build().Fit(X, Options with { Epochs = 2, CheckpointPath = path });
        Assert.NotNull(TrainingCheckpoint.Load(path).Resume(X, Options)); // untouched, it loads and resumes
        new AutoencoderBuilder(4).WithLatent(2).WithSeed(1).Build().Fit(X, Options with { Epochs = 2, CheckpointPath = path });
        return ModelFileBytes.Parse(File.ReadAllBytes(path));
    }

    /// <summary>Removes a tensor and its bytes, moving the later tensors back.</summary>
    internal static void RemoveTensor(ModelFileBytes file, string name)
    {
        var offsets = file.Header[name]!["data_offsets"]!.AsArray();
        long begin = offsets[0]!.GetValue<long>(), end = offsets[1]!.GetValue<long>();
        file.Header.Remove(name);
        file.Data = [.. file.Data[..(int)begin], .. file.Data[(int)end..]];
        foreach (var (_, entry) in file.Header.Where(p => p.Key != "__metadata__").ToArray())
        {
            var range = entry!["data_offsets"]!.AsArray();
            if (range[0]!.GetValue<long>() >= end)
            {
                entry["data_offsets"] = new JsonArray(range[0]!.GetValue<long>() - (end - begin), range[1]!.GetValue<long>() - (end - begin));
            }
        }
    }

    private static ModelFormatException LoadError(string path, ModelFileBytes file)
    {
        File.WriteAllBytes(path, file.ToBytes());
        return Assert.Throws<ModelFormatException>(() => TrainingCheckpoint.Load(path));
    }

    [Fact]
    public void Load_BestEpochWithoutBestWeights_IsRefused()
    {
        var file = Checkpoint(out string path);
        Assert.True(file.Metadata.ContainsKey("best_epoch"));
        RemoveTensor(file, "training.best_weights");
        Assert.Contains("'training.best_weights' must be present; it is missing", LoadError(path, file).Message);
    }

    [Fact]
    public void Load_BestWeightsDeclaredNotKept_AreRefused()
    {
        var file = Checkpoint(out string path);
        file.Metadata["restore_best_weights"] = "false";
        Assert.Contains("'restore_best_weights' declares", LoadError(path, file).Message);
    }

    [Fact]
    public void Load_OneOfAdamsMomentsMissing_IsRefused()
    {
        var file = Checkpoint(out string path);
        RemoveTensor(file, "optimizer.v");
        Assert.Contains("Tensor 'optimizer.v' is missing", LoadError(path, file).Message);
    }

    [Fact]
    public void Resume_OptimizerStateDeclaredAway_IsAFormatErrorNotTheOptions()
    {
        // Consistent on its own (a plain SGD run keeps no state), but the options fingerprint names Adam.
        var file = Checkpoint(out string path);
        RemoveTensor(file, "optimizer.m");
        RemoveTensor(file, "optimizer.v");
        file.Metadata["optimizer_state"] = "";
        File.WriteAllBytes(path, file.ToBytes());
        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(path);
        Assert.Contains("optimizer state []", Assert.Throws<ModelFormatException>(() => checkpoint.Resume(X, Options)).Message);
    }

    [Fact]
    public void Load_PlateauScheduleWithoutItsState_IsRefused()
    {
        var file = Checkpoint(out string path);
        file.Metadata.Remove("plateau");
        Assert.Contains("'plateau', is missing", LoadError(path, file).Message);
    }

    [Fact]
    public void Resume_ScheduleStateDeclaredAway_IsAFormatError()
    {
        var file = Checkpoint(out string path);
        file.Metadata.Remove("plateau");
        file.Metadata["plateau_schedule"] = "false";
        File.WriteAllBytes(path, file.ToBytes());
        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(path);
        Assert.Throws<ModelFormatException>(() => checkpoint.Resume(X, Options));
    }

    public static TheoryData<string, string, string> Positions() => new()
    {
        { "batch", "2147483647", "position is impossible" },
        { "epoch_samples", "7", "position is impossible" },
        { "samples_seen", "41", "position is impossible" },
        { "history", "", "one entry per completed epoch" },
        { "epoch_started", "maybe", "'true' or 'false'" },
        { "checkpoint_format", "3", "format '3' is not supported" },
        { "learning_rate", "1E+39", "rates lie in [0, 3.4028235E+38]" },
        { "optimizer_steps", "9223372036854775807", "'optimizer_steps' must be in [0, " },
        { "checkpoint_format", "1", "'optimizer_state' belongs to checkpoint format 2" },
        { "optimizer_state", "optimizer.v,optimizer.m", "ordinal order" },
    };

    [Theory]
    [MemberData(nameof(Positions))]
    public void Load_PositionOrDeclarationNoRunCouldWrite_IsRefused(string key, string value, string expected)
    {
        var file = Checkpoint(out string path);
        file.Metadata[key] = value;
        Assert.Contains(expected, LoadError(path, file).Message);
    }

    [Fact]
    public void Load_MidEpochBatchPastTheRows_IsRefusedAtLoadNotAtResume()
    {
        string path = Path.Combine(_folder, "mid.ckpt");
        var stop = new StopAfterFirstBatch();
        new AutoencoderBuilder(4).WithLatent(2).WithSeed(1).Build().Fit(X, Options with { CheckpointPath = path, CheckpointEveryBatches = 1, Callbacks = [stop] });
        var file = ModelFileBytes.Parse(File.ReadAllBytes(path));
        Assert.Equal("1", file.Metadata["batch"]!.GetValue<string>());
        file.Metadata["batch"] = "21"; // more batches than the 20 rows could make
        Assert.Contains("position is impossible", LoadError(path, file).Message);
    }

    [Fact]
    public void Load_OrderNotAPermutation_IsRefused()
    {
        var file = Checkpoint(out string path);
        long begin = file.Header["training.order"]!["data_offsets"]![0]!.GetValue<long>();
        BinaryPrimitives.WriteSingleLittleEndian(file.Data.AsSpan((int)begin), BinaryPrimitives.ReadSingleLittleEndian(file.Data.AsSpan((int)begin + 4)));
        Assert.Contains("permutation", LoadError(path, file).Message);
    }

    private sealed class StopAfterFirstBatch : ITrainingCallback
    {
        public void OnBatchEnd(TrainingProgress progress, TrainingControl control) => control.Stop();
    }

    [Fact]
    public void Fit_CheckpointedRunOfMoreEpochsThanTheLimit_IsRefusedBeforeTraining()
    {
        AutoencoderModel model = new AutoencoderBuilder(4).WithLatent(2).WithSeed(1).Build();
        float[] before = (float[])model.Network.Parameters.Clone();
        string path = Path.Combine(_folder, "long.ckpt");
        var e = Assert.Throws<ArgumentException>(() => model.Fit(X, new TrainingOptions { Epochs = Autoencoder.Serialization.CheckpointFile.MaxEpochs + 1, CheckpointPath = path }));
        Assert.Contains("at most 100000 epochs", e.Message);
        Assert.Equal(before, model.Network.Parameters);
        Assert.False(File.Exists(path));
    }
}

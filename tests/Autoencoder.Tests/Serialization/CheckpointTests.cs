using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Serialization;

/// <summary>
/// Checkpoints: a run interrupted at any point and resumed from its checkpoint, in this process
/// or after the writing process died, ends bit-identical to the run that was never interrupted.
/// </summary>
public class CheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Runs that exercise every piece of state a checkpoint carries.</summary>
    internal static (AutoencoderModel Model, Matrix<float> X, TrainingOptions Options) Scenario(string name)
    {
        Matrix<float> x = TestData.Matrix(230, 16, seed: 7);
        return name switch
        {
            // Adam, shuffling from the model's own generator, validation, early stopping with best weights, plateau schedule.
            "adam" => (new AutoencoderBuilder(16).AddEncoderLayer(12, Activation.Tanh).WithLatent(4).WithOutputActivation(Activation.Sigmoid).WithSeed(1).Build(),
                x,
                new TrainingOptions
                {
                    Epochs = 6, BatchSize = 32, Loss = Loss.BinaryCrossEntropy, ValidationFraction = 0.2,
                    EarlyStopping = new EarlyStopping { Patience = 10 },
                    LearningRateSchedule = new ReduceOnPlateau(Factor: 0.5, Patience: 0),
                }),
            // SGD with momentum, a training seed, noise, dropout, a variational model with KL warm-up, clipping.
            "sgd-vae" => (new AutoencoderBuilder(16).AddEncoderLayer(12, Activation.Relu, new LayerOptions { Dropout = 0.3 }).WithVariationalLatent(3).WithSeed(2).Build(),
                x,
                new TrainingOptions
                {
                    Epochs = 5, BatchSize = 50, Seed = 9, Optimizer = new SgdOptions { LearningRate = 0.01, Momentum = 0.9 },
                    Corruption = new GaussianNoise(0.1), KlWarmUpEpochs = 2, GradientClipNorm = 5, LearningRateSchedule = new CosineAnnealing(5),
                }),
            // Batch normalization: running statistics in the state buffer, kept with the best weights by early stopping.
            "batch-norm" => (new AutoencoderBuilder(16)
                    .AddEncoderLayer(12, Activation.Relu, new LayerOptions { BatchNormalization = true, Dropout = 0.2 })
                    .WithLatent(4, Activation.Tanh, new LayerOptions { BatchNormalization = true })
                    .WithOutputActivation(Activation.Sigmoid).WithSeed(3).Build(),
                x,
                new TrainingOptions
                {
                    Epochs = 5, BatchSize = 32, Loss = Loss.BinaryCrossEntropy, ValidationFraction = 0.2,
                    EarlyStopping = new EarlyStopping { Patience = 10 },
                }),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown scenario"),
        };
    }

    public static TheoryData<string, int> InterruptionPoints() => new()
    {
        { "adam", 1 },
        { "adam", 6 },    // the end of epoch 1 (6 batches per epoch)
        { "adam", 17 },   // mid-epoch 3
        { "sgd-vae", 4 },
        { "sgd-vae", 13 },
        { "batch-norm", 3 },
        { "batch-norm", 14 },   // mid-epoch 3 (6 batches per epoch)
    };

    [Theory]
    [MemberData(nameof(InterruptionPoints))]
    public void Resume_InThisProcess_EndsBitIdenticalToAnUninterruptedRun(string scenario, int stopAfterBatches)
    {
        var (reference, x, options) = Scenario(scenario);
        TrainingHistory expected = reference.Fit(x, options);

        string path = Path.Combine(_folder, "run.ckpt");
        var (model, _, _) = Scenario(scenario);
        var stop = new StopAfter(stopAfterBatches);
        TrainingHistory partial = model.Fit(x, options with { CheckpointPath = path, CheckpointEveryBatches = 1, Callbacks = [stop] });
        Assert.Equal(StopReason.StoppedByCallback, partial.StopReason);

        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(path);
        TrainingHistory resumed = checkpoint.Resume(x, options);
        AssertSameRun(reference, expected, checkpoint.Model, resumed);
    }

    [Theory]
    [InlineData("adam", 9)]
    [InlineData("sgd-vae", 7)]
    [InlineData("batch-norm", 8)]
    public void Resume_AfterTheWritingProcessDied_EndsBitIdenticalToAnUninterruptedRun(string scenario, int crashAfterBatches)
    {
        string path = Path.Combine(_folder, "crashed.ckpt");
        var start = new ProcessStartInfo(SaveKillTests.DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(CheckpointRunProgram).Assembly.Location);
        foreach (string argument in new[] { CheckpointRunProgram.Command, path, scenario, crashAfterBatches.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using (Process child = Process.Start(start)!)
        {
            string errors = child.StandardError.ReadToEnd();
            Assert.True(child.WaitForExit(120_000), "the child process did not finish");
            Assert.True(child.ExitCode == 3, $"the child should have died after batch {crashAfterBatches}; exit code {child.ExitCode}: {errors}");
        }

        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(path);
        var (reference, x, options) = Scenario(scenario);
        TrainingHistory expected = reference.Fit(x, options);
        TrainingHistory resumed = checkpoint.Resume(x, options);
        AssertSameRun(reference, expected, checkpoint.Model, resumed);
    }

    [Fact]
    public void Resume_WithOtherDataOrOptions_IsRefused_AndCanThenResumeCorrectly()
    {
        var (model, x, options) = Scenario("adam");
        string path = Path.Combine(_folder, "run.ckpt");
        model.Fit(x, options with { Epochs = 2, CheckpointPath = path });
        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(path);
        Assert.Equal(3, checkpoint.Epoch); // written after the last epoch too, ready to continue
        Assert.Equal(0, checkpoint.Batch);
        Assert.Equal(2, checkpoint.History.Count);

        Assert.Equal("options", Assert.Throws<ArgumentException>(() => checkpoint.Resume(x, options with { BatchSize = 16 })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => checkpoint.Resume(x, options with { Optimizer = new AdamOptions { LearningRate = 0.002 } })).ParamName);
        Matrix<float> other = x.Clone();
        other[3, 3] += 0.01f;
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => checkpoint.Resume(other, options)).ParamName);

        TrainingHistory history = checkpoint.Resume(x, options with { Epochs = 4 });
        Assert.Equal(4, history.Epochs.Count);
        Assert.Equal(checkpoint.History, history.Epochs.Take(2));
        Assert.Throws<InvalidOperationException>(() => checkpoint.Resume(x, options));
    }

    private sealed class ThrowOnFirstBatch : ITrainingCallback
    {
        public void OnBatchEnd(TrainingProgress progress, TrainingControl control) => throw new ArgumentException("from a callback");
    }

    [Fact]
    public void Resume_ThatFailedAfterTrainingBegan_CannotBeResumedAgain()
    {
        var (model, x, options) = Scenario("adam");
        string path = Path.Combine(_folder, "run.ckpt");
        model.Fit(x, options with { Epochs = 2, CheckpointPath = path });
        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(path);
        Assert.Throws<ArgumentException>(() => checkpoint.Resume(x, options with { Callbacks = [new ThrowOnFirstBatch()] }));
        // One batch was trained, so this state is no longer the checkpoint's: a second resume would not be exact.
        Assert.Throws<InvalidOperationException>(() => checkpoint.Resume(x, options));
    }

    [Fact]
    public void Load_APlainModelFile_IsNotACheckpoint()
    {
        string path = Path.Combine(_folder, "model.safetensors");
        new AutoencoderBuilder(4).WithLatent(2).Build().Save(path);
        var error = Assert.Throws<ModelFormatException>(() => TrainingCheckpoint.Load(path));
        Assert.Contains("not a training checkpoint", error.Message);
    }

    [Fact]
    public void Checkpoint_IsAModelFileTooAndRejectsTampering()
    {
        var (model, x, options) = Scenario("adam");
        string path = Path.Combine(_folder, "run.ckpt");
        model.Fit(x, options with { Epochs = 2, CheckpointPath = path });
        // The weights load as a model (the checkpoint's extras are refused by the strict model reader, so through the checkpoint).
        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(path);
        Assert.Equal(model.InputSize, checkpoint.Model.InputSize);
        Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(path));

        byte[] bytes = File.ReadAllBytes(path);
        bytes[^5] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("data_sha256", Assert.Throws<ModelFormatException>(() => TrainingCheckpoint.Load(path)).Message);
    }

    private static void AssertSameRun(AutoencoderModel reference, TrainingHistory expected, AutoencoderModel resumedModel, TrainingHistory resumed)
    {
        float[] a = reference.Network.Parameters, b = resumedModel.Network.Parameters;
        for (int i = 0; i < a.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i]))
            {
                Assert.Fail($"parameter {i}: uninterrupted {a[i]:R}, resumed {b[i]:R}");
            }
        }

        Assert.Equal(reference.Network.State, resumedModel.Network.State);
        Assert.Equal(expected.StopReason, resumed.StopReason);
        Assert.Equal(expected.BestEpoch, resumed.BestEpoch);
        Assert.Equal(expected.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss, e.LearningRate)), resumed.Epochs.Select(e => (e.Epoch, e.TrainLoss, e.ValidationLoss, e.LearningRate)));
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

using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.PublicApi.Tests;

/// <summary>
/// What a user can plug into training from outside the library: a learning-rate schedule of their
/// own, and callbacks that set the rate.
/// </summary>
public class TrainingExtensionTests
{
    /// <summary>Linear warm-up to the base rate over <paramref name="Epochs"/> epochs, then halving each epoch.</summary>
    private sealed record WarmUpThenHalve(int Epochs) : LearningRateSchedule
    {
        public override double RateFor(int epoch, double baseRate, IReadOnlyList<EpochResult> history) =>
            epoch <= Epochs ? baseRate * epoch / Epochs : history[^1].LearningRate / 2;

        protected override void Validate()
        {
            if (Epochs < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(Epochs), $"Epochs must be at least 1; got {Epochs}.");
            }
        }
    }

    /// <summary>A schedule that returns a rate no float kernel can use.</summary>
    private sealed record Broken : LearningRateSchedule
    {
        public override double RateFor(int epoch, double baseRate, IReadOnlyList<EpochResult> history) => epoch == 2 ? double.NaN : baseRate;
    }

    private static Matrix<float> Data() => Matrix<float>.Build.Dense(64, 6, (r, c) => ((r * 7 + c * 3) % 11) / 11f);

    private static AutoencoderModel Model() => new AutoencoderBuilder(6).AddEncoderLayer(4).WithLatent(2).WithSeed(1).Build();

    [Fact]
    public void Fit_UserSchedule_SetsEachEpochsRateFromTheHistory()
    {
        TrainingHistory history = Model().Fit(Data(), new TrainingOptions
        {
            Epochs = 5,
            BatchSize = 16,
            Optimizer = new AdamOptions { LearningRate = 0.01 },
            LearningRateSchedule = new WarmUpThenHalve(Epochs: 2),
        });

        Assert.Equal([0.005, 0.01, 0.005, 0.0025, 0.00125], history.Epochs.Select(e => e.LearningRate));
    }

    [Fact]
    public void Fit_UserScheduleWithBadSettings_IsRefusedByItsOwnValidate()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Model().Fit(Data(), new TrainingOptions { LearningRateSchedule = new WarmUpThenHalve(Epochs: 0) }));
        Assert.Contains("Epochs must be at least 1", e.Message);
    }

    [Fact]
    public void Fit_ScheduleGivesARateNoKernelCanUse_SaysWhichAndWhen()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Model().Fit(Data(), new TrainingOptions { Epochs = 3, LearningRateSchedule = new Broken() }));
        Assert.Contains("gave NaN for epoch 2", e.Message);
    }

    [Fact]
    public void ReduceOnPlateauRateFor_ReplaysTheRunsOwnRates()
    {
        // The public function of the history gives the rates the run itself used.
        var schedule = new ReduceOnPlateau(Factor: 0.5, Patience: 1, MinDelta: 0.01);
        TrainingHistory history = Model().Fit(Data(), new TrainingOptions
        {
            Epochs = 12,
            BatchSize = 64,
            Optimizer = new SgdOptions { LearningRate = 0.5 },
            LearningRateSchedule = schedule,
        });

        double[] used = history.Epochs.Select(e => e.LearningRate).ToArray();
        Assert.True(used.Distinct().Count() > 1, $"the plateau rule never fired: {string.Join(", ", used)}");
        for (int epoch = 1; epoch <= used.Length; epoch++)
        {
            Assert.Equal(used[epoch - 1], schedule.RateFor(epoch, 0.5, history.Epochs));
        }
    }

    /// <summary>Sets the rate once, after a given batch of the first epoch or at the end of the first epoch.</summary>
    private sealed class SetRate(double rate, int afterBatch) : ITrainingCallback
    {
        public void OnBatchEnd(TrainingProgress progress, TrainingControl control)
        {
            if (progress.Epoch == 1 && progress.Batch == afterBatch)
            {
                control.LearningRate = rate;
            }
        }

        public void OnEpochEnd(EpochResult epoch, TrainingControl control)
        {
            if (epoch.Epoch == 1 && afterBatch == 0)
            {
                control.LearningRate = rate;
            }
        }
    }

    [Fact]
    public void Callback_SetsTheRateForTheNextSteps()
    {
        // Plain SGD after one step at 0.1, then a rate too small to move a weight: the same
        // weights as one step alone.
        Matrix<float> x = Data();
        AutoencoderModel oneStep = Model();
        oneStep.Fit(x.SubMatrix(0, 16, 0, 6), new TrainingOptions { Epochs = 1, BatchSize = 16, Shuffle = false, Optimizer = new SgdOptions { LearningRate = 0.1 } });

        AutoencoderModel slowed = Model();
        TrainingHistory history = slowed.Fit(x, new TrainingOptions
        {
            Epochs = 2,
            BatchSize = 16,
            Shuffle = false,
            Optimizer = new SgdOptions { LearningRate = 0.1 },
            Callbacks = [new SetRate(1e-30, afterBatch: 1)],
        });

        Assert.Equal(oneStep.Reconstruct(x).ToColumnMajorArray(), slowed.Reconstruct(x).ToColumnMajorArray());
        Assert.Equal([1e-30, 1e-30], history.Epochs.Select(e => e.LearningRate)); // no schedule: it stays
    }

    [Fact]
    public void Callback_RateSetAtEpochEnd_HoldsTheNextEpoch_UnlessAScheduleSetsOne()
    {
        var options = new TrainingOptions { Epochs = 3, BatchSize = 16, Optimizer = new AdamOptions { LearningRate = 0.01 }, Callbacks = [new SetRate(0.002, afterBatch: 0)] };
        TrainingHistory plain = Model().Fit(Data(), options);
        Assert.Equal([0.01, 0.002, 0.002], plain.Epochs.Select(e => e.LearningRate));

        TrainingHistory scheduled = Model().Fit(Data(), options with { LearningRateSchedule = new ExponentialDecay(Gamma: 0.5) });
        Assert.Equal([0.01, 0.005, 0.0025], scheduled.Epochs.Select(e => e.LearningRate));
    }

    [Fact]
    public void Callback_RateOutsideFloatRange_IsRefused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Model().Fit(Data(), new TrainingOptions { Callbacks = [new SetRate(-1, afterBatch: 1)] }));
        Assert.Contains("LearningRate must be a non-negative number within float range", e.Message);
    }

    [Fact]
    public void CosineAnnealing_HeldAtAZeroMinimumAfterItsPeriod_KeepsTraining()
    {
        TrainingHistory history = Model().Fit(Data(), new TrainingOptions { Epochs = 4, Optimizer = new AdamOptions { LearningRate = 0.01 }, LearningRateSchedule = new CosineAnnealing(Period: 2) });
        Assert.Equal([0.01, 0.005, 0.0, 0.0], history.Epochs.Select(e => Math.Round(e.LearningRate, 12)));
    }

    /// <summary>Sets the rate after the last batch of epoch 1 (of <paramref name="batches"/>).</summary>
    private sealed class SetRateOnLastBatch(double rate, int batches) : ITrainingCallback
    {
        public void OnBatchEnd(TrainingProgress progress, TrainingControl control)
        {
            if (progress.Epoch == 1 && progress.Batch == batches)
            {
                control.LearningRate = rate;
            }
        }
    }

    [Fact]
    public void EpochResult_RecordsTheRateOfTheEpochsLastStep()
    {
        // 64 rows in batches of 16: the rate set after batch 4 of epoch 1 is first used by epoch 2.
        TrainingHistory history = Model().Fit(Data(), new TrainingOptions { Epochs = 2, BatchSize = 16, Optimizer = new AdamOptions { LearningRate = 0.001 }, Callbacks = [new SetRateOnLastBatch(0.5, batches: 4)] });
        Assert.Equal([0.001, 0.5], history.Epochs.Select(e => e.LearningRate));
    }

    [Fact]
    public void Resume_AfterACallbackSetTheRateAtAnEpochsEnd_IsBitIdenticalToTheUninterruptedRun()
    {
        string folder = Directory.CreateTempSubdirectory("autoencoder-rate-resume-").FullName;
        try
        {
            string path = Path.Combine(folder, "run.ckpt");
            TrainingOptions Options(int epochs, string? checkpoint) => new()
            {
                Epochs = epochs,
                BatchSize = 16,
                Seed = 5,
                Optimizer = new AdamOptions { LearningRate = 0.01 },
                Callbacks = [new SetRate(0.001, afterBatch: 0)],
                CheckpointPath = checkpoint,
            };

            AutoencoderModel uninterrupted = Model();
            TrainingHistory whole = uninterrupted.Fit(Data(), Options(3, null));

            Model().Fit(Data(), Options(2, path));
            TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(path);
            TrainingHistory resumed = checkpoint.Resume(Data(), Options(3, path));

            Assert.Equal(whole.Epochs.Select(e => e.LearningRate), resumed.Epochs.Select(e => e.LearningRate));
            Assert.Equal(uninterrupted.Reconstruct(Data()).ToColumnMajorArray(), checkpoint.Model.Reconstruct(Data()).ToColumnMajorArray());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

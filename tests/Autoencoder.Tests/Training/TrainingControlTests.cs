using Autoencoder.Training;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Training;

/// <summary>Early stopping, learning-rate schedules, gradient clipping and callbacks.</summary>
public class TrainingControlTests
{
    /// <summary>Records the model's parameters at the end of every epoch.</summary>
    private sealed class WeightRecorder(AutoencoderModel model) : ITrainingCallback
    {
        public List<float[]> Weights { get; } = [];

        public void OnEpochEnd(EpochResult epoch, TrainingControl control) => Weights.Add((float[])model.Network.Parameters.Clone());
    }

    private sealed class StopAfter(int batches, bool atEpochEnd) : ITrainingCallback
    {
        public int BatchCalls { get; private set; }

        public int EpochCalls { get; private set; }

        public void OnBatchEnd(TrainingProgress progress, TrainingControl control)
        {
            BatchCalls++;
            if (!atEpochEnd && BatchCalls == batches)
            {
                control.Stop();
            }
        }

        public void OnEpochEnd(EpochResult epoch, TrainingControl control)
        {
            EpochCalls++;
            if (atEpochEnd && epoch.Epoch == batches)
            {
                control.Stop();
            }
        }
    }

    private static AutoencoderModel Overfitting(int seed) =>
        new AutoencoderBuilder(20).AddEncoderLayer(64, Activation.Tanh).WithLatent(16).WithSeed(seed).Build();

    [Fact]
    public void EarlyStopping_StopsAfterPatience_AndRestoresTheBestEpochsWeights()
    {
        // 12 random rows and a 20-64-16-64-20 model: training memorises them and the loss on other
        // random rows turns up after a few epochs.
        Matrix<float> train = TestData.Matrix(12, 20, seed: 1);
        Matrix<float> validation = TestData.Matrix(50, 20, seed: 2);
        AutoencoderModel model = Overfitting(3);
        var recorder = new WeightRecorder(model);
        TrainingHistory history = model.Fit(train, new TrainingOptions
        {
            Epochs = 2000,
            BatchSize = 4,
            Optimizer = new AdamOptions { LearningRate = 0.01 },
            ValidationData = validation,
            EarlyStopping = new EarlyStopping { Patience = 4 },
            Callbacks = [recorder],
        });

        Assert.Equal(StopReason.EarlyStopped, history.StopReason);
        int best = history.Epochs.MinBy(e => e.ValidationLoss!.Value)!.Epoch;
        Assert.Equal(best, history.BestEpoch);
        Assert.Equal(best + 4, history.Epochs.Count);
        Assert.True(best < history.Epochs.Count);
        Assert.Equal(recorder.Weights[best - 1], model.Network.Parameters);
        Assert.NotEqual(recorder.Weights[^1], model.Network.Parameters);
        Assert.Equal(history.Epochs[best - 1].ValidationLoss!.Value, model.Evaluate(validation, Loss.MeanSquaredError), 1e-6);
    }

    [Fact]
    public void EarlyStopping_WithoutRestore_KeepsTheLastWeights_AndMonitorsTrainingLossWithoutValidation()
    {
        AutoencoderModel model = Overfitting(4);
        var recorder = new WeightRecorder(model);
        TrainingHistory history = model.Fit(TestData.Matrix(12, 20, seed: 1), new TrainingOptions
        {
            Epochs = 30,
            BatchSize = 4,
            EarlyStopping = new EarlyStopping { Patience = 2, MinDelta = 10, RestoreBestWeights = false },
            Callbacks = [recorder],
        });

        // No epoch improves by 10 on the first (infinite) best except epoch 1, so it stops at epoch 3.
        Assert.Equal(StopReason.EarlyStopped, history.StopReason);
        Assert.Equal(3, history.Epochs.Count);
        Assert.Equal(1, history.BestEpoch);
        Assert.Equal(recorder.Weights[^1], model.Network.Parameters);
    }

    public static TheoryData<LearningRateSchedule, double[]> Schedules() => new()
    {
        { new StepDecay(2, 0.5), [0.1, 0.1, 0.05, 0.05, 0.025, 0.025] },
        { new ExponentialDecay(0.9), [0.1, 0.09, 0.081, 0.0729, 0.06561, 0.059049] },
        // min + (base − min)(1 + cos(π t / 4)) / 2 with t = 0, 1, 2, 3, 4, 4.
        { new CosineAnnealing(4, 0.01), [0.1, 0.01 + (0.09 * (1 + Math.Cos(Math.PI / 4)) / 2), 0.055, 0.01 + (0.09 * (1 + Math.Cos(3 * Math.PI / 4)) / 2), 0.01, 0.01] },
    };

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Schedule_SetsEachEpochsRate_AsSpecified(LearningRateSchedule schedule, double[] expected)
    {
        AutoencoderModel model = new AutoencoderBuilder(4).WithLatent(2).WithSeed(1).Build();
        TrainingHistory history = model.Fit(TestData.Matrix(16, 4, seed: 2), new TrainingOptions
        {
            Epochs = expected.Length,
            Optimizer = new SgdOptions { LearningRate = 0.1 },
            LearningRateSchedule = schedule,
        });

        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], history.Epochs[i].LearningRate, 1e-12);
        }
    }

    [Fact]
    public void ReduceOnPlateau_FollowsPatienceCooldownAndFloor()
    {
        var schedule = new ReduceOnPlateau(Factor: 0.5, Patience: 1, MinDelta: 0.01, MinimumRate: 0.3, Cooldown: 1);
        var run = schedule.Start(1.0);
        double[] losses = [1.0, 0.5, 0.495, 0.5, 0.6, 0.7, 0.8, 0.9, 0.2, 0.3, 0.3];
        var rates = new List<double>();
        var history = new List<EpochResult>();
        for (int epoch = 1; epoch <= losses.Length; epoch++)
        {
            rates.Add(run.RateFor(epoch, history));
            Assert.Equal(rates[^1], schedule.RateFor(epoch, 1.0, history)); // the public replay agrees with the run's state
            run.EpochEnded(epoch, losses[epoch - 1]);
            history.Add(new EpochResult(epoch, losses[epoch - 1], null, TimeSpan.Zero, rates[^1]));
        }

        // Epochs 3 and 4 are bad (within MinDelta of 0.5): after the second (> patience 1) the rate halves
        // for epoch 5; epoch 5 is in cooldown; 6 and 7 are bad again, halving to the 0.3 floor for epoch 8.
        Assert.Equal([1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3, 0.3], rates);
    }

    [Fact]
    public void Schedule_ReachesTheOptimizer()
    {
        // A rate decayed to 1e-30 in epoch 2 leaves the weights of epoch 1 (Adam moves a weight by about the rate).
        AutoencoderModel model = new AutoencoderBuilder(6).WithLatent(3).WithSeed(5).Build();
        float[] initial = (float[])model.Network.Parameters.Clone();
        var recorder = new WeightRecorder(model);
        model.Fit(TestData.Matrix(32, 6, seed: 6), new TrainingOptions
        {
            Epochs = 2,
            Optimizer = new AdamOptions { LearningRate = 0.01 },
            LearningRateSchedule = new ExponentialDecay(1e-28),
            Callbacks = [recorder],
        });

        float maxChange = recorder.Weights[0].Zip(recorder.Weights[1], (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxChange < 1e-6f, $"weights moved by {maxChange} at a rate of 1e-30");
        float firstEpochChange = initial.Zip(recorder.Weights[0], (a, b) => Math.Abs(a - b)).Max();
        Assert.True(firstEpochChange > 1e-3f, $"epoch 1 at rate 0.01 moved the weights by only {firstEpochChange}");
    }

    [Fact]
    public void ClipByGlobalNorm_ScalesToTheBound_AndLeavesSmallGradientsAlone()
    {
        float[] large = Enumerable.Range(0, 10_001).Select(i => (float)Math.Sin(i)).ToArray();
        double norm = Math.Sqrt(large.Sum(g => (double)g * g));
        float[] clipped = (float[])large.Clone();
        GradientClipping.ClipByGlobalNorm(clipped, 1.5);
        double clippedNorm = Math.Sqrt(clipped.Sum(g => (double)g * g));
        Assert.Equal(1.5, clippedNorm, 1e-5);
        Assert.Equal(large[7] * 1.5 / norm, clipped[7], 1e-6);

        float[] small = [0.3f, -0.4f];
        GradientClipping.ClipByGlobalNorm(small, 1);
        Assert.Equal([0.3f, -0.4f], small);
    }

    [Fact]
    public void GradientClipNorm_BoundsEveryStep()
    {
        // Plain SGD with rate 1 moves the weights by exactly the (clipped) gradient: one batch, one step.
        Matrix<float> x = TestData.Matrix(8, 10, seed: 1, low: 0, high: 5);
        float Step(double? clip)
        {
            AutoencoderModel model = new AutoencoderBuilder(10).WithLatent(4).WithSeed(9).Build();
            float[] before = (float[])model.Network.Parameters.Clone();
            model.Fit(x, new TrainingOptions { Epochs = 1, BatchSize = 8, Optimizer = new SgdOptions { LearningRate = 1 }, GradientClipNorm = clip });
            return (float)Math.Sqrt(before.Zip(model.Network.Parameters, (a, b) => (double)(a - b) * (a - b)).Sum());
        }

        float unclipped = Step(null);
        Assert.True(unclipped > 1, $"the test needs a gradient norm above the bound; got {unclipped}");
        Assert.Equal(0.25, Step(0.25), 1e-4);
    }

    [Fact]
    public void Callback_StopAtBatchEnd_EndsTheRunThere()
    {
        AutoencoderModel model = new AutoencoderBuilder(4).WithLatent(2).WithSeed(1).Build();
        var stop = new StopAfter(batches: 7, atEpochEnd: false);
        TrainingHistory history = model.Fit(TestData.Matrix(40, 4, seed: 2), new TrainingOptions { Epochs = 5, BatchSize = 10, Callbacks = [stop] });
        Assert.Equal(StopReason.StoppedByCallback, history.StopReason);
        Assert.Equal(7, stop.BatchCalls);
        Assert.Single(history.Epochs); // epoch 2 stopped part-way is not listed
        Assert.Equal(1, stop.EpochCalls);
    }

    [Fact]
    public void Callback_StopAtEpochEnd_KeepsThatEpoch()
    {
        AutoencoderModel model = new AutoencoderBuilder(4).WithLatent(2).WithSeed(1).Build();
        var stop = new StopAfter(batches: 2, atEpochEnd: true);
        TrainingHistory history = model.Fit(TestData.Matrix(40, 4, seed: 2), new TrainingOptions { Epochs = 5, BatchSize = 10, Callbacks = [stop] });
        Assert.Equal(StopReason.StoppedByCallback, history.StopReason);
        Assert.Equal(2, history.Epochs.Count);
        Assert.Equal(8, stop.BatchCalls);
    }

    public static TheoryData<TrainingOptions, string> InvalidOptions() => new()
    {
        { new TrainingOptions { GradientClipNorm = 0 }, "options.GradientClipNorm" },
        { new TrainingOptions { GradientClipNorm = double.NaN }, "options.GradientClipNorm" },
        { new TrainingOptions { EarlyStopping = new EarlyStopping { Patience = -1 } }, "options.EarlyStopping.Patience" },
        { new TrainingOptions { EarlyStopping = new EarlyStopping { MinDelta = -1 } }, "options.EarlyStopping.MinDelta" },
        { new TrainingOptions { LearningRateSchedule = new StepDecay(0) }, "options.LearningRateSchedule.StepSize" },
        { new TrainingOptions { LearningRateSchedule = new ExponentialDecay(1.5) }, "options.LearningRateSchedule.Gamma" },
        { new TrainingOptions { LearningRateSchedule = new CosineAnnealing(0) }, "options.LearningRateSchedule.Period" },
        { new TrainingOptions { LearningRateSchedule = new ReduceOnPlateau(Factor: 1) }, "options.LearningRateSchedule.Factor" },
        { new TrainingOptions { Corruption = new GaussianNoise(0) }, "options.Corruption.StandardDeviation" },
        { new TrainingOptions { Corruption = new MaskingNoise(1) }, "options.Corruption.Fraction" },
        { new TrainingOptions { Corruption = new SaltAndPepperNoise(0) }, "options.Corruption.Fraction" },
        { new TrainingOptions { KlWeight = -1 }, "options.KlWeight" },
        { new TrainingOptions { KlWarmUpEpochs = -1 }, "options.KlWarmUpEpochs" },
        { new TrainingOptions { Callbacks = [null!] }, "options" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Fit_InvalidControlOption_ThrowsNamingIt(TrainingOptions options, string name)
    {
        AutoencoderModel model = new AutoencoderBuilder(4).WithLatent(2).Build();
        var error = Assert.ThrowsAny<ArgumentException>(() => model.Fit(TestData.Matrix(8, 4, seed: 1), options));
        Assert.Equal(name, error.ParamName);
        Assert.Contains("got", error.Message);
    }
}

/// <summary>Review follow-ups: stopping on an epoch's last batch, patience 0, checkpoint paths, the clip norm's sum.</summary>
public class TrainingControlEdgeTests
{
    private sealed class StopAt(int batch) : ITrainingCallback
    {
        private int _count;

        public void OnBatchEnd(TrainingProgress progress, TrainingControl control)
        {
            if (++_count == batch)
            {
                control.Stop();
            }
        }
    }

    [Fact]
    public void Stop_OnAnEpochsLastBatch_KeepsThatEpoch()
    {
        AutoencoderModel model = new AutoencoderBuilder(4).WithLatent(2).WithSeed(1).Build();
        TrainingHistory history = model.Fit(TestData.Matrix(40, 4, seed: 2), new TrainingOptions
        {
            Epochs = 5, BatchSize = 10, ValidationFraction = 0.25, Callbacks = [new StopAt(6)], // 3 batches per epoch
        });
        Assert.Equal(StopReason.StoppedByCallback, history.StopReason);
        Assert.Equal(2, history.Epochs.Count);
        Assert.NotNull(history.Epochs[1].ValidationLoss);
    }

    [Fact]
    public void EarlyStopping_PatienceZero_StopsAtTheFirstEpochThatDoesNotImprove()
    {
        AutoencoderModel model = new AutoencoderBuilder(4).WithLatent(2).WithSeed(1).Build();
        TrainingHistory history = model.Fit(TestData.Matrix(40, 4, seed: 2), new TrainingOptions
        {
            Epochs = 50, EarlyStopping = new EarlyStopping { Patience = 0, MinDelta = 1e9 },
        });
        Assert.Equal(StopReason.EarlyStopped, history.StopReason);
        Assert.Equal(2, history.Epochs.Count); // epoch 1 improves on +∞; epoch 2 cannot improve by 1e9
    }

    [Theory]
    [InlineData("/no/such/folder/run.ckpt")]
    [InlineData("bad\0name.ckpt")]
    public void CheckpointPath_ThatCannotBeWritten_IsRefusedBeforeAnyTraining(string path)
    {
        AutoencoderModel model = new AutoencoderBuilder(4).WithLatent(2).WithSeed(1).Build();
        float[] before = (float[])model.Network.Parameters.Clone();
        var error = Assert.Throws<ArgumentException>(() => model.Fit(TestData.Matrix(8, 4, seed: 2), new TrainingOptions { CheckpointPath = path }));
        Assert.Equal("options", error.ParamName);
        Assert.Contains("CheckpointPath", error.Message);
        Assert.Equal(before, model.Network.Parameters);
    }

    [Fact]
    public void SumOfSquares_MatchesADoubleReference_ForEveryLengthAndTail()
    {
        foreach (int length in new[] { 0, 1, 3, 4, 7, 17, 1000, 100_003 })
        {
            float[] values = TestData.Uniform(length, seed: length, -3, 3);
            double expected = values.Sum(v => (double)v * v);
            Assert.Equal(expected, Autoencoder.Training.GradientClipping.SumOfSquares(values), Math.Max(1e-12, expected * 1e-11));
        }
    }
}

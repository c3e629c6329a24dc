using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Training;

public class FitTests
{
    private static AutoencoderModel Model(int seed = 21) =>
        new AutoencoderBuilder(16).AddEncoderLayer(10).WithLatent(4).WithOutputActivation(Activation.Sigmoid).WithSeed(seed).Build();

    [Fact]
    public void Fit_SameSeedTwice_GivesBitIdenticalWeights()
    {
        // Same builder seed, same data, same options: every draw (init and shuffling) repeats.
        Matrix<float> x = TestData.LowRank(200, 16, rank: 3, seed: 1);
        var options = new TrainingOptions { Epochs = 3, BatchSize = 16, Loss = Loss.BinaryCrossEntropy };
        AutoencoderModel first = Model(), second = Model();
        first.Fit(x, options);
        second.Fit(x, options);
        Assert.Equal(first.Network.Parameters, second.Network.Parameters);

        AutoencoderModel other = Model(seed: 22);
        other.Fit(x, options);
        Assert.NotEqual(first.Network.Parameters, other.Network.Parameters);
    }

    [Fact]
    public void Fit_ExplicitTrainingSeed_OverridesTheModelGenerator()
    {
        // Identical initial weights, different shuffling seeds: different results; same seed: identical.
        Matrix<float> x = TestData.LowRank(100, 16, rank: 3, seed: 2);
        float[] Train(int shuffleSeed)
        {
            AutoencoderModel model = Model();
            model.Fit(x, new TrainingOptions { Epochs = 2, BatchSize = 10, Seed = shuffleSeed });
            return model.Network.Parameters;
        }

        Assert.Equal(Train(1), Train(1));
        Assert.NotEqual(Train(1), Train(2));
    }

    [Fact]
    public void Fit_PartialLastBatch_IsTrained_AndLossIsWeightedBySamples()
    {
        Matrix<float> x = TestData.LowRank(10, 16, rank: 2, seed: 3);
        var reports = new List<TrainingProgress>();
        AutoencoderModel model = Model();
        TrainingHistory history = model.Fit(x, new TrainingOptions
        {
            Epochs = 2,
            BatchSize = 4,
            Shuffle = false,
            Progress = new SynchronousProgress<TrainingProgress>(reports.Add),
        });

        // 10 samples in batches of 4: 4, 4, 2 → three steps per epoch, then one end-of-epoch report.
        Assert.Equal(2 * (3 + 1), reports.Count);
        Assert.Equal([1, 2, 3, 3], reports.Take(4).Select(r => r.Batch));
        Assert.All(reports, r => Assert.Equal(3, r.Batches));
        Assert.Equal([false, false, false, true], reports.Take(4).Select(r => r.EpochCompleted));
        Assert.Equal(StopReason.Completed, history.StopReason);
        Assert.Equal(2, history.Epochs.Count);
        Assert.Equal(reports[3].Loss, history.Epochs[0].TrainLoss);
        Assert.Null(history.Epochs[0].ValidationLoss);
    }

    [Fact]
    public void Fit_ValidationFraction_HoldsOutTheLastRows()
    {
        Matrix<float> x = TestData.LowRank(100, 16, rank: 3, seed: 4);
        AutoencoderModel model = Model();
        TrainingHistory history = model.Fit(x, new TrainingOptions { Epochs = 2, BatchSize = 8, ValidationFraction = 0.2 });
        double? last = history.Epochs[^1].ValidationLoss;
        Assert.NotNull(last);
        Assert.Equal(model.Evaluate(x.SubMatrix(80, 20, 0, 16), Loss.MeanSquaredError), last!.Value, 10);
        Assert.Equal(2, history.ValidationLoss.Count);
    }

    [Fact]
    public void Fit_ValidationData_IsScoredEveryEpoch()
    {
        Matrix<float> x = TestData.LowRank(120, 16, rank: 3, seed: 5);
        Matrix<float> validation = TestData.LowRank(30, 16, rank: 3, seed: 6);
        AutoencoderModel model = Model();
        TrainingHistory history = model.Fit(x, new TrainingOptions { Epochs = 3, BatchSize = 12, ValidationData = validation });
        Assert.All(history.Epochs, e => Assert.NotNull(e.ValidationLoss));
        Assert.Equal(model.Evaluate(validation, Loss.MeanSquaredError), history.Epochs[^1].ValidationLoss!.Value, 10);
        Assert.All(history.Epochs, e => Assert.True(e.Duration > TimeSpan.Zero));
    }

    public static TheoryData<OptimizerOptions> Optimizers() => new()
    {
        new AdamOptions { LearningRate = 0.01 },
        new AdamWOptions { LearningRate = 0.01 },
        new SgdOptions { LearningRate = 0.5, Momentum = 0.9 },
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Fit_EveryOptimizer_ReducesTheLossOnLearnableData(OptimizerOptions optimizer)
    {
        // Rank-3 data through a 4-unit code: learnable, so 30 epochs must cut the loss well down.
        Matrix<float> x = TestData.LowRank(256, 16, rank: 3, seed: 7);
        AutoencoderModel model = Model();
        double before = model.Evaluate(x, Loss.MeanSquaredError);
        TrainingHistory history = model.Fit(x, new TrainingOptions { Epochs = 30, BatchSize = 16, Optimizer = optimizer });
        double after = model.Evaluate(x, Loss.MeanSquaredError);
        Assert.True(after < 0.25 * before, $"{optimizer.GetType().Name}: loss {before:F5} → {after:F5}");
        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss);
    }

    [Fact]
    public void Fit_Cancelled_StopsBetweenBatches_AndLeavesAUsableModel()
    {
        Matrix<float> x = TestData.LowRank(100, 16, rank: 3, seed: 8);
        using var cancellation = new CancellationTokenSource();
        AutoencoderModel model = Model();
        int steps = 0;
        float[]? afterFifthStep = null;
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.EpochCompleted)
            {
                return;
            }

            if (++steps == 5)
            {
                afterFifthStep = (float[])model.Network.Parameters.Clone();
                cancellation.Cancel();
            }
        });

        TrainingHistory history = model.Fit(x, new TrainingOptions { Epochs = 10, BatchSize = 10, Progress = progress }, cancellation.Token);
        Assert.Equal(StopReason.Cancelled, history.StopReason);
        Assert.Empty(history.Epochs); // the first epoch (10 batches) never finished
        Assert.Equal(5, steps);
        Assert.Equal(afterFifthStep, model.Network.Parameters);
        Assert.True(double.IsFinite(model.Evaluate(x, Loss.MeanSquaredError)));
    }

    [Fact]
    public void Fit_Diverging_ThrowsAndKeepsTheLastFiniteWeights()
    {
        // SGD with an absurd step on an identity output: weights explode until the loss overflows.
        Matrix<float> x = TestData.Matrix(64, 16, seed: 9);
        AutoencoderModel model = new AutoencoderBuilder(16).AddEncoderLayer(10).WithLatent(4).WithSeed(3).Build();
        float[] lastReported = (float[])model.Network.Parameters.Clone();
        var progress = new SynchronousProgress<TrainingProgress>(_ => model.Network.Parameters.CopyTo(lastReported, 0));
        var e = Assert.Throws<TrainingDivergedException>(() => model.Fit(x, new TrainingOptions
        {
            Epochs = 50,
            BatchSize = 8,
            Optimizer = new SgdOptions { LearningRate = 1e4 },
            Progress = progress,
        }));

        Assert.Contains("diverged", e.Message);
        Assert.Contains("last finite weights", e.Message);
        Assert.True(e.Epoch >= 1 && e.Batch >= 1 && e.Batch <= 8, $"epoch {e.Epoch}, batch {e.Batch}");
        Assert.All(model.Network.Parameters, p => Assert.True(float.IsFinite(p)));
        Assert.Equal(lastReported, model.Network.Parameters);
    }

    [Fact]
    public void Fit_ReportsProgressWithThroughputAndEstimate()
    {
        Matrix<float> x = TestData.LowRank(64, 16, rank: 3, seed: 10);
        var reports = new List<TrainingProgress>();
        Model().Fit(x, new TrainingOptions { Epochs = 2, BatchSize = 16, ValidationFraction = 0.25, Progress = new SynchronousProgress<TrainingProgress>(reports.Add) });
        TrainingProgress last = reports[^1];
        Assert.Equal((2, 2, true), (last.Epoch, last.Epochs, last.EpochCompleted));
        Assert.NotNull(last.ValidationLoss);
        Assert.True(last.SamplesPerSecond > 0);
        Assert.Equal(TimeSpan.Zero, last.EstimatedRemaining);
        Assert.True(reports[0].EstimatedRemaining > TimeSpan.Zero);
    }
}

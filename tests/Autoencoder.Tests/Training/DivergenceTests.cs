using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Training;

/// <summary>
/// A step that leaves float range stops training with <see cref="TrainingDivergedException"/>, and
/// the model then really holds the weights from before that step; options that cannot work in
/// float32 are refused before training starts.
/// </summary>
public class DivergenceTests
{
    /// <summary>12-8-4-8-12: 288 weights and biases.</summary>
    private static AutoencoderModel Model() => new AutoencoderBuilder(12).AddEncoderLayer(8).WithLatent(4).WithSeed(5).Build();

    /// <summary>256 rows in [−1, 1], fixed by the seed.</summary>
    private static Matrix<float> Inputs(float scale = 1f) => TestData.Matrix(256, 12, seed: 21, low: -1f, high: 1f) * scale;

    public static TheoryData<int> BatchSizes() => new() { 256, 32 };

    [Theory]
    [MemberData(nameof(BatchSizes))]
    public void Fit_SgdStepOverflowsTheWeights_ThrowsAndKeepsTheWeightsBeforeIt(int batchSize)
    {
        // Inputs of 1e18 give gradients near 1e35, finite, but a step of 1e4 times them is not: before,
        // one batch "completed" with every weight infinite, and more batches blamed the next loss.
        AutoencoderModel model = Model();
        float[] initial = (float[])model.Network.Parameters.Clone();
        var e = Assert.Throws<TrainingDivergedException>(() => model.Fit(Inputs(1e18f), new TrainingOptions
        {
            Epochs = 1,
            BatchSize = batchSize,
            Shuffle = false,
            Optimizer = new SgdOptions { LearningRate = 1e4 },
        }));

        Assert.Equal((1, 1), (e.Epoch, e.Batch));
        Assert.Contains("optimizer step left float range", e.Message);
        Assert.Contains("last finite weights", e.Message);
        Assert.Equal(288, model.Network.Parameters.Length);
        Assert.Equal(initial, model.Network.Parameters);
    }

    [Fact]
    public void Fit_AdamSecondMomentOverflows_ThrowsInsteadOfCompletingSilently()
    {
        // Inputs of 1e18 give gradients whose squares overflow Adam's second moment: before, the run
        // "completed" with infinite moments (and zero updates for those weights) at a loss of 3.4e35.
        AutoencoderModel model = Model();
        float[] initial = (float[])model.Network.Parameters.Clone();
        var e = Assert.Throws<TrainingDivergedException>(() => model.Fit(Inputs(1e18f), new TrainingOptions { Epochs = 2, BatchSize = 64 }));

        Assert.Equal((1, 1), (e.Epoch, e.Batch));
        Assert.Contains("optimizer moment", e.Message);
        Assert.Equal(initial, model.Network.Parameters);
        Assert.True(double.IsFinite(model.Evaluate(Inputs(), Loss.MeanSquaredError)));
    }

    [Fact]
    public void Fit_AdamSecondMomentOverflowsWithCheckpoints_ThrowsTheDivergenceNotASaveError()
    {
        using var folder = new Data.TempFolder();
        string path = Path.Combine(folder.Path, "run.ckpt");
        AutoencoderModel model = Model();
        var e = Assert.Throws<TrainingDivergedException>(() => model.Fit(Inputs(1e18f), new TrainingOptions
        {
            Epochs = 2,
            BatchSize = 64,
            CheckpointPath = path,
            CheckpointEveryBatches = 1,
        }));

        Assert.Equal((1, 1), (e.Epoch, e.Batch));
        Assert.False(File.Exists(path)); // the failed step never reached a checkpoint
    }

    [Fact]
    public void Fit_NoiseOverflowsTheInputs_ThrowsBeforeTheStep()
    {
        // σ within float range, but x + σ·ε leaves it for some inputs: the loss is not finite.
        AutoencoderModel model = Model();
        float[] initial = (float[])model.Network.Parameters.Clone();
        var e = Assert.Throws<TrainingDivergedException>(() => model.Fit(Inputs(), new TrainingOptions
        {
            Epochs = 1,
            Corruption = new GaussianNoise(3e38),
        }));

        Assert.Contains("the loss became", e.Message);
        Assert.Equal(initial, model.Network.Parameters);
    }

    [Fact]
    public void Fit_StepFiniteButNextLossNot_KeepsTheLastFiniteStep()
    {
        // Adam's first step moves every weight by about lr: finite, but the next forward pass overflows.
        AutoencoderModel model = Model();
        float[] afterFirstStep = [];
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Batch == 1)
            {
                afterFirstStep = (float[])model.Network.Parameters.Clone();
            }
        });
        var e = Assert.Throws<TrainingDivergedException>(() => model.Fit(Inputs(), new TrainingOptions
        {
            Epochs = 1,
            BatchSize = 32,
            Optimizer = new AdamOptions { LearningRate = 3e37 },
            Progress = progress,
        }));

        Assert.Equal(2, e.Batch);
        Assert.All(afterFirstStep, p => Assert.True(float.IsFinite(p)));
        Assert.Equal(afterFirstStep, model.Network.Parameters);
    }

    [Fact]
    public void Fit_TinyEpsilonWithAZeroColumn_TrainsFinitely()
    {
        // The smallest epsilon accepted: a column that is always 0 has zero gradients, and 0 / (0 + ε) must stay 0.
        Matrix<float> x = Inputs();
        x.SetColumn(3, new float[256]);
        AutoencoderModel model = Model();
        TrainingHistory history = model.Fit(x, new TrainingOptions { Epochs = 2, Optimizer = new AdamOptions { Epsilon = 2e-38 } });
        Assert.Equal(StopReason.Completed, history.StopReason);
        Assert.All(model.Network.Parameters, p => Assert.True(float.IsFinite(p)));
    }

    public static TheoryData<TrainingOptions, string> OutsideFloatRange() => new()
    {
        { new TrainingOptions { Optimizer = new SgdOptions { LearningRate = 1e39 } }, "SgdOptions.LearningRate" },
        { new TrainingOptions { Optimizer = new SgdOptions { LearningRate = 1e-50 } }, "SgdOptions.LearningRate" },
        { new TrainingOptions { Optimizer = new SgdOptions { WeightDecay = 1e39 } }, "SgdOptions.WeightDecay" },
        { new TrainingOptions { Optimizer = new AdamOptions { LearningRate = 1e38 } }, "AdamOptions.LearningRate / (1 − Beta1)" },
        { new TrainingOptions { Optimizer = new AdamOptions { LearningRate = 3e37, Beta1 = 0.99 } }, "AdamOptions.LearningRate / (1 − Beta1)" },
        { new TrainingOptions { Optimizer = new AdamOptions { Epsilon = 1e-60 } }, "AdamOptions.Epsilon" },
        { new TrainingOptions { Optimizer = new AdamOptions { Epsilon = 1e-39 } }, "AdamOptions.Epsilon" },
        { new TrainingOptions { Optimizer = new AdamWOptions { WeightDecay = 1e300 } }, "AdamWOptions.WeightDecay" },
        { new TrainingOptions { Optimizer = new AdamWOptions { LearningRate = 10, WeightDecay = 1e38 } }, "LearningRate × WeightDecay" },
        { new TrainingOptions { Corruption = new GaussianNoise(1e300) }, "options.Corruption.StandardDeviation" },
        { new TrainingOptions { KlWeight = 1e39 }, "options.KlWeight" },
    };

    [Theory]
    [MemberData(nameof(OutsideFloatRange))]
    public void Fit_OptionOutsideFloatRange_ThrowsSayingTheFloatRange(TrainingOptions options, string setting)
    {
        AutoencoderModel model = Model();
        float[] initial = (float[])model.Network.Parameters.Clone();
        var e = Assert.ThrowsAny<ArgumentOutOfRangeException>(() => model.Fit(Inputs(), options));
        Assert.Contains(setting, e.Message);
        Assert.Contains("float range", e.Message);
        Assert.Contains("got", e.Message);
        Assert.Equal(initial, model.Network.Parameters);
    }

    [Fact]
    public void Builder_PenaltyWeightOutsideFloatRange_Throws()
    {
        var builder = new AutoencoderBuilder(12);
        Assert.Contains("float range", Assert.Throws<ArgumentOutOfRangeException>(() => builder.WithContractivePenalty(1e39)).Message);
        Assert.Contains("float range", Assert.Throws<ArgumentOutOfRangeException>(() => builder.WithSparsity(0.05, 1e39)).Message);
        Assert.Contains("float range", Assert.Throws<ArgumentOutOfRangeException>(
            () => builder.AddEncoderLayer(8, Activation.Relu, new LayerOptions { ActivityL2 = 1e39 })).Message);
    }
}

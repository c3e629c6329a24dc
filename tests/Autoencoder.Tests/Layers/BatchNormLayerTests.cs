using Autoencoder.Data;
using Autoencoder.Layers;
using Autoencoder.Losses;
using Autoencoder.Model;
using Autoencoder.Training;
using MathNet.Numerics.LinearAlgebra;
using Xunit.Abstractions;

namespace Autoencoder.Tests.Layers;

/// <summary>
/// Batch normalization in a model: PyTorch's running-statistics semantics (momentum 0.1,
/// unbiased running variance), inference with the running statistics, the state buffer's life
/// through training, the argument rules, and training on real data.
/// </summary>
public class BatchNormLayerTests(ITestOutputHelper output)
{
    private static AutoencoderModel Build(int seed = 3) => new AutoencoderBuilder(6)
        .AddEncoderLayer(4, Activation.Relu, new LayerOptions { BatchNormalization = true })
        .WithLatent(2, Activation.Tanh)
        .WithOutputActivation(Activation.Sigmoid)
        .WithSeed(seed)
        .Build();

    private static BatchNormLayer Norm(Network network) => network.Layers.OfType<BatchNormLayer>().Single();

    /// <summary>The dense layer's pre-activation for every row, in double, from the model's weights.</summary>
    private static double[,] PreActivations(Network network, float[] x, int rows)
    {
        DenseLayer dense = network.DenseLayers[0];
        var z = new double[rows, dense.Outputs];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < dense.Outputs; j++)
            {
                double sum = network.Parameters[dense.BiasOffset + j];
                for (int i = 0; i < dense.Inputs; i++)
                {
                    sum += (double)x[(r * dense.Inputs) + i] * network.Parameters[dense.WeightOffset + (i * dense.Outputs) + j];
                }

                z[r, j] = sum;
            }
        }

        return z;
    }

    [Fact]
    public void Build_StartsAsPyTorch_ScaleOneShiftZeroMeanZeroVarianceOne()
    {
        Network network = Build().Network;
        BatchNormLayer norm = Norm(network);
        Assert.Equal(Enumerable.Repeat(1f, 4), network.Parameters.Skip(norm.ParameterOffset).Take(4));
        Assert.Equal(Enumerable.Repeat(0f, 4), network.Parameters.Skip(norm.ParameterOffset + 4).Take(4));
        Assert.Equal([0f, 0f, 0f, 0f, 1f, 1f, 1f, 1f], network.State);
        Assert.Equal(8, norm.ParameterCount);
        Assert.Equal(8, norm.StateCount);
    }

    [Fact]
    public void TrainingStep_MovesRunningStatisticsByMomentumTowardsTheBatchMeanAndUnbiasedVariance()
    {
        Network network = Build().Network;
        const int rows = 5;
        float[] x = TestData.Uniform(rows * 6, seed: 21, low: 0f, high: 1f);
        var workspace = new TrainingWorkspace(network, rows);
        x.CopyTo(workspace.Input, 0);
        Backpropagation.Run(network, workspace, rows, new LossFunction(Loss.BinaryCrossEntropy, network.OutputActivation));

        double[,] z = PreActivations(network, x, rows);
        for (int j = 0; j < 4; j++)
        {
            double mean = Enumerable.Range(0, rows).Average(r => z[r, j]);
            double unbiased = Enumerable.Range(0, rows).Sum(r => (z[r, j] - mean) * (z[r, j] - mean)) / (rows - 1);
            Assert.Equal(0.9 * 0 + (0.1 * mean), workspace.NextState[j], 1e-6);
            Assert.Equal(0.9 * 1 + (0.1 * unbiased), workspace.NextState[4 + j], 1e-6);
        }

        // The forward pass writes the next state; the model's own is untouched until the step is taken.
        Assert.Equal([0f, 0f, 0f, 0f, 1f, 1f, 1f, 1f], network.State);
    }

    [Fact]
    public void Fit_TakesTheStepsRunningStatistics_WhichTheOptimizerNeverSteps()
    {
        AutoencoderModel model = Build();
        Network network = model.Network;
        float[] x = TestData.Uniform(8 * 6, seed: 22, low: 0f, high: 1f);
        double[,] z = PreActivations(network, x, 8);

        // One epoch of one batch: its forward pass, with the initial weights, moves the running statistics once.
        model.Fit(Matrix<float>.Build.Dense(8, 6, (r, c) => x[(r * 6) + c]), new TrainingOptions
        {
            Epochs = 1,
            BatchSize = 8,
            Shuffle = false,
            Loss = Loss.BinaryCrossEntropy,
        });

        for (int j = 0; j < 4; j++)
        {
            double mean = Enumerable.Range(0, 8).Average(r => z[r, j]);
            double unbiased = Enumerable.Range(0, 8).Sum(r => (z[r, j] - mean) * (z[r, j] - mean)) / 7;
            Assert.Equal(0.1 * mean, network.State[j], 1e-6);
            Assert.Equal(0.9 + (0.1 * unbiased), network.State[4 + j], 1e-6);
        }
    }

    [Fact]
    public void Inference_UsesTheRunningStatistics_SoEachRowIsEncodedAsIfAlone()
    {
        AutoencoderModel model = Build();
        Matrix<float> x = TestData.Matrix(64, 6, seed: 23);
        model.Fit(x, new TrainingOptions { Epochs = 3, BatchSize = 16, Loss = Loss.BinaryCrossEntropy });
        Network network = model.Network;
        BatchNormLayer norm = Norm(network);

        // By hand from the running statistics: relu(γ·(z − mean)/√(var + ε) + β), then the latent layer.
        float[] row = RowMajor.ToArray(x.SubMatrix(5, 1, 0, 6));
        double[,] z = PreActivations(network, row, 1);
        var hidden = new double[4];
        for (int j = 0; j < 4; j++)
        {
            double gamma = network.Parameters[norm.ParameterOffset + j], beta = network.Parameters[norm.ParameterOffset + 4 + j];
            double normalized = (z[0, j] - network.State[j]) / Math.Sqrt(network.State[4 + j] + 1e-5);
            hidden[j] = Math.Max(0, (gamma * normalized) + beta);
        }

        DenseLayer latent = network.DenseLayers[1];
        var expected = new double[2];
        for (int j = 0; j < 2; j++)
        {
            double sum = network.Parameters[latent.BiasOffset + j];
            for (int i = 0; i < 4; i++)
            {
                sum += hidden[i] * network.Parameters[latent.WeightOffset + (i * 2) + j];
            }

            expected[j] = Math.Tanh(sum);
        }

        var code = new float[2];
        model.Encode(row, code);
        Assert.Equal(expected[0], code[0], 1e-5);
        Assert.Equal(expected[1], code[1], 1e-5);
        Assert.Equal(code, model.Encode(x).Row(5).ToArray());
    }

    [Fact]
    public void Fit_ABatchOfOneRow_IsRefusedBeforeTraining()
    {
        AutoencoderModel model = Build();
        float[] before = model.Network.Parameters.ToArray();
        var e = Assert.Throws<ArgumentException>(() => model.Fit(TestData.Matrix(9, 6, seed: 24), new TrainingOptions { Epochs = 1, BatchSize = 8 }));
        Assert.Contains("Layer encoder.0.batch_norm (batch norm) needs at least 2 rows in every batch", e.Message);
        Assert.Contains("with 9 training rows and batch size 8 a batch would have 1", e.Message);
        Assert.Equal(before, model.Network.Parameters);

        // Ten rows in batches of eight leave two: fine.
        model.Fit(TestData.Matrix(10, 6, seed: 24), new TrainingOptions { Epochs = 1, BatchSize = 8 });
    }

    [Fact]
    public void Build_ContractivePenaltyOnABatchNormalizedLatent_IsRefused()
    {
        var builder = new AutoencoderBuilder(6).WithLatent(3, Activation.Sigmoid, new LayerOptions { BatchNormalization = true }).WithContractivePenalty(0.1);
        var e = Assert.Throws<InvalidOperationException>(builder.Build);
        Assert.Contains("batch normalization", e.Message);
    }

    [Fact]
    public void Mnist_BatchNormalizedModel_LearnsToReconstruct()
    {
        LabeledImages mnist = IdxReader.LoadFolder(TestData.MnistFolder, "t10k");
        Matrix<float> train = mnist.Images.SubMatrix(0, 6000, 0, 784), heldOut = mnist.Images.SubMatrix(6000, 2000, 0, 784);
        AutoencoderModel model = new AutoencoderBuilder(784)
            .AddEncoderLayer(128, Activation.Relu, new LayerOptions { BatchNormalization = true })
            .WithLatent(32, Activation.Relu, new LayerOptions { BatchNormalization = true })
            .AddDecoderLayer(128, Activation.Relu, new LayerOptions { BatchNormalization = true })
            .WithOutputActivation(Activation.Sigmoid)
            .WithSeed(4)
            .Build();
        double before = model.Evaluate(heldOut, Loss.BinaryCrossEntropy);
        TrainingHistory history = model.Fit(train, new TrainingOptions { Epochs = 3, BatchSize = 128, Loss = Loss.BinaryCrossEntropy, ValidationData = heldOut });
        double after = model.Evaluate(heldOut, Loss.BinaryCrossEntropy);
        output.WriteLine($"held-out BCE {before:F4} before, {after:F4} after; validation per epoch {string.Join(", ", history.ValidationLoss.Select(v => v.ToString("F4")))}");

        Assert.True(after < 0.5 * before, $"held-out BCE {after:F4} is not below half of {before:F4}");
        Assert.True(history.ValidationLoss[^1] < history.ValidationLoss[0]);
        Assert.Equal(after, history.ValidationLoss[^1], 12);
    }

    [Fact]
    public void Layers_DescribeABatchNormalizedLayerWithItsActivation()
    {
        AutoencoderModel model = Build();
        Assert.Equal(Activation.Relu, model.Layers[0].Activation);
        Assert.True(model.Layers[0].Options.BatchNormalization);
        Assert.Equal(Activation.Identity, model.Network.DenseLayers[0].Activation); // the dense step applies none; the activation step does
    }

    [Fact]
    public void EarlyStopping_RestoresTheBestEpochsRunningStatistics_NotTheLastOnes()
    {
        AutoencoderModel model = Build();
        Matrix<float> x = TestData.Matrix(96, 6, seed: 26);
        float[]? bestState = null;
        var callback = new AfterFirstEpoch(model, state => bestState = state);
        TrainingHistory history = model.Fit(x, new TrainingOptions
        {
            Epochs = 4,
            BatchSize = 16,
            Loss = Loss.BinaryCrossEntropy,
            ValidationData = x,
            EarlyStopping = new EarlyStopping { Patience = 10 },
            Callbacks = [callback],
        });

        // A learning rate of 10 after the first epoch makes every later epoch worse.
        Assert.Equal(1, history.BestEpoch);
        Assert.NotNull(bestState);
        Assert.NotEqual(bestState, callback.LastState);
        Assert.Equal(bestState, model.Network.State);
    }

    /// <summary>Keeps the state at the end of epoch 1 and then raises the learning rate so far that training only gets worse.</summary>
    private sealed class AfterFirstEpoch(AutoencoderModel model, Action<float[]> first) : ITrainingCallback
    {
        public float[]? LastState { get; private set; }

        public void OnEpochEnd(EpochResult epoch, TrainingControl control)
        {
            LastState = model.Network.State.ToArray();
            if (epoch.Epoch == 1)
            {
                first(LastState);
                control.LearningRate = 10;
            }
        }
    }
}

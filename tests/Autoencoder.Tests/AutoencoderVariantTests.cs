using Autoencoder.Training;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests;

/// <summary>The public face of the variants: builder rules, inference without training-time noise, features, variational methods.</summary>
public class AutoencoderVariantTests
{
    [Fact]
    public void Build_RejectsCombinationsThatDoNotFit_SayingWhy()
    {
        Assert.Contains("mirrored decoder", Assert.Throws<InvalidOperationException>(() =>
            new AutoencoderBuilder(8).WithLatent(2).AddDecoderLayer(4).WithTiedWeights().Build()).Message);
        Assert.Contains("tied weights", Assert.Throws<InvalidOperationException>(() =>
            new AutoencoderBuilder(8).WithVariationalLatent(2).WithTiedWeights().Build()).Message);
        Assert.Contains("sparsity", Assert.Throws<InvalidOperationException>(() =>
            new AutoencoderBuilder(8).WithVariationalLatent(2).WithSparsity(0.1, 1).Build()).Message);
        Assert.Contains("got Relu", Assert.Throws<InvalidOperationException>(() =>
            new AutoencoderBuilder(8).WithLatent(2, Activation.Relu).WithSparsity(0.1, 1).Build()).Message);
        Assert.Contains("got 1 hidden encoder layer", Assert.Throws<InvalidOperationException>(() =>
            new AutoencoderBuilder(8).AddEncoderLayer(4).WithLatent(2).WithContractivePenalty(0.1).Build()).Message);
    }

    [Fact]
    public void Builder_RejectsOutOfRangeSettings_NamingThem()
    {
        var builder = new AutoencoderBuilder(8);
        Assert.Equal("options.Dropout", Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddEncoderLayer(4, Activation.Relu, new LayerOptions { Dropout = 1 })).ParamName);
        Assert.Equal("options.ActivityL1", Assert.Throws<ArgumentOutOfRangeException>(() => builder.WithLatent(4, Activation.Relu, new LayerOptions { ActivityL1 = -1 })).ParamName);
        Assert.Equal("options.ActivityL2", Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddDecoderLayer(4, Activation.Relu, new LayerOptions { ActivityL2 = double.NaN })).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentOutOfRangeException>(() => builder.WithSparsity(1, 1)).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentOutOfRangeException>(() => builder.WithSparsity(0.1, 0)).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentOutOfRangeException>(() => builder.WithContractivePenalty(-1)).ParamName);
        Assert.Equal("units", Assert.Throws<ArgumentOutOfRangeException>(() => builder.WithVariationalLatent(0)).ParamName);
    }

    [Fact]
    public void Dropout_IsOffAtInference_AndInValidation()
    {
        AutoencoderModel Build(double dropout) => new AutoencoderBuilder(12)
            .AddEncoderLayer(8, Activation.Tanh, new LayerOptions { Dropout = dropout })
            .WithLatent(3)
            .WithSeed(4)
            .Build();

        Matrix<float> x = TestData.Matrix(20, 12, seed: 1);
        AutoencoderModel withDropout = Build(0.5), plain = Build(0);
        Assert.Equal(plain.Network.Parameters, withDropout.Network.Parameters);
        Assert.Equal(plain.Reconstruct(x), withDropout.Reconstruct(x));
        Assert.Equal(withDropout.Reconstruct(x), withDropout.Reconstruct(x));
        Assert.Equal(0.5, withDropout.Layers[0].Options.Dropout);

        TrainingHistory history = withDropout.Fit(x, new TrainingOptions { Epochs = 2, ValidationData = x, Corruption = new GaussianNoise(0.5) });
        Assert.Equal(withDropout.Evaluate(x, Loss.MeanSquaredError), history.Epochs[^1].ValidationLoss!.Value, 1e-9);
    }

    [Fact]
    public void Features_GiveEachLayersOutputs()
    {
        AutoencoderModel model = new AutoencoderBuilder(6).AddEncoderLayer(5, Activation.Tanh).WithLatent(2).WithOutputActivation(Activation.Sigmoid).WithSeed(3).Build();
        Matrix<float> x = TestData.Matrix(7, 6, seed: 2);
        Assert.Equal(model.Encode(x), model.Features(x, 1));
        Assert.Equal(model.Reconstruct(x), model.Features(x, 3));

        // The hidden layer by hand: tanh(x·W + b).
        Matrix<float> hidden = model.Features(x, 0);
        float[] p = model.Network.Parameters;
        for (int r = 0; r < 7; r++)
        {
            for (int j = 0; j < 5; j++)
            {
                double z = p[30 + j];
                for (int i = 0; i < 6; i++)
                {
                    z += x[r, i] * p[(i * 5) + j];
                }

                Assert.Equal(Math.Tanh(z), hidden[r, j], 1e-5);
            }
        }

        Assert.Equal("layer", Assert.Throws<ArgumentOutOfRangeException>(() => model.Features(x, 4)).ParamName);
        Assert.Equal("layer", Assert.Throws<ArgumentOutOfRangeException>(() => model.Features(x, -1)).ParamName);
    }

    [Fact]
    public void Variational_EncodeGivesTheMean_FeaturesGiveMeanAndLogVariance_ReconstructDecodesTheMean()
    {
        AutoencoderModel model = new AutoencoderBuilder(6).AddEncoderLayer(5).WithVariationalLatent(2).WithOutputActivation(Activation.Sigmoid).WithSeed(8).Build();
        Assert.True(model.IsVariational);
        Assert.Equal(2, model.LatentSize);
        Assert.Equal(4, model.Layers[1].Units);
        Assert.Equal(2, model.Layers[2].Inputs);
        TestData.Uniform(4, seed: 9, -0.5f, 0.5f).CopyTo(model.Network.Parameters, model.Network.DenseLayers[1].BiasOffset);

        Matrix<float> x = TestData.Matrix(9, 6, seed: 2);
        var (mean, logVariance) = model.EncodeDistribution(x);
        Matrix<float> head = model.Features(x, 1);
        Assert.Equal(head.SubMatrix(0, 9, 0, 2), mean);
        Assert.Equal(head.SubMatrix(0, 9, 2, 2), logVariance);
        Assert.NotEqual(mean, logVariance);
        Assert.Equal(mean, model.Encode(x));
        Assert.Equal(model.Decode(mean), model.Reconstruct(x));

        float[] code = new float[2], reconstruction = new float[6];
        model.Encode(x.Row(4).ToArray(), code);
        Assert.Equal(mean.Row(4).ToArray(), code);
        model.Reconstruct(x.Row(4).ToArray(), reconstruction);
        Assert.Equal(model.Reconstruct(x).Row(4).ToArray(), reconstruction);
    }

    [Theory]
    [InlineData("BinaryCrossEntropy")]
    [InlineData("MeanSquaredError")]
    public void ReconstructionLogLikelihood_WithANarrowPosterior_IsTheNegativeLossOfTheMeanReconstruction(string lossName)
    {
        Loss loss = Losses.LossNames.Get(lossName);
        AutoencoderModel model = new AutoencoderBuilder(6).AddEncoderLayer(5).WithVariationalLatent(2).WithOutputActivation(Activation.Sigmoid).WithSeed(8).Build();
        // Log-variance head: weights 0, bias −40, so σ = e^−20 and every draw is the mean.
        var head = model.Network.DenseLayers[1];
        float[] p = model.Network.Parameters;
        for (int i = 0; i < head.Inputs; i++)
        {
            p[head.WeightOffset + (i * 4) + 2] = 0;
            p[head.WeightOffset + (i * 4) + 3] = 0;
        }

        p[head.BiasOffset + 2] = -40;
        p[head.BiasOffset + 3] = -40;

        Matrix<float> x = TestData.Matrix(5, 6, seed: 2);
        Vector<float> logLikelihood = model.ReconstructionLogLikelihood(x, loss, samples: 3, seed: 1);
        Matrix<float> mean = model.Reconstruct(x);
        for (int r = 0; r < 5; r++)
        {
            double expected = 0;
            for (int c = 0; c < 6; c++)
            {
                expected -= loss == Loss.BinaryCrossEntropy
                    ? Reference.Bce(mean[r, c], x[r, c])
                    : (0.5 * (mean[r, c] - x[r, c]) * (mean[r, c] - x[r, c])) + (0.5 * Math.Log(2 * Math.PI));
            }

            Assert.Equal(expected, logLikelihood[r], 1e-4);
        }

        // The ELBO subtracts the KL: with σ² = e^−40 and the means, KL = Σ −½(1 − 40 − μ² − e^−40) per row.
        var (mu, _) = model.EncodeDistribution(x);
        double kl = Enumerable.Range(0, 5).Average(r => Enumerable.Range(0, 2).Sum(j => -0.5 * (1 - 40 - (mu[r, j] * mu[r, j]) - Math.Exp(-40))));
        Assert.Equal(logLikelihood.Average() - kl, model.Elbo(x, loss, seed: 1), 1e-3);
    }

    [Fact]
    public void VariationalMethods_OnAPlainModel_ThrowSayingWhatIsNeeded()
    {
        AutoencoderModel model = new AutoencoderBuilder(4).WithLatent(2).Build();
        Matrix<float> x = TestData.Matrix(3, 4, seed: 1);
        Assert.Contains("WithVariationalLatent", Assert.Throws<InvalidOperationException>(() => model.Generate(3)).Message);
        Assert.Contains("EncodeDistribution", Assert.Throws<InvalidOperationException>(() => model.EncodeDistribution(x)).Message);
        Assert.Contains("Elbo", Assert.Throws<InvalidOperationException>(() => model.Elbo(x, Loss.MeanSquaredError)).Message);
        Assert.Contains("ReconstructionLogLikelihood", Assert.Throws<InvalidOperationException>(() => model.ReconstructionLogLikelihood(x, Loss.MeanSquaredError)).Message);
    }

    [Fact]
    public void Sparsity_PullsTheLatentUnitsMeanActivationTowardsTheTarget()
    {
        Matrix<float> x = TestData.LowRank(400, 30, rank: 6, seed: 3);
        double MeanActivation(bool sparse)
        {
            var builder = new AutoencoderBuilder(30).WithLatent(16, Activation.Sigmoid).WithSeed(2);
            AutoencoderModel model = (sparse ? builder.WithSparsity(0.05, 1) : builder).Build();
            model.Fit(x, new TrainingOptions { Epochs = 30, Optimizer = new AdamOptions { LearningRate = 0.01 } });
            return model.Encode(x).Enumerate().Average();
        }

        double plain = MeanActivation(false), sparse = MeanActivation(true);
        Assert.True(sparse < 0.15 && plain > 2 * sparse, $"mean latent activation: {sparse:F3} with the penalty (target 0.05), {plain:F3} without");
    }

    [Fact]
    public void TiedWeights_StayTiedThroughTraining_AndLearn()
    {
        Matrix<float> x = TestData.LowRank(200, 20, rank: 3, seed: 5);
        AutoencoderModel model = new AutoencoderBuilder(20).AddEncoderLayer(10, Activation.Tanh).WithLatent(3).WithTiedWeights().WithSeed(1).Build();
        TrainingHistory history = model.Fit(x, new TrainingOptions { Epochs = 40, Optimizer = new AdamOptions { LearningRate = 0.01 } });
        Assert.True(history.TrainLoss[^1] < 0.3 * history.TrainLoss[0], $"loss {history.TrainLoss[0]:F4} → {history.TrainLoss[^1]:F4}");
    }

    [Fact]
    public void KlWarmUp_RampsTheWeightLinearly()
    {
        // Epoch e uses KlWeight · min(1, e / (KlWarmUpEpochs + 1)): visible as a rising KL share of the loss.
        Matrix<float> x = TestData.Matrix(64, 8, seed: 1);
        AutoencoderModel model = new AutoencoderBuilder(8).WithVariationalLatent(2).WithSeed(3).Build();
        var weights = new List<double>();
        model.Fit(x, new TrainingOptions { Epochs = 5, KlWeight = 2, KlWarmUpEpochs = 3, Callbacks = [new KlProbe(weights)] });
        Assert.Equal([0.5, 1.0, 1.5, 2.0, 2.0], weights);
    }

    /// <summary>Reads back the KL weight each epoch trained with.</summary>
    private sealed class KlProbe(List<double> weights) : ITrainingCallback
    {
        public void OnEpochEnd(EpochResult epoch, TrainingControl control) => weights.Add(control.KlWeight);
    }
}

/// <summary>Anomaly scores by a variational model's reconstruction probability.</summary>
public class ReconstructionProbabilityScoreTests
{
    private static AutoencoderModel Vae() =>
        new AutoencoderBuilder(10).AddEncoderLayer(6, Activation.Tanh).WithVariationalLatent(3).WithOutputActivation(Activation.Sigmoid).WithSeed(2).Build();

    [Theory]
    [InlineData(AnomalyScore.BernoulliReconstructionProbability)]
    [InlineData(AnomalyScore.GaussianReconstructionProbability)]
    public void Score_OfARow_IsTheSameAloneOrInAnyBatch_AndContributionsSumToIt(AnomalyScore kind)
    {
        var detector = new AnomalyDetector(Vae(), kind);
        Matrix<float> x = TestData.Matrix(30, 10, seed: 4);
        Vector<float> all = detector.Scores(x);
        Vector<float> reversed = detector.Scores(Matrix<float>.Build.DenseOfRowVectors(Enumerable.Range(0, 30).Reverse().Select(x.Row)));
        for (int r = 0; r < 30; r++)
        {
            float alone = detector.Score(x.Row(r).AsArray());
            Assert.Equal(BitConverter.SingleToInt32Bits(all[r]), BitConverter.SingleToInt32Bits(alone));
            Assert.Equal(BitConverter.SingleToInt32Bits(all[r]), BitConverter.SingleToInt32Bits(reversed[29 - r]));
            var shares = new float[10];
            detector.Contributions(x.Row(r).AsArray(), shares);
            Assert.Equal(all[r], shares.Sum(), 1e-4);
        }

        Assert.True(all.Minimum() > 0);
    }

    [Fact]
    public void Score_WithANarrowPosterior_IsTheNegativeLogLikelihoodOfTheMeanReconstruction()
    {
        AutoencoderModel model = Vae();
        var head = model.Network.DenseLayers[1];
        for (int i = 0; i < head.Inputs; i++)
        {
            for (int j = 3; j < 6; j++)
            {
                model.Network.Parameters[head.WeightOffset + (i * 6) + j] = 0;
            }
        }

        for (int j = 3; j < 6; j++)
        {
            model.Network.Parameters[head.BiasOffset + j] = -40;
        }

        Matrix<float> x = TestData.Matrix(4, 10, seed: 5);
        Vector<float> bernoulli = new AnomalyDetector(model, AnomalyScore.BernoulliReconstructionProbability).Scores(x);
        Vector<float> gaussian = new AnomalyDetector(model, AnomalyScore.GaussianReconstructionProbability).Scores(x);
        Vector<float> bce = model.ReconstructionErrors(x, Loss.BinaryCrossEntropy);
        Vector<float> mse = model.ReconstructionErrors(x, Loss.MeanSquaredError);
        for (int r = 0; r < 4; r++)
        {
            Assert.Equal(10 * bce[r], bernoulli[r], 1e-4);
            Assert.Equal((5 * mse[r]) + (5 * Math.Log(2 * Math.PI)), gaussian[r], 1e-4);
        }
    }

    [Fact]
    public void ReconstructionProbability_OfAPlainModel_IsRefused()
    {
        AutoencoderModel plain = new AutoencoderBuilder(4).WithLatent(2).Build();
        var error = Assert.Throws<ArgumentException>(() => new AnomalyDetector(plain, AnomalyScore.GaussianReconstructionProbability));
        Assert.Equal("score", error.ParamName);
        Assert.Contains("variational", error.Message);
    }
}

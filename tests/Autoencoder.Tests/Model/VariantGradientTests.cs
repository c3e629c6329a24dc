using Autoencoder.Layers;
using Autoencoder.Losses;
using Autoencoder.Model;
using Autoencoder.Training;

namespace Autoencoder.Tests.Model;

/// <summary>
/// Every variant's training objective (dropout masks, activity penalties, KL sparsity, tied
/// weights, the variational KL and reparameterisation, the contractive penalty, input noise):
/// float32 backpropagation through the real kernels against central finite differences of the
/// independent double reference <see cref="VariantReference"/>, with the same random draws.
/// </summary>
public class VariantGradientTests
{
    /// <summary>As in <see cref="NetworkGradientTests"/>: float rounding is ~1e-6 relative, a wrong term is O(1).</summary>
    private const double RelativeTolerance = 2e-3;

    private const double Step = 1e-6;

    private static readonly Dictionary<string, (Func<AutoencoderBuilder> Build, Loss Loss, InputCorruption? Noise, double KlWeight)> Cases = new()
    {
        ["dropout"] = (() => new AutoencoderBuilder(6)
            .AddEncoderLayer(5, Activation.Tanh, new LayerOptions { Dropout = 0.3 })
            .WithLatent(3, Activation.Identity, new LayerOptions { Dropout = 0.2 })
            .AddDecoderLayer(5, Activation.Sigmoid, new LayerOptions { Dropout = 0.5 }), Loss.MeanSquaredError, null, 1),
        ["activity penalties"] = (() => new AutoencoderBuilder(5)
            .AddEncoderLayer(4, Activation.Tanh, new LayerOptions { ActivityL1 = 0.05, ActivityL2 = 0.1 })
            .WithLatent(3, Activation.Elu, new LayerOptions { ActivityL1 = 0.02 })
            .AddDecoderLayer(4, Activation.Softplus, new LayerOptions { ActivityL2 = 0.3 })
            .WithOutputActivation(Activation.Sigmoid), Loss.BinaryCrossEntropy, null, 1),
        ["KL sparsity"] = (() => new AutoencoderBuilder(6)
            .AddEncoderLayer(5, Activation.Tanh)
            .WithLatent(4, Activation.Sigmoid)
            .WithSparsity(0.1, 0.7)
            .WithOutputActivation(Activation.Sigmoid), Loss.BinaryCrossEntropy, null, 1),
        ["tied weights"] = (() => new AutoencoderBuilder(6)
            .AddEncoderLayer(5, Activation.Tanh)
            .AddEncoderLayer(4, Activation.Gelu)
            .WithLatent(2, Activation.Identity)
            .WithTiedWeights()
            .WithOutputActivation(Activation.Sigmoid), Loss.MeanSquaredError, null, 1),
        ["tied weights, dropout and BCE"] = (() => new AutoencoderBuilder(5)
            .AddEncoderLayer(4, Activation.Softplus, new LayerOptions { Dropout = 0.25 })
            .WithLatent(3, Activation.Tanh)
            .WithTiedWeights()
            .WithOutputActivation(Activation.Sigmoid), Loss.BinaryCrossEntropy, null, 1),
        ["variational, BCE"] = (() => new AutoencoderBuilder(6)
            .AddEncoderLayer(5, Activation.Tanh)
            .WithVariationalLatent(2)
            .WithOutputActivation(Activation.Sigmoid), Loss.BinaryCrossEntropy, null, 0.7),
        ["variational, Gaussian, no hidden layer"] = (() => new AutoencoderBuilder(5)
            .WithVariationalLatent(3)
            .AddDecoderLayer(4, Activation.Elu), Loss.MeanSquaredError, null, 1),
        ["contractive sigmoid"] = (() => new AutoencoderBuilder(6)
            .WithLatent(4, Activation.Sigmoid)
            .WithContractivePenalty(0.3)
            .WithOutputActivation(Activation.Sigmoid), Loss.BinaryCrossEntropy, null, 1),
        ["contractive tanh with tied weights"] = (() => new AutoencoderBuilder(5)
            .WithLatent(3, Activation.Tanh)
            .WithContractivePenalty(0.5)
            .WithTiedWeights(), Loss.MeanSquaredError, null, 1),
        ["contractive gelu"] = (() => new AutoencoderBuilder(5)
            .WithLatent(3, Activation.Gelu)
            .WithContractivePenalty(0.4), Loss.MeanSquaredError, null, 1),
        ["contractive softplus"] = (() => new AutoencoderBuilder(4)
            .WithLatent(3, Activation.Softplus)
            .WithContractivePenalty(0.4), Loss.MeanSquaredError, null, 1),
        ["contractive elu"] = (() => new AutoencoderBuilder(4)
            .WithLatent(3, Activation.Elu)
            .WithContractivePenalty(0.4), Loss.MeanSquaredError, null, 1),
        ["gaussian noise and dropout"] = (() => new AutoencoderBuilder(6)
            .AddEncoderLayer(4, Activation.Tanh, new LayerOptions { Dropout = 0.4 })
            .WithLatent(2)
            .WithOutputActivation(Activation.Sigmoid), Loss.BinaryCrossEntropy, new GaussianNoise(0.3), 1),
        ["batch normalization with dropout and activity penalty"] = (() => new AutoencoderBuilder(6)
            .AddEncoderLayer(5, Activation.Tanh, new LayerOptions { BatchNormalization = true, Dropout = 0.2 })
            .WithLatent(3, Activation.Sigmoid, new LayerOptions { BatchNormalization = true, ActivityL1 = 0.05 })
            .AddDecoderLayer(5, Activation.Elu)
            .WithOutputActivation(Activation.Sigmoid), Loss.BinaryCrossEntropy, null, 1),
        ["batch normalization, identity latent, MSE"] = (() => new AutoencoderBuilder(5)
            .AddEncoderLayer(4, Activation.Softplus, new LayerOptions { BatchNormalization = true })
            .WithLatent(3, Activation.Identity, new LayerOptions { BatchNormalization = true })
            .AddDecoderLayer(4, Activation.Gelu, new LayerOptions { BatchNormalization = true }), Loss.MeanSquaredError, null, 1),
        ["batch normalization with sparsity and tied weights"] = (() => new AutoencoderBuilder(6)
            .AddEncoderLayer(4, Activation.Tanh, new LayerOptions { BatchNormalization = true })
            .WithLatent(3, Activation.Sigmoid, new LayerOptions { BatchNormalization = true })
            .WithSparsity(0.2, 0.5)
            .WithTiedWeights()
            .WithOutputActivation(Activation.Sigmoid), Loss.BinaryCrossEntropy, null, 1),
        ["masking noise"] = (() => new AutoencoderBuilder(6)
            .WithLatent(3, Activation.Tanh), Loss.MeanSquaredError, new MaskingNoise(0.4), 1),
        ["salt and pepper noise"] = (() => new AutoencoderBuilder(6)
            .WithLatent(3, Activation.Softplus)
            .WithOutputActivation(Activation.Sigmoid), Loss.BinaryCrossEntropy, new SaltAndPepperNoise(0.4), 1),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Gradients_MatchFiniteDifferences(string name)
    {
        var (build, loss, noise, klWeight) = Cases[name];
        AutoencoderModel model = build().WithSeed(11).Build();
        Network network = model.Network;
        foreach (var layer in network.DenseLayers)
        {
            TestData.Uniform(layer.Outputs, 100 + layer.BiasOffset, -0.3f, 0.3f).CopyTo(network.Parameters, layer.BiasOffset);
        }

        // Scales and shifts away from their initial 1 and 0, so a wrong term in either shows.
        foreach (var norm in network.Layers.OfType<BatchNormLayer>())
        {
            TestData.Uniform(norm.Features, 200 + norm.ParameterOffset, 0.5f, 1.5f).CopyTo(network.Parameters, norm.ParameterOffset);
            TestData.Uniform(norm.Features, 300 + norm.ParameterOffset, -0.3f, 0.3f).CopyTo(network.Parameters, norm.ParameterOffset + norm.Features);
        }

        const int rows = 5;
        float[] x = TestData.Uniform(rows * model.InputSize, seed: 12, low: 0.05f, high: 0.95f);
        var workspace = new TrainingWorkspace(network, rows, noise is not null);
        x.CopyTo(workspace.Input, 0);
        var lossFunction = new LossFunction(loss, network.OutputActivation);
        var random = new Pcg32(13, 5);
        double floatLoss = Backpropagation.Run(network, workspace, rows, lossFunction, new StepSettings(noise, klWeight), ref random);

        // The draws the float pass made, fixed for the reference.
        double[] clean = x.Select(v => (double)v).ToArray();
        double[] input = noise is null ? clean : workspace.CorruptedInput.Select(v => (double)v).ToArray();
        if (noise is not null)
        {
            Assert.False(workspace.CorruptedInput.SequenceEqual(x), "the corruption changed nothing");
        }

        // Each dense layer's dropout mask is what the dropout step after it saved; ε is what the head saved after its output.
        float[][] masks = network.DenseLayers
            .Select((_, i) => network.LayerEnds[i] < network.Layers.Count && network.Layers[network.LayerEnds[i]] is DropoutLayer ? workspace.Saved[network.LayerEnds[i]] : [])
            .ToArray();
        int headIndex = network.Layers.ToList().FindIndex(l => l is GaussianHeadLayer);
        float[] epsilon = headIndex < 0 ? [] : workspace.Saved[headIndex].AsSpan(rows * 2 * network.LatentSize, rows * network.LatentSize).ToArray();
        double[] theta = network.Parameters.Select(v => (double)v).ToArray();
        double Objective() => VariantReference.Objective(network, theta, clean, input, rows, loss, masks, epsilon, klWeight);

        double referenceLoss = Objective();
        Assert.True(Math.Abs(floatLoss - referenceLoss) <= 1e-5 * Math.Abs(referenceLoss), $"{name}: loss: expected {referenceLoss:R}, got {floatLoss:R}");

        double gradientScale = workspace.Gradients.Max(g => Math.Abs(g));
        Assert.True(gradientScale > 0);
        for (int i = 0; i < theta.Length; i++)
        {
            double saved = theta[i];
            theta[i] = saved + Step;
            double plus = Objective();
            theta[i] = saved - Step;
            double minus = Objective();
            theta[i] = saved;
            double expected = (plus - minus) / (2 * Step);
            double actual = workspace.Gradients[i];
            Assert.True(
                Math.Abs(actual - expected) <= RelativeTolerance * Math.Max(Math.Abs(expected), 1e-2 * gradientScale),
                $"{name}: parameter {i} of {theta.Length}: expected {expected:E6}, got {actual:E6}");
        }
    }

    [Fact]
    public void Dropout_MaskKeepsTheExpectedFractionAndScalesByTheKeepProbability()
    {
        var random = new Pcg32(1, 1);
        float[] a = Enumerable.Repeat(2f, 100_000).ToArray();
        var mask = new float[a.Length];
        var dropped = new float[a.Length];
        var layer = new DropoutLayer("dropout", LayerShape.Vector(a.Length), 0.3);
        var pass = new ForwardPass(1, [], [], [], [], ref random);
        layer.Forward(ref pass, a, dropped, mask);
        double zeroFraction = mask.Count(m => m == 0) / (double)mask.Length;
        Assert.InRange(zeroFraction, 0.29, 0.31);
        Assert.All(mask, m => Assert.True(m == 0 || Math.Abs(m - (1 / 0.7f)) < 1e-6));
        Assert.InRange(dropped.Average(), 1.98, 2.02); // inverted dropout keeps the mean
    }

    [Fact]
    public void TiedWeights_HalveTheWeightsAndShareThem()
    {
        AutoencoderModel untied = new AutoencoderBuilder(10).AddEncoderLayer(6).WithLatent(3).Build();
        AutoencoderModel tied = new AutoencoderBuilder(10).AddEncoderLayer(6).WithLatent(3).WithTiedWeights().Build();
        Assert.Equal((10 * 6) + 6 + (6 * 3) + 3 + (3 * 6) + 6 + (6 * 10) + 10, untied.ParameterCount);
        Assert.Equal((10 * 6) + 6 + (6 * 3) + 3 + 6 + 10, tied.ParameterCount);
        Assert.Equal([false, false, true, true], tied.Layers.Select(l => l.TransposedWeights));
        var layers = tied.Network.DenseLayers;
        Assert.Equal(layers[0].WeightOffset, layers[3].WeightOffset);
        Assert.Equal(layers[1].WeightOffset, layers[2].WeightOffset);
    }
}

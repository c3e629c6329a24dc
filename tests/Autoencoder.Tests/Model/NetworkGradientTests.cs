using Autoencoder.Losses;
using Autoencoder.Training;

namespace Autoencoder.Tests.Model;

/// <summary>
/// The whole network's parameter gradient (float32 backpropagation through the real kernels)
/// against central finite differences of an independent double-precision forward pass.
/// </summary>
public class NetworkGradientTests
{
    /// <summary>
    /// Relative agreement expected between float32 backpropagation and double finite differences:
    /// the analytic side carries float rounding of a few sums (~1e-6 relative), so 1e-3 leaves
    /// ample margin while any wrong term (a missed transpose, a lost factor) is off by O(1).
    /// </summary>
    private const double RelativeTolerance = 1e-3;

    /// <summary>Step of the central difference in double; small enough not to straddle ReLU kinks in practice.</summary>
    private const double Step = 1e-6;

    public static TheoryData<string, Loss> Architectures() => new()
    {
        { "5 | 4:tanh, 2:identity | 4:tanh, 5:sigmoid", Loss.BinaryCrossEntropy },
        { "6 | 3:relu | 6:identity", Loss.MeanSquaredError },
        { "7 | 5:gelu, 4:elu, 3:softplus | 4:leaky_relu, 5:sigmoid, 7:sigmoid", Loss.MeanSquaredError },
        { "4 | 3:sigmoid | 4:softplus", Loss.BinaryCrossEntropy },
        { "8 | 6:elu, 2:tanh | 6:gelu, 8:tanh", Loss.MeanSquaredError },
        { "6 | 4:tanh, 3:identity | 6:identity", Loss.MeanAbsoluteError },
        { "5 | 4:elu, 2:identity | 4:tanh, 5:identity", Loss.Huber(0.1) },
        { "5 | 3:softplus | 5:sigmoid", Loss.Huber(1) },
    };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Gradients_MatchFiniteDifferences(string architecture, Loss loss)
    {
        AutoencoderModel model = Build(architecture, seed: 7);
        const int rows = 5;
        float[] x = TestData.Uniform(rows * model.InputSize, seed: 8, low: 0.05f, high: 0.95f);

        var workspace = new TrainingWorkspace(model.Network, rows);
        x.CopyTo(workspace.Input, 0);
        var lossFunction = new LossFunction(loss, model.Network.OutputActivation);
        double floatLoss = Backpropagation.Run(model.Network, workspace, rows, lossFunction);

        double[] theta = model.Network.Parameters.Select(v => (double)v).ToArray();
        double[] xd = x.Select(v => (double)v).ToArray();
        double referenceLoss = Reference.NetworkLoss(model.Layers, theta, xd, rows, loss);
        Assert.True(Math.Abs(floatLoss - referenceLoss) <= 1e-5 * Math.Abs(referenceLoss), $"loss: expected {referenceLoss:R}, got {floatLoss:R}");

        double gradientScale = workspace.Gradients.Max(g => Math.Abs(g));
        for (int i = 0; i < theta.Length; i++)
        {
            double saved = theta[i];
            theta[i] = saved + Step;
            double plus = Reference.NetworkLoss(model.Layers, theta, xd, rows, loss);
            theta[i] = saved - Step;
            double minus = Reference.NetworkLoss(model.Layers, theta, xd, rows, loss);
            theta[i] = saved;
            double expected = (plus - minus) / (2 * Step);
            double actual = workspace.Gradients[i];
            Assert.True(
                Math.Abs(actual - expected) <= RelativeTolerance * Math.Max(Math.Abs(expected), 1e-2 * gradientScale),
                $"{architecture}: parameter {i} of {theta.Length}: expected {expected:E6}, got {actual:E6}");
        }
    }

    /// <summary>Parses "input | encoder layers | decoder layers" with layers as units:activation.</summary>
    internal static AutoencoderModel Build(string architecture, int seed)
    {
        string[] parts = architecture.Split('|');
        var builder = new AutoencoderBuilder(int.Parse(parts[0].Trim())).WithSeed(seed);
        var encoder = Layers(parts[1]);
        var decoder = Layers(parts[2]);
        foreach (var (units, activation) in encoder[..^1])
        {
            builder.AddEncoderLayer(units, activation);
        }

        builder.WithLatent(encoder[^1].Units, encoder[^1].Activation);
        foreach (var (units, activation) in decoder[..^1])
        {
            builder.AddDecoderLayer(units, activation);
        }

        builder.WithOutputActivation(decoder[^1].Activation);
        AutoencoderModel model = builder.Build();

        // Non-zero biases, so their gradients and their effect on the next layer are exercised too.
        foreach (var layer in model.Network.DenseLayers)
        {
            TestData.Uniform(layer.Outputs, seed + layer.BiasOffset, -0.3f, 0.3f).CopyTo(model.Network.Parameters, layer.BiasOffset);
        }

        return model;

        static (int Units, Activation Activation)[] Layers(string text) => text.Split(',').Select(s =>
        {
            string[] p = s.Trim().Split(':');
            Assert.True(Autoencoder.Activations.ActivationFunctions.TryParse(p[1], out Activation a));
            return (int.Parse(p[0]), a);
        }).ToArray();
    }
}

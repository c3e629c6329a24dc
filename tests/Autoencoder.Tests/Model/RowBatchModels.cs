using Autoencoder.Model;

namespace Autoencoder.Tests.Model;

/// <summary>The models and data the row-batch tests share: one of each kind, with parameters and state drawn from fixed seeds.</summary>
internal static class RowBatchModels
{
    private static readonly Dictionary<string, Func<AutoencoderBuilder>> Models = new()
    {
        ["plain"] = () => new AutoencoderBuilder(37).AddEncoderLayer(19).WithLatent(5, Activation.Relu).WithOutputActivation(Activation.Sigmoid),
        ["tied"] = () => new AutoencoderBuilder(23).AddEncoderLayer(13, Activation.Tanh).WithLatent(4).WithTiedWeights().WithOutputActivation(Activation.Sigmoid),
        ["variational"] = () => new AutoencoderBuilder(17).AddEncoderLayer(9).WithVariationalLatent(3).WithOutputActivation(Activation.Sigmoid),
        ["batch normalization"] = () => new AutoencoderBuilder(15)
            .AddEncoderLayer(10, Activation.Relu, new LayerOptions { BatchNormalization = true })
            .WithLatent(4, Activation.Tanh, new LayerOptions { BatchNormalization = true })
            .AddDecoderLayer(10, Activation.Elu, new LayerOptions { BatchNormalization = true })
            .WithOutputActivation(Activation.Sigmoid),
        ["dropout"] = () => new AutoencoderBuilder(15)
            .AddEncoderLayer(10, Activation.Relu, new LayerOptions { Dropout = 0.3 })
            .WithLatent(4, Activation.Tanh, new LayerOptions { Dropout = 0.1 })
            .WithOutputActivation(Activation.Sigmoid),

        // Past one depth block of the product (256), where a one-row block's sums would differ.
        ["wide input"] = () => new AutoencoderBuilder(700).AddEncoderLayer(300).WithLatent(8, Activation.Relu).WithOutputActivation(Activation.Sigmoid),

        // 20,000 units: the inference block shrinks to 209 rows (16 MiB of scratch per buffer).
        ["wide hidden layer"] = () => new AutoencoderBuilder(6).AddEncoderLayer(20_000, Activation.Tanh).WithLatent(3).WithOutputActivation(Activation.Sigmoid),
    };

    /// <summary>The five model kinds every test runs on.</summary>
    public static readonly string[] Names = ["plain", "tied", "variational", "batch normalization", "dropout"];

    /// <summary>
    /// The named model with parameters uniform in [−0.5, 0.5) and state (batch normalization's running
    /// means and variances) in [0.5, 1.5), from seed 7, so no layer is near its initial symmetry.
    /// </summary>
    public static AutoencoderModel Build(string name)
    {
        AutoencoderModel model = Models[name]().WithSeed(5).Build();
        Randomize(model.Network, new Random(7));
        return model;
    }

    /// <summary>
    /// Overwrites <paramref name="network"/>'s parameters with values uniform in [−0.5, 0.5) and its
    /// state with values in [0.5, 1.5), drawn from <paramref name="random"/> in that order.
    /// </summary>
    public static void Randomize(Network network, Random random)
    {
        for (int i = 0; i < network.Parameters.Length; i++)
        {
            network.Parameters[i] = (float)((random.NextDouble() * 2) - 1) * 0.5f;
        }

        for (int i = 0; i < network.State.Length; i++)
        {
            network.State[i] = (float)(0.5 + random.NextDouble()); // means in [0.5, 1.5), variances too
        }
    }

    /// <summary><paramref name="rows"/> jagged rows of <paramref name="width"/> uniform values in [<paramref name="low"/>, 1).</summary>
    public static float[][] Rows(int rows, int width, int seed, float low = 0f)
    {
        float[] values = TestData.Uniform(rows * width, seed, low, 1f);
        return Enumerable.Range(0, rows).Select(r => values.AsSpan(r * width, width).ToArray()).ToArray();
    }

    /// <summary>Asserts equal float bits, naming the first differing row and column and both values.</summary>
    public static void AssertSameBits(float[] expected, float[] actual, int width, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}: row {i / width}, column {i % width}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}

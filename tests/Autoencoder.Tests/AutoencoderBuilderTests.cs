namespace Autoencoder.Tests;

public class AutoencoderBuilderTests
{
    [Fact]
    public void Build_WithoutDecoderLayers_MirrorsTheEncoder()
    {
        AutoencoderModel model = new AutoencoderBuilder(20)
            .AddEncoderLayer(12, Activation.Tanh)
            .AddEncoderLayer(8, Activation.Elu)
            .WithLatent(3)
            .WithOutputActivation(Activation.Sigmoid)
            .WithSeed(1)
            .Build();

        Assert.Equal(
            [
                new LayerDescription(20, 12, Activation.Tanh, true),
                new LayerDescription(12, 8, Activation.Elu, true),
                new LayerDescription(8, 3, Activation.Identity, true),
                new LayerDescription(3, 8, Activation.Elu, false),
                new LayerDescription(8, 12, Activation.Tanh, false),
                new LayerDescription(12, 20, Activation.Sigmoid, false),
            ],
            model.Layers);
        Assert.Equal(3, model.LatentSize);
        Assert.Equal(20, model.InputSize);
        Assert.Equal((20 * 12 + 12) + (12 * 8 + 8) + (8 * 3 + 3) + (3 * 8 + 8) + (8 * 12 + 12) + (12 * 20 + 20), model.ParameterCount);
    }

    [Fact]
    public void Build_WithDecoderLayers_UsesThemInsteadOfTheMirror()
    {
        AutoencoderModel model = new AutoencoderBuilder(10).AddEncoderLayer(6).WithLatent(2, Activation.Tanh)
            .AddDecoderLayer(4, Activation.Gelu).AddDecoderLayer(7, Activation.Softplus).Build();
        Assert.Equal([6, 2, 4, 7, 10], model.Layers.Select(l => l.Units));
        Assert.Equal([true, true, false, false, false], model.Layers.Select(l => l.IsEncoder));
        Assert.Equal(Activation.Identity, model.Layers[^1].Activation);
    }

    [Fact]
    public void Build_WithoutLatent_ThrowsInvalidOperation()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new AutoencoderBuilder(4).AddEncoderLayer(2).Build());
        Assert.Contains("WithLatent", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Constructor_NonPositiveInputSize_Throws(int size)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new AutoencoderBuilder(size));
        Assert.Contains($"inputSize must be positive; got {size}", e.Message);
    }

    [Fact]
    public void WithLatent_ZeroUnits_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new AutoencoderBuilder(4).WithLatent(0));
        Assert.Contains("units must be positive; got 0", e.Message);
    }

    [Fact]
    public void AddEncoderLayer_UndefinedActivation_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new AutoencoderBuilder(4).AddEncoderLayer(2, (Activation)42));
        Assert.Contains("got 42", e.Message);
    }

    [Fact]
    public void Build_SameSeed_GivesIdenticalWeights_DifferentSeed_DoesNot()
    {
        float[] Weights(int seed) => new AutoencoderBuilder(30).AddEncoderLayer(10).WithLatent(4).WithSeed(seed).Build().Network.Parameters;
        Assert.Equal(Weights(5), Weights(5));
        Assert.NotEqual(Weights(5), Weights(6));
    }

    [Theory]
    [InlineData(WeightInitialization.GlorotUniform, 400, 100)]
    [InlineData(WeightInitialization.HeUniform, 400, 100)]
    [InlineData(WeightInitialization.HeNormal, 400, 100)]
    public void Build_Initialization_HasTheDocumentedVariance(WeightInitialization initialization, int fanIn, int fanOut)
    {
        AutoencoderModel model = new AutoencoderBuilder(fanIn).WithLatent(fanOut).WithInitialization(initialization).WithSeed(3).Build();
        var layer = model.Network.DenseLayers[0];
        float[] w = model.Network.Parameters.AsSpan(layer.WeightOffset, layer.WeightCount).ToArray();
        double variance = w.Select(v => (double)v * v).Average();
        double expected = initialization == WeightInitialization.GlorotUniform ? 2.0 / (fanIn + fanOut) : 2.0 / fanIn;
        // 40,000 draws: the sample variance is within a few percent of the true one.
        Assert.InRange(variance, expected * 0.95, expected * 1.05);
        Assert.All(model.Network.Parameters.AsSpan(layer.BiasOffset, layer.Outputs).ToArray(), b => Assert.Equal(0f, b));
        if (initialization != WeightInitialization.HeNormal)
        {
            double limit = initialization == WeightInitialization.GlorotUniform ? Math.Sqrt(6.0 / (fanIn + fanOut)) : Math.Sqrt(6.0 / fanIn);
            Assert.All(w, v => Assert.InRange(Math.Abs(v), 0, limit));
        }
    }
}

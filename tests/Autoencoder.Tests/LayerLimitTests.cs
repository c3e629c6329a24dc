using Autoencoder.Model;
using Autoencoder.Tests.Serialization;

namespace Autoencoder.Tests;

/// <summary>
/// A model has at most 10,000 layers, encoder and decoder together: the builder refuses the layer
/// that passes it, the reader a header that declares more, and a model at the limit saves and loads.
/// </summary>
public class LayerLimitTests
{
    [Fact]
    public void MaxLayers_IsTenThousand() => Assert.Equal(10_000, NetworkSpec.MaxLayers);

    [Fact]
    public void AddEncoderLayer_TheLayerThatPassesTheLimit_ThrowsArgumentExceptionWithTheLimitAndTheCount()
    {
        // 9,997 hidden encoder layers, one decoder layer, the latent and the output layer: 10,000.
        var builder = new AutoencoderBuilder(1).AddDecoderLayer(1);
        for (int i = 0; i < 9_997; i++)
        {
            builder.AddEncoderLayer(1);
        }

        var error = Assert.Throws<ArgumentException>(() => builder.AddEncoderLayer(1));
        Assert.Contains("at most 10,000 layers", error.Message);
        Assert.Contains("would have 10,001", error.Message);
        Assert.Equal(10_000, builder.WithLatent(1).WithSeed(1).Build().Layers.Count);
    }

    [Fact]
    public void AddDecoderLayer_TheLayerThatPassesTheLimit_ThrowsArgumentException()
    {
        var builder = new AutoencoderBuilder(1).AddEncoderLayer(1);
        for (int i = 0; i < 9_997; i++)
        {
            builder.AddDecoderLayer(1);
        }

        var error = Assert.Throws<ArgumentException>(() => builder.AddDecoderLayer(1));
        Assert.Contains("would have 10,001", error.Message);
    }

    [Fact]
    public void Build_MirroredDecoderPassingTheLimit_ThrowsArgumentExceptionWithTheCount()
    {
        // 5,000 hidden encoder layers mirrored: 5,000 + latent + 5,000 + output (a mirror has an even count).
        var builder = new AutoencoderBuilder(1).WithLatent(1);
        for (int i = 0; i < 5_000; i++)
        {
            builder.AddEncoderLayer(1);
        }

        var error = Assert.Throws<ArgumentException>(builder.Build);
        Assert.Contains("at most 10,000 layers", error.Message);
        Assert.Contains("would have 10,002", error.Message);
        Assert.Contains("mirrored decoder repeats the 5,000 hidden encoder layers", error.Message);
    }

    [Fact]
    public void Load_HeaderDeclaringMoreLayersThanTheLimit_ThrowsModelFormatExceptionWithTheCount()
    {
        // 10,000 encoder layers and the one decoder layer, counted before the lists are split.
        var file = SmallModelFile();
        file.Metadata["encoder"] = string.Join(",", Enumerable.Repeat("1:relu", 9_999)) + ",2:tanh";
        var error = Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new MemoryStream(file.ToBytes())));
        Assert.Contains("10001 layers (10000 encoder, 1 decoder); a model has at most 10000", error.Message);
    }

    [Fact]
    public void Load_DecoderTakingTheCountPastTheLimit_ThrowsModelFormatException()
    {
        var file = SmallModelFile();
        file.Metadata["encoder"] = string.Join(",", Enumerable.Repeat("1:relu", 5_000));
        file.Metadata["decoder"] = string.Join(",", Enumerable.Repeat("1:relu", 5_000)) + ",3:identity";
        var error = Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new MemoryStream(file.ToBytes())));
        Assert.Contains("10001 layers (5000 encoder, 5001 decoder)", error.Message);
    }

    [Fact]
    public void SaveLoad_MirroredModelOfExactlyTheLimit_RoundTrips()
    {
        var builder = new AutoencoderBuilder(2).WithLatent(1, Activation.Tanh).WithSeed(7);
        for (int i = 0; i < 4_999; i++)
        {
            builder.AddEncoderLayer(1 + (i % 3), Activation.LeakyRelu);
        }

        AssertRoundTrips(builder.Build());
    }

    [Fact]
    public void SaveLoad_ModelOfExactlyTheLimitWithOptionsOnEveryLayer_RoundTrips()
    {
        // The longest metadata the format allows for a model of this size: every layer but the output has options.
        var options = new LayerOptions { Dropout = 0.12345678901234568, ActivityL1 = 1.2345678901234567E-300, ActivityL2 = 9.8765432109876543E-200 };
        var builder = new AutoencoderBuilder(1).WithLatent(1, Activation.LeakyRelu, options).WithSeed(3);
        for (int i = 0; i < 4_999; i++)
        {
            builder.AddEncoderLayer(1, Activation.LeakyRelu, options).AddDecoderLayer(1, Activation.LeakyRelu, options);
        }

        AutoencoderModel loaded = AssertRoundTrips(builder.Build());
        Assert.All(loaded.Layers.SkipLast(1), l => Assert.Equal(options, l.Options));
    }

    private static AutoencoderModel AssertRoundTrips(AutoencoderModel model)
    {
        Assert.Equal(NetworkSpec.MaxLayers, model.Layers.Count);
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        AutoencoderModel loaded = AutoencoderModel.Load(stream);
        Assert.Equal(model.Layers, loaded.Layers);
        Assert.Equal(model.Network.Parameters, loaded.Network.Parameters);
        Assert.Equal(model.Seed, loaded.Seed);
        return loaded;
    }

    private static ModelFileBytes SmallModelFile()
    {
        using var stream = new MemoryStream();
        new AutoencoderBuilder(3).WithLatent(2, Activation.Tanh).WithSeed(1).Build().Save(stream);
        return ModelFileBytes.Parse(stream.ToArray());
    }
}

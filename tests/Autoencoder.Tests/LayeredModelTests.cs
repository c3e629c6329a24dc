using Autoencoder.Model;
using Autoencoder.Serialization;
using Autoencoder.Tests.Serialization;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests;

/// <summary>
/// Models that are plain lists of layers (image inputs, flatten and reshape, explicit decoders):
/// what the builder accepts and refuses, what such a model computes, and how its file looks.
/// </summary>
public class LayeredModelTests
{
    /// <summary>2 × 3 × 2 images flattened to 12 values, a dense code of 5, and back.</summary>
    private static AutoencoderModel FlattenModel(int seed = 7) =>
        new AutoencoderBuilder(channels: 2, height: 2, width: 3)
            .AddEncoderLayer(LayerDefinition.Flatten())
            .AddEncoderLayer(LayerDefinition.Dense(8, Activation.Tanh))
            .WithLatent(LayerDefinition.Dense(5, Activation.Identity))
            .AddDecoderLayer(LayerDefinition.Dense(8, Activation.Tanh))
            .AddDecoderLayer(LayerDefinition.Dense(12, Activation.Sigmoid))
            .AddDecoderLayer(LayerDefinition.Reshape(channels: 2, height: 2, width: 3))
            .WithSeed(seed)
            .Build();

    [Fact]
    public void Build_ImageModel_HasTheShapesAndSummaryOfItsLayers()
    {
        AutoencoderModel model = FlattenModel();

        Assert.Equal(12, model.InputSize);
        Assert.Equal(5, model.LatentSize);
        Assert.Equal(["flatten", "dense", "dense", "dense", "dense", "reshape"], model.Layers.Select(l => l.Kind));
        Assert.Equal([12, 8, 5, 8, 12, 12], model.Layers.Select(l => l.Units));
        Assert.Equal((12 * 8) + 8 + (8 * 5) + 5 + (5 * 8) + 8 + (8 * 12) + 12, model.ParameterCount);
        string summary = model.Summary();
        Assert.Contains("encoder.0  flatten  (12)", summary);
        Assert.Contains("encoder.2  dense    (5) ← code", summary);
        Assert.Contains("decoder.2  reshape  (2, 3, 2)", summary);
    }

    [Fact]
    public void Encode_ImageModel_IsTheFlattenedRowsThroughTheDenseLayers()
    {
        AutoencoderModel model = FlattenModel();
        Matrix<float> x = TestData.Matrix(3, 12, seed: 3);
        // The same weights in a plain dense model: flatten and reshape move no value.
        AutoencoderModel dense = new AutoencoderBuilder(12)
            .AddEncoderLayer(8, Activation.Tanh)
            .WithLatent(5)
            .WithOutputActivation(Activation.Sigmoid)
            .Build();
        Assert.Equal(model.ParameterCount, dense.ParameterCount);
        model.Network.Parameters.CopyTo(dense.Network.Parameters, 0);

        Assert.Equal(dense.Encode(x).ToColumnMajorArray(), model.Encode(x).ToColumnMajorArray());
        Assert.Equal(dense.Reconstruct(x).ToColumnMajorArray(), model.Reconstruct(x).ToColumnMajorArray());
        Assert.Equal(dense.Decode(dense.Encode(x)).ToColumnMajorArray(), model.Decode(model.Encode(x)).ToColumnMajorArray());
    }

    [Fact]
    public void Fit_ImageModel_LowersTheLossDeterministically()
    {
        // Rows of rank 2 squashed into (0, 1): what a code of 5 can learn.
        Matrix<float> x = TestData.LowRank(64, 12, rank: 2, seed: 5).Map(v => 1f / (1f + MathF.Exp(-v)));
        var options = new TrainingOptions { Epochs = 60, BatchSize = 16, Loss = Loss.MeanSquaredError, Seed = 1 };

        TrainingHistory first = FlattenModel().Fit(x, options);
        AutoencoderModel again = FlattenModel();
        TrainingHistory second = again.Fit(x, options);

        Assert.True(first.Epochs[^1].TrainLoss < 0.5 * first.Epochs[0].TrainLoss, $"{first.Epochs[0].TrainLoss} → {first.Epochs[^1].TrainLoss}");
        Assert.Equal(first.Epochs.Select(e => e.TrainLoss), second.Epochs.Select(e => e.TrainLoss));
    }

    [Fact]
    public void Build_DenseLayerOnAnImage_SaysToFlattenFirst()
    {
        var builder = new AutoencoderBuilder(1, 4, 4)
            .WithLatent(LayerDefinition.Dense(3))
            .AddDecoderLayer(LayerDefinition.Dense(16));

        var e = Assert.Throws<ArgumentException>(() => builder.Build());
        Assert.Contains("encoder.0 (dense) needs a vector input; it gets (4, 4, 1)", e.Message);
        Assert.Contains("flatten", e.Message);
    }

    [Fact]
    public void Build_OutputOfAnotherShape_IsRefusedWithBothShapes()
    {
        var builder = new AutoencoderBuilder(1, 4, 4)
            .AddEncoderLayer(LayerDefinition.Flatten())
            .WithLatent(LayerDefinition.Dense(3))
            .AddDecoderLayer(LayerDefinition.Dense(16));

        var e = Assert.Throws<ArgumentException>(() => builder.Build());
        Assert.Contains("must output the input's shape (4, 4, 1); it outputs (16)", e.Message);
    }

    [Fact]
    public void Build_LayeredModelWithoutDecoder_OrWithTiedWeights_IsRefused()
    {
        var noDecoder = new AutoencoderBuilder(1, 4, 4).AddEncoderLayer(LayerDefinition.Flatten()).WithLatent(LayerDefinition.Dense(3));
        Assert.Contains("decoder layer by layer", Assert.Throws<InvalidOperationException>(() => noDecoder.Build()).Message);

        var tied = new AutoencoderBuilder(16).AddEncoderLayer(LayerDefinition.Reshape(1, 4, 4)).AddEncoderLayer(LayerDefinition.Flatten())
            .WithLatent(3).AddDecoderLayer(16).WithTiedWeights();
        Assert.Throws<InvalidOperationException>(() => tied.Build());
    }

    [Fact]
    public void WithOutputActivation_SetsTheLastLayersIdentity_AndRefusesToOverrideAnother()
    {
        AutoencoderModel model = new AutoencoderBuilder(1, 2, 2)
            .AddEncoderLayer(LayerDefinition.Flatten())
            .WithLatent(LayerDefinition.Dense(2))
            .AddDecoderLayer(LayerDefinition.Dense(4, Activation.Identity))
            .AddDecoderLayer(LayerDefinition.Reshape(1, 2, 2))
            .AddDecoderLayer(LayerDefinition.Flatten())
            .AddDecoderLayer(LayerDefinition.Reshape(1, 2, 2))
            .WithSeed(1)
            .Build();
        Assert.Equal(Activation.Identity, model.Layers[^1].Activation);

        var pooledOutput = new AutoencoderBuilder(1, 2, 2)
            .AddEncoderLayer(LayerDefinition.Flatten())
            .WithLatent(LayerDefinition.Dense(2))
            .AddDecoderLayer(LayerDefinition.Dense(4, Activation.Identity))
            .AddDecoderLayer(LayerDefinition.Reshape(1, 2, 2))
            .WithOutputActivation(Activation.Sigmoid);
        Assert.Contains("cannot set its activation", Assert.Throws<InvalidOperationException>(() => pooledOutput.Build()).Message);

        AutoencoderModel sigmoid = new AutoencoderBuilder(4)
            .AddEncoderLayer(LayerDefinition.Reshape(1, 2, 2))
            .AddEncoderLayer(LayerDefinition.Flatten())
            .WithLatent(LayerDefinition.Dense(2))
            .AddDecoderLayer(LayerDefinition.Dense(4, Activation.Identity))
            .WithOutputActivation(Activation.Sigmoid)
            .WithSeed(1)
            .Build();
        Assert.Equal(Activation.Sigmoid, sigmoid.Layers[^1].Activation);
    }

    [Fact]
    public void Factories_BadArguments_ThrowArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerDefinition.Conv2D(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerDefinition.Conv2D(4, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerDefinition.Conv2D(4, 3, stride: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerDefinition.Conv2D(4, 3, padding: (Padding)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerDefinition.Conv2DTranspose(4, 3, outputPadding: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerDefinition.MaxPool2D(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerDefinition.UpSampling2D(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LayerDefinition.Reshape(1, 0, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AutoencoderBuilder(0, 28, 28));
        Assert.Throws<ArgumentNullException>(() => new AutoencoderBuilder(1, 2, 2).AddEncoderLayer((LayerDefinition)null!));
    }

    public static TheoryData<string> LayerTexts() =>
    [
        "128:relu",
        "conv2d:16:3x3:1x1:same:relu",
        "conv2d:4:2x5:2x1:valid:identity",
        "conv2d_transpose:8:3x3:2x2:same:auto:sigmoid",
        "conv2d_transpose:8:3x3:2x2:valid:1x0:relu",
        "conv1d:6:5:2:same:tanh",
        "max_pool2d:2x2:2x2:same",
        "max_pool2d:3x2:1x1:valid",
        "upsampling2d:2x3",
        "flatten",
        "reshape:4x4x8",
    ];

    [Theory]
    [MemberData(nameof(LayerTexts))]
    public void LayerText_RoundTrips(string text)
    {
        LayerSpec? layer = LayerText.Parse(text);
        Assert.NotNull(layer);
        Assert.Equal(text, LayerText.Format(layer));
    }

    [Theory]
    [InlineData("conv2d:016:3x3:1x1:same:relu")]
    [InlineData("conv2d:16:3x3:1x1:Same:relu")]
    [InlineData("conv2d:16:3x3:1x1:same")]
    [InlineData("conv2d:16:3:1x1:same:relu")]
    [InlineData("conv2d:16:0x3:1x1:same:relu")]
    [InlineData("max_pool2d:2x2:2x2")]
    [InlineData("flatten:12")]
    [InlineData("reshape:4x4")]
    [InlineData("reshape:65536x65536x1")]
    [InlineData("conv1d:6:5:2:same:nope")]
    [InlineData("128:RELU")]
    public void LayerText_NonCanonicalOrUnknown_IsNotRead(string text) => Assert.Null(LayerText.Parse(text));

    [Fact]
    public void SaveLoad_ImageModel_Version4WithInputShape_SameOutputs()
    {
        AutoencoderModel model = FlattenModel();
        Matrix<float> x = TestData.Matrix(4, 12, seed: 9);
        using var stream = new MemoryStream();
        model.Save(stream);
        byte[] bytes = stream.ToArray();

        var file = ModelFileBytes.Parse(bytes);
        Assert.Equal("4", (string?)file.Metadata["format_version"]);
        Assert.Equal("2x3x2", (string?)file.Metadata["input_shape"]);
        Assert.Equal("flatten,8:tanh,5:identity", (string?)file.Metadata["encoder"]);
        Assert.Equal("8:tanh,12:sigmoid,reshape:2x3x2", (string?)file.Metadata["decoder"]);
        Assert.Equal("flatten:12,dense:tanh,dense:identity,dense:tanh,dense:sigmoid,reshape:2x3x2", (string?)file.Metadata["pipeline"]);

        AutoencoderModel loaded = AutoencoderModel.Load(new MemoryStream(bytes));
        Assert.Equal(model.Reconstruct(x).ToColumnMajorArray(), loaded.Reconstruct(x).ToColumnMajorArray());
        Assert.Equal(model.Summary(), loaded.Summary());
    }

    [Fact]
    public void Save_DenseModel_StaysVersion3()
    {
        AutoencoderModel model = new AutoencoderBuilder(6).WithLatent(2).WithSeed(1).Build();
        using var stream = new MemoryStream();
        model.Save(stream);

        var file = ModelFileBytes.Parse(stream.ToArray());
        Assert.Equal("3", (string?)file.Metadata["format_version"]);
        Assert.False(file.Metadata.ContainsKey("input_shape"));
    }

    [Theory]
    [InlineData("input_shape", "2x3x3", "must be height x width x channels")]
    [InlineData("input_shape", "02x3x2", "must be height x width x channels")]
    [InlineData("encoder", "flatten,8:tanh,5:identity,max_pool2d:9x9:1x1:valid", "impossible")]
    [InlineData("encoder", "flatten,8:tanh,5:identity,pool:2", "comma-separated list of layers")]
    [InlineData("decoder", "8:tanh,12:sigmoid", "must output the input's shape")]
    public void Load_Version4WithBadArchitecture_SaysWhatIsWrong(string key, string value, string expected)
    {
        AutoencoderModel model = FlattenModel();
        using var stream = new MemoryStream();
        model.Save(stream);
        var file = ModelFileBytes.Parse(stream.ToArray());
        file.Metadata[key] = value;

        var e = Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new MemoryStream(file.ToBytes())));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Load_Version3FileWithALayerOfAnotherKind_IsRefused()
    {
        AutoencoderModel model = FlattenModel();
        using var stream = new MemoryStream();
        model.Save(stream);
        var file = ModelFileBytes.Parse(stream.ToArray());
        file.Metadata["format_version"] = "3";
        file.Metadata.Remove("input_shape");

        Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new MemoryStream(file.ToBytes())));
    }
}

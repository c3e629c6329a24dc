using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Serialization;

/// <summary>Every kind of model the builder makes survives a save and a load unchanged.</summary>
public sealed class ModelFileRoundTripTests
{
    /// <summary>
    /// Each activation in every position (hidden, latent, output), depths 0 to 3 of hidden layers,
    /// mirrored and explicit decoders, and each weight initialization.
    /// </summary>
    public static TheoryData<string> Architectures()
    {
        var data = new TheoryData<string>();
        foreach (Activation a in Enum.GetValues<Activation>())
        {
            data.Add($"hidden:{a}");
            data.Add($"latent:{a}");
            data.Add($"output:{a}");
        }

        for (int depth = 0; depth <= 3; depth++)
        {
            data.Add($"depth:{depth}");
        }

        data.Add("explicit-decoder");
        foreach (string variant in new[] { "variational", "variational-no-hidden", "tied", "tied-deep", "sparse", "contractive", "layer-options", "tied-sparse-options", "batch-norm", "tied-batch-norm", "variational-batch-norm" })
        {
            data.Add($"variant:{variant}");
        }

        foreach (WeightInitialization init in Enum.GetValues<WeightInitialization>())
        {
            data.Add($"init:{init}");
        }

        return data;
    }

    internal static AutoencoderModel Build(string architecture)
    {
        string[] parts = architecture.Split(':');
        var builder = new AutoencoderBuilder(6).WithSeed(11);
        switch (parts[0])
        {
            case "hidden":
                builder.AddEncoderLayer(5, Enum.Parse<Activation>(parts[1])).WithLatent(3);
                break;
            case "latent":
                builder.AddEncoderLayer(4).WithLatent(3, Enum.Parse<Activation>(parts[1]));
                break;
            case "output":
                builder.WithLatent(2).WithOutputActivation(Enum.Parse<Activation>(parts[1]));
                break;
            case "depth":
                for (int i = 0; i < int.Parse(parts[1]); i++)
                {
                    builder.AddEncoderLayer(7 - i, (Activation)(i % 8));
                }

                builder.WithLatent(2, Activation.Tanh).WithOutputActivation(Activation.Sigmoid);
                break;
            case "explicit-decoder":
                builder.AddEncoderLayer(4, Activation.Gelu).WithLatent(2).AddDecoderLayer(8, Activation.Elu).AddDecoderLayer(3, Activation.Softplus);
                break;
            case "variant":
                _ = parts[1] switch
                {
                    "variational" => builder.AddEncoderLayer(5, Activation.Elu).WithVariationalLatent(2).WithOutputActivation(Activation.Sigmoid),
                    "variational-no-hidden" => builder.WithVariationalLatent(3).AddDecoderLayer(4, Activation.Tanh),
                    "tied" => builder.WithLatent(3, Activation.Tanh).WithTiedWeights(),
                    "tied-deep" => builder.AddEncoderLayer(5, Activation.Relu).AddEncoderLayer(4, Activation.Gelu).WithLatent(2).WithTiedWeights(),
                    "sparse" => builder.AddEncoderLayer(4).WithLatent(3, Activation.Sigmoid).WithSparsity(0.05, 0.3),
                    "contractive" => builder.WithLatent(4, Activation.Sigmoid).WithContractivePenalty(0.01),
                    "layer-options" => builder.AddEncoderLayer(5, Activation.Relu, new LayerOptions { Dropout = 0.25, ActivityL1 = 1e-4 })
                        .WithLatent(3, Activation.Identity, new LayerOptions { ActivityL2 = 0.1 })
                        .AddDecoderLayer(4, Activation.Tanh, new LayerOptions { Dropout = 0.5 }),
                    "tied-sparse-options" => builder.AddEncoderLayer(5, Activation.Tanh, new LayerOptions { Dropout = 0.1 }).WithLatent(2, Activation.Sigmoid)
                        .WithSparsity(0.1, 1).WithTiedWeights(),
                    "batch-norm" => builder.AddEncoderLayer(5, Activation.Relu, new LayerOptions { BatchNormalization = true, Dropout = 0.25 })
                        .WithLatent(3, Activation.Identity, new LayerOptions { BatchNormalization = true, ActivityL1 = 1e-3 })
                        .AddDecoderLayer(4, Activation.Elu, new LayerOptions { BatchNormalization = true, ActivityL2 = 0.5 }),
                    "tied-batch-norm" => builder.AddEncoderLayer(5, Activation.Tanh, new LayerOptions { BatchNormalization = true })
                        .WithLatent(2, Activation.Sigmoid, new LayerOptions { BatchNormalization = true }).WithTiedWeights(),
                    "variational-batch-norm" => builder.AddEncoderLayer(5, Activation.Gelu, new LayerOptions { BatchNormalization = true }).WithVariationalLatent(2)
                        .AddDecoderLayer(4, Activation.Softplus, new LayerOptions { BatchNormalization = true }),
                    _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture, "unknown variant"),
                };
                break;
            case "init":
                builder.AddEncoderLayer(4).WithLatent(2).WithInitialization(Enum.Parse<WeightInitialization>(parts[1]));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(architecture), architecture, "unknown architecture");
        }

        AutoencoderModel model = builder.Build();

        // Non-zero biases and weights of both signs, so every tensor's contents matter; running means and variances of batch normalization too.
        TestData.Uniform(model.ParameterCount, seed: 5, -1.5f, 1.5f).CopyTo(model.Network.Parameters, 0);
        TestData.Uniform(model.Network.State.Length, seed: 6, 0.25f, 2f).CopyTo(model.Network.State, 0);
        return model;
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void SaveThenLoad_GivesIdenticalModelAndOutputs(string architecture)
    {
        AutoencoderModel model = Build(architecture);
        using var stream = new MemoryStream();
        model.Save(stream);
        AutoencoderModel loaded = AutoencoderModel.Load(new MemoryStream(stream.ToArray()));

        Assert.Equal(model.Layers, loaded.Layers);
        Assert.Equal(model.Network.Spec.Variational, loaded.Network.Spec.Variational);
        Assert.Equal(model.Network.Spec with { Encoder = [], Decoder = [] }, loaded.Network.Spec with { Encoder = [], Decoder = [] });
        Assert.Equal(model.Network.Spec.Encoder.Concat(model.Network.Spec.Decoder), loaded.Network.Spec.Encoder.Concat(loaded.Network.Spec.Decoder));
        Assert.Equal(model.Seed, loaded.Seed);
        Assert.Equal(model.Network.Parameters, loaded.Network.Parameters);
        Assert.Equal(model.Network.State, loaded.Network.State);
        Matrix<float> x = TestData.Matrix(9, model.InputSize, seed: 2, -2f, 2f);
        Matrix<float> codes = model.Encode(x);
        Assert.Equal(codes.ToColumnMajorArray(), loaded.Encode(x).ToColumnMajorArray());
        Assert.Equal(model.Decode(codes).ToColumnMajorArray(), loaded.Decode(codes).ToColumnMajorArray());
        Assert.Equal(model.Reconstruct(x).ToColumnMajorArray(), loaded.Reconstruct(x).ToColumnMajorArray());

        // Saving the loaded model gives the same bytes: nothing is lost or reordered.
        using var again = new MemoryStream();
        loaded.Save(again);
        Assert.Equal(stream.ToArray(), again.ToArray());
    }
}

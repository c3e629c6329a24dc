using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Benchmarks;

/// <summary>The reference models of the design card and the data they train on.</summary>
public static class ReferenceModels
{
    private const string FashionMnist = "/usr/share/datasets/fashion-mnist";

    /// <summary>M1 shallow, M2 deep, M3 wide-deep: ReLU hidden layers (the latent too), sigmoid output; M4 the convolutional one (<see cref="KerasBlog"/>).</summary>
    public static AutoencoderModel Build(string name, int seed = 1)
    {
        if (name == "M4")
        {
            return KerasBlog(seed);
        }

        var builder = new AutoencoderBuilder(784).WithOutputActivation(Activation.Sigmoid).WithSeed(seed);
        int[] hidden = name switch
        {
            "M1" => [],
            "M2" => [128, 64],
            "M3" => [1000, 500, 250],
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Expected M1, M2, M3 or M4."),
        };

        foreach (int units in hidden)
        {
            builder.AddEncoderLayer(units, Activation.Relu);
        }

        return builder.WithLatent(name == "M3" ? 30 : 32, Activation.Relu).Build();
    }

    /// <summary>M4, the Keras blog's convolutional autoencoder, as the peer benchmark builds it (<c>ModelSpec.cs</c>).</summary>
    public static AutoencoderModel KerasBlog(int seed) => Peers.ModelSpec.Find("M4").BuildOurs(seed);

    /// <summary>Binary cross-entropy for M1 and M2, mean squared error for M3.</summary>
    public static Loss LossOf(string name) => name == "M3" ? Loss.MeanSquaredError : Loss.BinaryCrossEntropy;

    /// <summary>60,000 training images: Fashion-MNIST when installed, else the built-in shapes.</summary>
    public static Matrix<float> TrainingImages() =>
        Directory.Exists(FashionMnist)
            ? IdxReader.LoadFolder(FashionMnist, "train").Images
            : SyntheticShapes.Generate(60_000, seed: 1).Images;
}

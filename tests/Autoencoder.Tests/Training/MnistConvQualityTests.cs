using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;
using Xunit.Abstractions;

namespace Autoencoder.Tests.Training;

/// <summary>
/// The Keras blog's convolutional autoencoder (M4 of the design card) learns real images: on the
/// MNIST test set (the first 8,000 images for training, the last 2,000 held out) it beats the
/// mean image by a wide margin and comes within a few percent of the dense
/// 784-128-64-32-64-128-784 model (M2) trained alike for the same epochs, with 2% of its parameters.
/// </summary>
public class MnistConvQualityTests(ITestOutputHelper output)
{
    private const int Epochs = 6;

    [Fact]
    public void Fit_KerasBlogConvModel_BeatsTheMeanImage_AndMatchesTheDenseM2AtTheSameEpochs()
    {
        LabeledImages mnist = IdxReader.LoadFolder(TestData.MnistFolder, "t10k");
        Matrix<float> train = mnist.Images.SubMatrix(0, 8000, 0, 784);
        Matrix<float> heldOut = mnist.Images.SubMatrix(8000, 2000, 0, 784);
        var options = new TrainingOptions { Epochs = Epochs, BatchSize = 32, Loss = Loss.BinaryCrossEntropy, Seed = 7, ValidationData = heldOut };

        double baseline = Reference.MeanImageLoss(train, heldOut, Loss.BinaryCrossEntropy);

        AutoencoderModel conv = ConvModels.KerasBlog(seed: 2024).Build();
        TrainingHistory convHistory = conv.Fit(train, options);
        double convLoss = conv.Evaluate(heldOut, Loss.BinaryCrossEntropy);

        AutoencoderModel dense = new AutoencoderBuilder(784)
            .AddEncoderLayer(128, Activation.Relu)
            .AddEncoderLayer(64, Activation.Relu)
            .WithLatent(32, Activation.Relu)
            .WithOutputActivation(Activation.Sigmoid)
            .WithSeed(2024)
            .Build();
        double denseLoss = dense.Fit(train, options).Epochs[^1].ValidationLoss!.Value;

        output.WriteLine($"held-out BCE after {Epochs} epochs: conv {convLoss:F4} ({conv.ParameterCount} parameters), dense {denseLoss:F4} ({dense.ParameterCount} parameters), mean image {baseline:F4}");
        output.WriteLine("conv held-out BCE by epoch: " + string.Join(", ", convHistory.ValidationLoss.Select(v => $"{v:F4}")));

        // Measured (seeds 2024 and 7): conv 0.1281, dense 0.1236, mean image 0.2744. At 8,000 images
        // the dense model stays a little ahead for as long as was tried (40 epochs at batch 64:
        // 0.1053 against 0.0989); the conv model gets there with 4,385 weights to its 222,384.
        Assert.True(convLoss < 0.6 * baseline, $"conv held-out BCE {convLoss:F4} is not clearly below the mean-image baseline {baseline:F4}");
        Assert.True(convLoss < 1.1 * denseLoss, $"conv held-out BCE {convLoss:F4} is not within 10% of the dense model's {denseLoss:F4}");
        Assert.Equal(convLoss, convHistory.Epochs[^1].ValidationLoss!.Value, 6);
        Assert.True(convHistory.ValidationLoss[^1] < convHistory.ValidationLoss[0]);
    }
}

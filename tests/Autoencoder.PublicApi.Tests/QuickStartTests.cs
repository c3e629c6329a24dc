// quick-start:begin
using Autoencoder;
using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;
// quick-start:end

namespace Autoencoder.PublicApi.Tests;

/// <summary>
/// The README's quick start, compiled and run. The marked regions of this file are the README's
/// C# block, character for character after removing indentation; a test checks they agree.
/// </summary>
public class QuickStartTests
{
    [Fact]
    public void QuickStart_Runs_AndLearns()
    {
        // quick-start:begin
        // 28×28 images in [0, 1], one per row: the library's own generated shapes (or your data).
        Matrix<float> train = SyntheticShapes.Generate(count: 4000, seed: 1).Images;
        Matrix<float> test = SyntheticShapes.Generate(count: 1000, seed: 2).Images;

        AutoencoderModel model = new AutoencoderBuilder(inputSize: 784)
            .AddEncoderLayer(128, Activation.Relu)
            .WithLatent(32, Activation.Relu)
            .WithOutputActivation(Activation.Sigmoid)   // the decoder mirrors the encoder: 32 → 128 → 784
            .WithSeed(42)
            .Build();

        TrainingHistory history = model.Fit(train, new TrainingOptions
        {
            Epochs = 10,
            BatchSize = 128,
            Loss = Loss.BinaryCrossEntropy,
            Optimizer = new AdamOptions { LearningRate = 1e-3 },
            ValidationFraction = 0.1,
        });

        Matrix<float> codes = model.Encode(test);              // 1000 × 32
        Matrix<float> reconstructions = model.Decode(codes);   // 1000 × 784
        double testLoss = model.Evaluate(test, Loss.BinaryCrossEntropy);
        Vector<float> scores = model.ReconstructionErrors(test, Loss.BinaryCrossEntropy);   // one anomaly score per row
        Console.WriteLine($"validation loss by epoch: {string.Join(", ", history.ValidationLoss.Select(l => l.ToString("F4")))}");
        Console.WriteLine($"test loss {testLoss:F4}, code size {model.LatentSize} for {model.InputSize} inputs");

        string path = Path.Combine(Path.GetTempPath(), "shapes-autoencoder.safetensors");
        model.Save(path);
        AutoencoderModel restored = AutoencoderModel.Load(path);
        // quick-start:end

        Assert.Equal((1000, 32), (codes.RowCount, codes.ColumnCount));
        Assert.Equal((1000, 784), (reconstructions.RowCount, reconstructions.ColumnCount));
        Assert.Equal(1000, scores.Count);
        Assert.Equal(10, history.Epochs.Count);
        Assert.True(history.ValidationLoss[^1] < 0.8 * history.ValidationLoss[0], $"validation loss {history.ValidationLoss[0]:F4} → {history.ValidationLoss[^1]:F4}");
        Assert.Equal(testLoss, scores.Average(), 4);
        Assert.Equal(reconstructions.ToColumnMajorArray(), restored.Reconstruct(test).ToColumnMajorArray());
        File.Delete(path);
    }

    [Fact]
    public void Readme_QuickStartBlock_IsThisFilesMarkedCode() =>
        Assert.Equal(ReadmeBlocks.Marked("QuickStartTests.cs", "quick-start"), ReadmeBlocks.Documented("quick-start"));
}

using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.PublicApi.Tests;

/// <summary>
/// The README's convolutional autoencoder, compiled and run through the public surface only; the
/// region between <c>// readme:conv:begin</c> and <c>// readme:conv:end</c> is the block after
/// <c>&lt;!-- readme:conv --&gt;</c>.
/// </summary>
public class ConvReadmeTests
{
    [Fact]
    public void KerasBlogConvAutoencoder_TrainsEncodesSavesAndExports()
    {
        string folder = Directory.CreateTempSubdirectory("autoencoder-conv-readme-").FullName;
        string modelPath = Path.Combine(folder, "conv.safetensors"), onnxPath = Path.Combine(folder, "conv.onnx");
        try
        {
            Matrix<float> images = SyntheticShapes.Generate(count: 600, seed: 3).Images; // 600 × 784, rows of 28 × 28 pixels
            // readme:conv:begin
            AutoencoderModel model = new AutoencoderBuilder(channels: 1, height: 28, width: 28)
                .AddEncoderLayer(LayerDefinition.Conv2D(16, 3, padding: Padding.Same))   // 28 × 28 × 16, ReLU
                .AddEncoderLayer(LayerDefinition.MaxPool2D(2, Padding.Same))             // 14 × 14 × 16
                .AddEncoderLayer(LayerDefinition.Conv2D(8, 3, padding: Padding.Same))
                .AddEncoderLayer(LayerDefinition.MaxPool2D(2, Padding.Same))             // 7 × 7 × 8
                .AddEncoderLayer(LayerDefinition.Conv2D(8, 3, padding: Padding.Same))
                .WithLatent(LayerDefinition.MaxPool2D(2, Padding.Same))                  // the code: 4 × 4 × 8 = 128 values
                .AddDecoderLayer(LayerDefinition.Conv2D(8, 3, padding: Padding.Same))
                .AddDecoderLayer(LayerDefinition.UpSampling2D(2))                        // 8 × 8 × 8
                .AddDecoderLayer(LayerDefinition.Conv2D(8, 3, padding: Padding.Same))
                .AddDecoderLayer(LayerDefinition.UpSampling2D(2))                        // 16 × 16 × 8
                .AddDecoderLayer(LayerDefinition.Conv2D(16, 3))                          // 'valid': 14 × 14 × 16
                .AddDecoderLayer(LayerDefinition.UpSampling2D(2))                        // 28 × 28 × 16
                .AddDecoderLayer(LayerDefinition.Conv2D(1, 3, Activation.Sigmoid, Padding.Same)) // the output: the input's shape
                .WithSeed(1)
                .Build();

            model.Fit(images, new TrainingOptions { Epochs = 2, BatchSize = 128, Loss = Loss.BinaryCrossEntropy });
            Matrix<float> codes = model.Encode(images);               // 600 × 128: each code flattened, channels last
            Matrix<float> reconstructions = model.Reconstruct(images); // 600 × 784
            model.Save(modelPath);                                    // the layers and weights, loaded back as they are
            model.ExportOnnx(onnxPath);                               // Conv, MaxPool, Resize: runs in ONNX Runtime
            // readme:conv:end

            Assert.Equal((600, 128), (codes.RowCount, codes.ColumnCount));
            Assert.Equal(128, model.LatentSize);
            Assert.Equal(4385, model.ParameterCount);
            Assert.True(reconstructions.Enumerate().All(v => v is > 0f and < 1f));
            AutoencoderModel loaded = AutoencoderModel.Load(modelPath);
            Assert.Equal(reconstructions.ToRowMajorArray(), loaded.Reconstruct(images).ToRowMajorArray());
            Assert.True(new FileInfo(onnxPath).Length > 4385 * sizeof(float));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Readme_ConvBlock_IsThisFilesMarkedCode() =>
        Assert.Equal(ReadmeBlocks.Marked("ConvReadmeTests.cs", "readme:conv"), ReadmeBlocks.Documented("readme:conv"));
}

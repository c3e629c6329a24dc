using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests;

/// <summary>
/// Convolutional autoencoders through the public API: shapes and parameter counts, the code,
/// files and checkpoints, anomaly scores and features, bit-identical training for any thread count.
/// </summary>
public sealed class ConvModelTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-conv-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void KerasBlogModel_HasItsShapesParametersAndCode()
    {
        AutoencoderModel model = ConvModels.KerasBlog(seed: 1).Build();

        Assert.Equal(784, model.InputSize);
        Assert.Equal(8 * 4 * 4, model.LatentSize);
        // 3·3·1·16+16, 3·3·16·8+8, 3·3·8·8+8 | 3·3·8·8+8, 3·3·8·8+8, 3·3·8·16+16, 3·3·16·1+1 (as Keras' summary counts them).
        Assert.Equal(160 + 1160 + 584 + 584 + 584 + 1168 + 145, model.ParameterCount);
        Assert.Equal(
            ["conv2d", "max_pool2d", "conv2d", "max_pool2d", "conv2d", "max_pool2d", "conv2d", "upsampling2d", "conv2d", "upsampling2d", "conv2d", "upsampling2d", "conv2d"],
            model.Layers.Select(l => l.Kind));
        string summary = model.Summary();
        Assert.Contains("(28, 28, 16)", summary);
        Assert.Contains("(4, 4, 8) ← code", summary);
        Assert.Contains("(14, 14, 16)", summary); // the 'valid' convolution of the decoder: 16 → 14
        Assert.Contains("(28, 28, 1)", summary);

        Matrix<float> x = TestData.Matrix(3, 784, seed: 2);
        Matrix<float> code = model.Encode(x);
        Assert.Equal((3, 128), (code.RowCount, code.ColumnCount));
        Assert.Equal(model.Reconstruct(x).ToColumnMajorArray(), model.Decode(code).ToColumnMajorArray());
    }

    [Fact]
    public void Build_ImpossibleGeometry_FailsAtBuildWithTheLayerAndShapes()
    {
        var tooSmall = new AutoencoderBuilder(1, 3, 3)
            .AddEncoderLayer(LayerDefinition.Conv2D(2, 5))
            .WithLatent(LayerDefinition.Flatten())
            .AddDecoderLayer(LayerDefinition.Reshape(1, 3, 3));
        var e = Assert.Throws<ArgumentException>(() => tooSmall.Build());
        Assert.Contains("encoder.0", e.Message);

        var wrongOutput = new AutoencoderBuilder(1, 8, 8)
            .AddEncoderLayer(LayerDefinition.Conv2D(2, 3, padding: Padding.Same))
            .WithLatent(LayerDefinition.MaxPool2D(2))
            .AddDecoderLayer(LayerDefinition.UpSampling2D(2))
            .AddDecoderLayer(LayerDefinition.Conv2D(2, 3, padding: Padding.Same));
        Assert.Contains("must output the input's shape (8, 8, 1); it outputs (8, 8, 2)", Assert.Throws<ArgumentException>(() => wrongOutput.Build()).Message);

        var pooledVector = new AutoencoderBuilder(16)
            .AddEncoderLayer(LayerDefinition.MaxPool2D(2))
            .WithLatent(LayerDefinition.Dense(4))
            .AddDecoderLayer(LayerDefinition.Dense(16));
        Assert.Contains("encoder.0", Assert.Throws<ArgumentException>(() => pooledVector.Build()).Message);
    }

    [Fact]
    public void Fit_EveryKind_LearnsDeterministically_AndSurvivesAFile()
    {
        Matrix<float> x = TestData.Matrix(48, 60, seed: 4);
        var options = new TrainingOptions { Epochs = 3, BatchSize = 16, Loss = Loss.BinaryCrossEntropy, Seed = 5 };

        AutoencoderModel two = ConvModels.EveryKind(seed: 3).Build();
        TrainingHistory twoHistory = two.Fit(x, options);
        AutoencoderModel one = ConvModels.EveryKind(seed: 3).Build();
        TrainingHistory oneHistory = one.Fit(x, options);

        Assert.Equal(oneHistory.Epochs.Select(e => e.TrainLoss), twoHistory.Epochs.Select(e => e.TrainLoss));
        Assert.Equal(one.Network.Parameters, two.Network.Parameters);
        Assert.True(twoHistory.Epochs[^1].TrainLoss < twoHistory.Epochs[0].TrainLoss);

        string path = Path.Combine(_folder, "every-kind.safetensors");
        two.Save(path);
        AutoencoderModel loaded = AutoencoderModel.Load(path);
        Assert.Equal(two.Network.Parameters, loaded.Network.Parameters);
        Assert.Equal(two.Network.State, loaded.Network.State);
        Assert.Equal(two.Reconstruct(x).ToColumnMajorArray(), loaded.Reconstruct(x).ToColumnMajorArray());
        Assert.Equal(two.Summary(), loaded.Summary());
    }

    [Fact]
    public void Checkpoint_ResumedConvRun_EndsBitIdenticalToAnUninterruptedOne()
    {
        Matrix<float> x = TestData.Matrix(40, 60, seed: 6);
        var options = new TrainingOptions { Epochs = 4, BatchSize = 8, Loss = Loss.MeanSquaredError, Seed = 2 };
        AutoencoderModel straight = ConvModels.EveryKind(seed: 8).Build();
        straight.Fit(x, options);

        string path = Path.Combine(_folder, "conv.checkpoint");
        AutoencoderModel first = ConvModels.EveryKind(seed: 8).Build();
        first.Fit(x, options with { Epochs = 2, CheckpointPath = path });
        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(path);
        checkpoint.Resume(x, options with { CheckpointPath = path });

        Assert.Equal(straight.Network.Parameters, checkpoint.Model.Network.Parameters);
        Assert.Equal(straight.Network.State, checkpoint.Model.Network.State);
    }

    [Fact]
    public void AnomalyScoresAndFeatures_WorkOnConvModels()
    {
        AutoencoderModel model = ConvModels.EveryKind(seed: 9).Build();
        Matrix<float> x = TestData.Matrix(30, 60, seed: 10);
        model.Fit(x, new TrainingOptions { Epochs = 2, BatchSize = 10, Loss = Loss.MeanSquaredError, Seed = 1 });

        var detector = new AnomalyDetector(model, Loss.MeanSquaredError);
        float[] scores = detector.Scores(x).ToArray();
        Matrix<float> reconstruction = model.Reconstruct(x);
        for (int r = 0; r < x.RowCount; r++)
        {
            double sum = 0;
            for (int c = 0; c < x.ColumnCount; c++)
            {
                double d = reconstruction[r, c] - x[r, c];
                sum += d * d;
            }

            Assert.Equal(sum / x.ColumnCount, scores[r], 5);
        }

        // The pooled feature maps of layer 1 (3 × 3 × 4 per image), flattened channels-last.
        Matrix<float> features = model.Features(x, 1);
        Assert.Equal((30, 36), (features.RowCount, features.ColumnCount));
        Assert.Equal(model.Encode(x).ToColumnMajorArray(), model.Features(x, 3).ToColumnMajorArray());
    }
}

using MathNet.Numerics.LinearAlgebra;
using Autoencoder.Data;
using Microsoft.ML.OnnxRuntime;

namespace Autoencoder.Interop.Tests;

/// <summary>Whole convolutional autoencoders, exported, run in ONNX Runtime and give our outputs.</summary>
public sealed class ConvModelOnnxTests
{
    private const float Tolerance = 1e-5f;

    /// <summary>The Keras blog's convolutional autoencoder (M4), with its 8 × 4 × 4 code.</summary>
    private static AutoencoderModel KerasBlog() => Autoencoder.Tests.ConvModels.KerasBlog(seed: 11).Build();

    /// <summary>Three channels, batch normalization over channels, a transposed convolution, a dense code between reshapes.</summary>
    private static AutoencoderModel Mixed() =>
        new AutoencoderBuilder(channels: 3, height: 6, width: 5)
            .AddEncoderLayer(LayerDefinition.Conv2D(4, 3, Activation.Tanh, Padding.Same, options: new LayerOptions { BatchNormalization = true }))
            .AddEncoderLayer(LayerDefinition.MaxPool2D(2, Padding.Same))
            .AddEncoderLayer(LayerDefinition.Flatten())
            .WithLatent(LayerDefinition.Dense(5, Activation.Tanh))
            .AddDecoderLayer(LayerDefinition.Dense(36, Activation.Relu))
            .AddDecoderLayer(LayerDefinition.Reshape(4, 3, 3))
            .AddDecoderLayer(LayerDefinition.Conv2DTranspose(3, 3, Activation.Elu, Padding.Same, stride: 2))
            .AddDecoderLayer(LayerDefinition.Conv2D(3, (1, 2), (1, 1), Padding.Valid, Activation.Sigmoid))
            .WithSeed(12)
            .Build();

    /// <summary>A signal model: windows of 16 steps of 2 channels, 1-D convolutions.</summary>
    private static AutoencoderModel Signal() =>
        new AutoencoderBuilder(channels: 2, height: 1, width: 16)
            .AddEncoderLayer(LayerDefinition.Conv1D(6, 3, Activation.Relu, Padding.Same, stride: 2))
            .WithLatent(LayerDefinition.Conv1D(3, 3, Activation.Identity, Padding.Same))
            .AddDecoderLayer(LayerDefinition.UpSampling2D((1, 2)))
            .AddDecoderLayer(LayerDefinition.Conv1D(2, 5, Activation.Identity, Padding.Same))
            .WithSeed(13)
            .Build();

    public static TheoryData<string, OnnxGraph> Cases()
    {
        var cases = new TheoryData<string, OnnxGraph>();
        foreach (string model in new[] { "keras-blog", "mixed", "signal" })
        {
            foreach (OnnxGraph graph in Enum.GetValues<OnnxGraph>())
            {
                cases.Add(model, graph);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExportOnnx_ConvModel_MatchesOurOutputs(string name, OnnxGraph graph)
    {
        AutoencoderModel model = name switch { "keras-blog" => KerasBlog(), "mixed" => Mixed(), _ => Signal() };
        // A few steps, so batch normalization's running statistics are not their initial values.
        Matrix<float> train = Data(32, model.InputSize, seed: 1, 0, 1);
        model.Fit(train, new TrainingOptions { Epochs = 2, BatchSize = 8, Loss = Loss.MeanSquaredError, Seed = 3 });

        using var stream = new MemoryStream();
        model.ExportOnnx(stream, graph);
        using var session = new InferenceSession(stream.ToArray());
        var (inputName, outputName, width) = graph switch
        {
            OnnxGraph.Encoder => ("input", "code", model.InputSize),
            OnnxGraph.Decoder => ("code", "reconstruction", model.LatentSize),
            _ => ("input", "reconstruction", model.InputSize),
        };

        foreach (int batch in new[] { 1, 7 })
        {
            Matrix<float> x = Data(batch, width, seed: batch, -1, 2);
            Matrix<float> expected = graph switch
            {
                OnnxGraph.Encoder => model.Encode(x),
                OnnxGraph.Decoder => model.Decode(x),
                _ => model.Reconstruct(x),
            };
            float[] actual = Run(session, inputName, outputName, x);
            Assert.Equal(expected.RowCount * expected.ColumnCount, actual.Length);
            for (int r = 0; r < expected.RowCount; r++)
            {
                for (int c = 0; c < expected.ColumnCount; c++)
                {
                    float want = expected[r, c], got = actual[(r * expected.ColumnCount) + c];
                    Assert.True(Math.Abs(want - got) <= Tolerance * Math.Max(1f, Math.Abs(want)), $"{name} {graph}, batch {batch}, row {r}, column {c}: ours {want:R}, ONNX Runtime {got:R}");
                }
            }
        }
    }

    [Fact]
    public void ExportedDetector_OnAConvModel_GivesTheDetectorsScores()
    {
        AutoencoderModel model = KerasBlog();
        Matrix<float> train = Data(64, 784, seed: 2, 0, 1);
        AnomalyDetector detector = AnomalyDetector.Fit(model, train, FeatureScaling.MinMax, new TrainingOptions { Epochs = 1, BatchSize = 32, Loss = Loss.BinaryCrossEntropy, Seed = 1 });
        Matrix<float> x = train.SubMatrix(0, 20, 0, 784);
        float[] expected = detector.Scores(x).ToArray();

        using var stream = new MemoryStream();
        detector.ExportOnnx(stream);
        using var session = new InferenceSession(stream.ToArray());
        float[] actual = Run(session, "input", "score", x);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= Tolerance * Math.Max(1, Math.Abs(expected[i])), $"row {i}: ONNX Runtime {actual[i]}, detector {expected[i]}");
        }
    }

    private static Matrix<float> Data(int rows, int columns, int seed, float low, float high)
    {
        var random = new Random(seed);
        return Matrix<float>.Build.Dense(rows, columns, (_, _) => low + ((float)random.NextDouble() * (high - low)));
    }

    private static float[] Run(InferenceSession session, string inputName, string outputName, Matrix<float> x)
    {
        float[] rowMajor = x.ToRowArrays().SelectMany(r => r).ToArray();
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(rowMajor, [x.RowCount, x.ColumnCount]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, new Dictionary<string, OrtValue> { [inputName] = input }, [outputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}

using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;

namespace Autoencoder.Interop.Tests;

/// <summary>Exported ONNX models run in ONNX Runtime and give our outputs.</summary>
public sealed class OnnxExportTests : IDisposable
{
    /// <summary>
    /// Absolute tolerance, relative above magnitude 1. The two sides differ in summation order
    /// (our blocked GEMM against ONNX Runtime's) and in the transcendental functions' last bits;
    /// our erf (Numerical Recipes, fractional error below 1.2e-7) is the largest of these.
    /// </summary>
    private const float Tolerance = 1e-5f;

    private static readonly int[] BatchSizes = [1, 5, 300];

    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-onnx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A model with <paramref name="activation"/> in every layer and random weights and biases of both signs.</summary>
    private static AutoencoderModel Model(Activation activation, int seed = 3)
    {
        AutoencoderModel model = new AutoencoderBuilder(7).AddEncoderLayer(6, activation).WithLatent(3, activation)
            .WithOutputActivation(activation).WithSeed(seed).Build();
        var random = new Random(seed);
        float[] parameters = model.Network.Parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = (float)(random.NextDouble() * 3 - 1.5);
        }

        return model;
    }

    private static Matrix<float> Data(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        return Matrix<float>.Build.Dense(rows, columns, (_, _) => (float)(random.NextDouble() * 8 - 4));
    }

    public static TheoryData<Activation, OnnxGraph> Cases()
    {
        var data = new TheoryData<Activation, OnnxGraph>();
        foreach (Activation activation in Enum.GetValues<Activation>())
        {
            foreach (OnnxGraph graph in Enum.GetValues<OnnxGraph>())
            {
                data.Add(activation, graph);
            }
        }

        return data;
    }

    public static TheoryData<string, OnnxGraph> VariantCases()
    {
        var data = new TheoryData<string, OnnxGraph>();
        foreach (string variant in new[] { "variational", "tied", "dropout", "batch normalization" })
        {
            foreach (OnnxGraph graph in Enum.GetValues<OnnxGraph>())
            {
                data.Add(variant, graph);
            }
        }

        return data;
    }

    /// <summary>
    /// Variants export as plain dense graphs: a variational model's encoder gives the mean (what
    /// <c>Encode</c> returns), tied layers carry their transposed weights, dropout is absent, and
    /// batch normalization is an inference-mode <c>BatchNormalization</c> node with the running statistics.
    /// </summary>
    [Theory]
    [MemberData(nameof(VariantCases))]
    public void ExportOnnx_Variants_MatchOurOutputs(string variant, OnnxGraph graph)
    {
        var builder = new AutoencoderBuilder(7).WithSeed(4).WithOutputActivation(Activation.Sigmoid);
        AutoencoderModel model = (variant switch
        {
            "variational" => builder.AddEncoderLayer(6, Activation.Tanh).WithVariationalLatent(3),
            "tied" => builder.AddEncoderLayer(6, Activation.Elu).WithLatent(3, Activation.Tanh).WithTiedWeights(),
            "batch normalization" => builder.AddEncoderLayer(6, Activation.Relu, new LayerOptions { BatchNormalization = true, Dropout = 0.2 })
                .WithLatent(3, Activation.Tanh, new LayerOptions { BatchNormalization = true })
                .AddDecoderLayer(5, Activation.Elu, new LayerOptions { BatchNormalization = true }),
            _ => builder.AddEncoderLayer(6, Activation.Relu, new LayerOptions { Dropout = 0.5 }).WithLatent(3),
        }).Build();
        var random = new Random(5);
        float[] parameters = model.Network.Parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = (float)(random.NextDouble() * 2 - 1);
        }

        // Running statistics away from their initial 0 and 1: means in [−1, 1), variances in [0.5, 2.5).
        float[] state = model.Network.State;
        foreach (var norm in model.Network.Layers.OfType<Autoencoder.Layers.BatchNormLayer>())
        {
            for (int j = 0; j < norm.Features; j++)
            {
                state[norm.StateOffset + j] = (float)(random.NextDouble() * 2 - 1);
                state[norm.StateOffset + norm.Features + j] = (float)(0.5 + (random.NextDouble() * 2));
            }
        }

        Assert.Equal(variant == "batch normalization", state.Length > 0);
        CheckAgainstOnnxRuntime(model, graph, variant);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExportOnnx_RunInOnnxRuntime_MatchesOurOutputs(Activation activation, OnnxGraph graph) =>
        CheckAgainstOnnxRuntime(Model(activation), graph, activation.ToString());

    private static void CheckAgainstOnnxRuntime(AutoencoderModel model, OnnxGraph graph, string activation)
    {
        using var stream = new MemoryStream();
        model.ExportOnnx(stream, graph);
        using var session = new InferenceSession(stream.ToArray());

        var (inputName, outputName, inputWidth) = graph switch
        {
            OnnxGraph.Encoder => ("input", "code", model.InputSize),
            OnnxGraph.Decoder => ("code", "reconstruction", model.LatentSize),
            _ => ("input", "reconstruction", model.InputSize),
        };
        Assert.Equal([inputName], session.InputMetadata.Keys);
        Assert.Equal([outputName], session.OutputMetadata.Keys);

        foreach (int batch in BatchSizes)
        {
            Matrix<float> x = Data(batch, inputWidth, seed: batch);
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
                    float want = expected[r, c], got = actual[r * expected.ColumnCount + c];
                    Assert.True(
                        Math.Abs(want - got) <= Tolerance * Math.Max(1f, Math.Abs(want)),
                        $"{activation} {graph}, batch {batch}, row {r}, column {c}: ours {want:R}, ONNX Runtime {got:R}");
                }
            }
        }
    }

    [Fact]
    public void ExportOnnx_MixedActivations_MatchesOurOutputs()
    {
        AutoencoderModel model = new AutoencoderBuilder(9).AddEncoderLayer(8, Activation.Gelu).AddEncoderLayer(6, Activation.LeakyRelu)
            .WithLatent(2, Activation.Tanh).AddDecoderLayer(5, Activation.Elu).AddDecoderLayer(7, Activation.Softplus)
            .WithOutputActivation(Activation.Sigmoid).WithSeed(8).Build();
        var random = new Random(8);
        for (int i = 0; i < model.ParameterCount; i++)
        {
            model.Network.Parameters[i] = (float)(random.NextDouble() - 0.5);
        }

        string path = Path.Combine(_folder, "model.onnx");
        model.ExportOnnx(path);
        using var session = new InferenceSession(path);
        Matrix<float> x = Data(64, 9, seed: 4);
        float[] actual = Run(session, "input", "reconstruction", x);
        float[] expected = model.Reconstruct(x).ToRowArrays().SelectMany(r => r).ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance, $"element {i}: ours {expected[i]:R}, ONNX Runtime {actual[i]:R}");
        }
    }

    [Fact]
    public void ExportOnnx_DescribesItself_DynamicBatchAndProducer()
    {
        AutoencoderModel model = Model(Activation.Relu);
        using var stream = new MemoryStream();
        model.ExportOnnx(stream, OnnxGraph.Autoencoder);
        using var session = new InferenceSession(stream.ToArray());

        NodeMetadata input = session.InputMetadata["input"];
        Assert.Equal([-1, 7], input.Dimensions);
        Assert.Equal("batch", input.SymbolicDimensions[0]);
        Assert.Equal(typeof(float), input.ElementType);
        Assert.Equal([-1, 7], session.OutputMetadata["reconstruction"].Dimensions);
        Assert.Equal("Autoencoder", session.ModelMetadata.ProducerName);
        Assert.Equal("autoencoder_autoencoder", session.ModelMetadata.GraphName);
        Assert.Equal(17, AutoencoderModel.OnnxOpsetVersion);
    }

    [Fact]
    public void ExportOnnx_UndefinedGraph_ThrowsArgumentOutOfRange()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Model(Activation.Relu).ExportOnnx(new MemoryStream(), (OnnxGraph)7));
        Assert.Contains("must be one of Encoder, Decoder, Autoencoder; got 7", e.Message);
    }

    [Fact]
    public void ExportOnnx_ToPath_LeavesNoTemporaryFile()
    {
        string path = Path.Combine(_folder, "encoder.onnx");
        File.WriteAllText(path, "old");
        Model(Activation.Tanh).ExportOnnx(path, OnnxGraph.Encoder);
        using var session = new InferenceSession(path);
        Assert.Equal(["code"], session.OutputMetadata.Keys);
        Assert.Equal([path], Directory.GetFiles(_folder));
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

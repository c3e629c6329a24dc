using Autoencoder.Data;
using Autoencoder.Model;
using Autoencoder.Training;
using Autoencoder.Tests.Training;
using MathNet.Numerics.LinearAlgebra;
using static System.FormattableString;

namespace Autoencoder.Tests.Model;

/// <summary>
/// Inference on MathNet matrices runs a pass of dense layers, batch normalizations and activations
/// feature-major, in the matrices' own layout (<see cref="Network.RunFeatureMajor"/>; the blocks read
/// where they lie, or gathered first from a tall matrix); any other pass transposes each block of rows
/// out of the column-major storage into the row-major pass (<see cref="Network.Run"/>) and the result
/// back, or, when it ends in a dense layer at least as wide as its input, writes the result's columns
/// from that layer's transposed product (<see cref="Network.RunIntoColumns"/>). Every way it must give,
/// bit for bit, what the row-major pass gives on the same rows copied out (blocks of two rows or more),
/// for every layer kind and graph.
/// </summary>
[Collection(nameof(GlobalSettingsCollection))]
public class MatrixInferenceTests
{
    public static TheoryData<string> ModelNames() => new(Models.Keys);

    /// <summary>
    /// Every model at 200 rows and at 1,100 rows: a feature-major pass reads the first's blocks where
    /// they lie and gathers the second's (more than <see cref="BatchInference.FeatureMajorCopyRows"/>
    /// rows); a row-major pass ending in a wide dense layer transposes the first's blocks back (too
    /// small to write columns) and writes the second's columns (blocks of at least <see cref="BatchInference.MinColumnBlockRows"/>).
    /// </summary>
    public static TheoryData<string, int> ModelsAndRows()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in Models.Keys)
        {
            data.Add(name, 200);
            data.Add(name, 1100);
        }

        return data;
    }

    private static readonly Dictionary<string, Func<AutoencoderBuilder>> Models = new()
    {
        ["relu, sigmoid output"] = () => new AutoencoderBuilder(37).AddEncoderLayer(19).WithLatent(5, Activation.Relu).WithOutputActivation(Activation.Sigmoid),
        ["every activation"] = () => new AutoencoderBuilder(11).AddEncoderLayer(9, Activation.Gelu).AddEncoderLayer(8, Activation.Elu).AddEncoderLayer(7, Activation.LeakyRelu)
            .WithLatent(6, Activation.Tanh).AddDecoderLayer(7, Activation.Softplus).AddDecoderLayer(8, Activation.Identity).WithOutputActivation(Activation.Sigmoid),
        ["tied"] = () => new AutoencoderBuilder(23).AddEncoderLayer(13, Activation.Tanh).WithLatent(4).WithTiedWeights(),
        ["variational"] = () => new AutoencoderBuilder(17).AddEncoderLayer(9).WithVariationalLatent(3).WithOutputActivation(Activation.Sigmoid),
        ["dropout and batch normalization"] = () => new AutoencoderBuilder(15)
            .AddEncoderLayer(10, Activation.Relu, new LayerOptions { BatchNormalization = true, Dropout = 0.3 })
            .WithLatent(4, Activation.Tanh, new LayerOptions { BatchNormalization = true, Dropout = 0.1 })
            .AddDecoderLayer(10, Activation.Elu, new LayerOptions { BatchNormalization = true }),
        ["deep enough for two depth blocks"] = () => new AutoencoderBuilder(700).AddEncoderLayer(600).WithLatent(8, Activation.Relu).WithOutputActivation(Activation.Sigmoid),
    };

    /// <summary>The row-major pass over layers <c>[first, end)</c> on the rows of <paramref name="x"/>, in blocks of the network's size.</summary>
    private static float[] RowMajorPass(Network network, int first, int end, Matrix<float> x, int width, bool fullHead = false)
    {
        int rows = x.RowCount, block = network.InferenceBlockRows;
        float[] input = RowMajor.ToArray(x);
        var output = new float[rows * width];
        for (int start = 0; start < rows; start += block)
        {
            int count = Math.Min(block, rows - start);
            Assert.True(count >= 2, "a one-row block takes the one-row product, whose sums are chained differently");
            network.Run(first, end, input.AsSpan(start * x.ColumnCount, count * x.ColumnCount), count, output.AsSpan(start * width, count * width), fullHead: fullHead);
        }

        return output;
    }

    private static void AssertSameBits(float[] rowMajor, Matrix<float> actual, string what)
    {
        float[] expected = rowMajor;
        float[] got = RowMajor.ToArray(actual);
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(got[i]),
                $"{what}: row {i / actual.ColumnCount}, column {i % actual.ColumnCount}: row-major {expected[i]:R}, matrix call {got[i]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(ModelsAndRows))]
    public void MatrixInference_GivesTheRowMajorPassBitForBit(string name, int rows)
    {
        // Two threads, whatever the machine: the blocks' sizes, and so the path each case takes, depend on it.
        int saved = Parallelism.MaxDegreeOfParallelism;
        Parallelism.MaxDegreeOfParallelism = 2;
        try
        {
            CheckMatrixCallsAgainstTheRowMajorPass(name, rows);
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    private static void CheckMatrixCallsAgainstTheRowMajorPass(string name, int rows)
    {
        AutoencoderModel model = Models[name]().WithSeed(5).Build();
        Network network = model.Network;
        var random = new Random(7);
        RowBatchModels.Randomize(network, random); // the same generator then draws the inputs

        // Every model here runs its decoder feature-major, and its whole pass too unless it has a
        // variational head; that pass ends in a dense layer at least as wide as its input, which the
        // 1,100-row case writes into the result's columns.
        Assert.True(network.RunsFeatureMajor(network.EncoderEnd, network.Layers.Count));
        Assert.Equal(!network.IsVariational, network.RunsFeatureMajor(0, network.Layers.Count));
        Assert.True(rows <= BatchInference.FeatureMajorCopyRows == (rows == 200), Invariant($"{rows} rows do not exercise the feature-major path this case is for"));
        Assert.NotNull(network.ColumnOutputLayer(network.EncoderEnd, network.Layers.Count));
        int block = BatchInference.MatrixBlockRows(network, rows, intoColumns: true);
        Assert.True(
            rows == 200 ? block < BatchInference.MinColumnBlockRows : block >= BatchInference.MinColumnBlockRows,
            Invariant($"{rows} rows run in blocks of {block}, which does not exercise the row-major path this case is for"));
        Matrix<float> x = Matrix<float>.Build.Dense(rows, model.InputSize, (_, _) => (float)random.NextDouble());
        Matrix<float> codes = Matrix<float>.Build.Dense(rows, model.LatentSize, (_, _) => (float)((random.NextDouble() * 2) - 1));
        int layers = network.Layers.Count;

        AssertSameBits(RowMajorPass(network, 0, layers, x, model.InputSize), model.Reconstruct(x), "Reconstruct");
        AssertSameBits(RowMajorPass(network, 0, network.EncoderEnd, x, model.LatentSize), model.Encode(x), "Encode");
        AssertSameBits(RowMajorPass(network, network.EncoderEnd, layers, codes, model.InputSize), model.Decode(codes), "Decode");
        for (int l = 0; l < model.Layers.Count; l++)
        {
            int units = model.Layers[l].Units;
            AssertSameBits(RowMajorPass(network, 0, network.LayerEnds[l], x, units, fullHead: true), model.Features(x, l), $"Features({l})");
        }
    }

    [Fact]
    public void MatrixInference_ARowGivesTheSameBitsWhateverBlockItFallsIn()
    {
        // 784 features: past one depth block of the product, where the sums' order would show.
        AutoencoderModel model = new AutoencoderBuilder(784).AddEncoderLayer(128).WithLatent(32, Activation.Relu).WithOutputActivation(Activation.Sigmoid).WithSeed(6).Build();
        Matrix<float> x = TestData.Matrix(300, 784, seed: 8);
        Matrix<float> all = model.Reconstruct(x);
        Matrix<float> tail = model.Reconstruct(x.SubMatrix(255, 45, 0, 784)); // rows 255 and 256 now in the first block, not the first and the second
        Assert.Equal(all.Row(255).ToArray(), tail.Row(0).ToArray());
        Assert.Equal(all.Row(256).ToArray(), tail.Row(1).ToArray());
        Assert.Equal(all.Row(299).ToArray(), model.Reconstruct(x.SubMatrix(298, 2, 0, 784)).Row(1).ToArray());
    }

    [Fact]
    public void MatrixInference_OfOneRow_GivesWhatTheSpanOverloadsGive()
    {
        AutoencoderModel model = new AutoencoderBuilder(784).AddEncoderLayer(128).WithLatent(32, Activation.Relu).WithOutputActivation(Activation.Sigmoid).WithSeed(7).Build();
        Matrix<float> row = TestData.Matrix(1, 784, seed: 9);
        float[] sample = row.Row(0).ToArray();
        var reconstruction = new float[784];
        var code = new float[32];
        model.Reconstruct(sample, reconstruction);
        model.Encode(sample, code);
        Assert.Equal(reconstruction, model.Reconstruct(row).Row(0).ToArray());
        Assert.Equal(code, model.Encode(row).Row(0).ToArray());
    }
}

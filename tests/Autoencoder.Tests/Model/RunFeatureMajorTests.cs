using Autoencoder.Kernels;
using Autoencoder.Layers;
using Autoencoder.Model;
using Autoencoder.Tests.Training;
using static System.FormattableString;

namespace Autoencoder.Tests.Model;

/// <summary>
/// <see cref="Network.RunFeatureMajor"/> runs a block of samples stored feature-major (feature i's
/// values together, as in a MathNet matrix) through the layers in that layout and writes the output
/// feature-major: every value must have the bits <see cref="Network.Run"/> gives it on the same
/// samples row-major, no value outside the block's cells may change, and passes it cannot run are
/// recognised (<see cref="Network.RunsFeatureMajor"/>) and refused with a message.
/// </summary>
[Collection(nameof(GlobalSettingsCollection))] // one test forces the product's instruction path, a process-wide setting
public class RunFeatureMajorTests
{
    private const float Sentinel = -12345f;

    public static TheoryData<string> Passes() => new(
    [
        "whole model", "encoder", "tied decoder", "every activation", "batch normalization and dropout",
        "variational decoder", "deep enough for two depth blocks", "dropout only",
        "ends in batch normalization", "ends in an activation layer",
    ]);

    /// <summary>A model, and the layers <c>[first, end)</c> of the pass under test.</summary>
    private static (Network Network, int First, int End) Pass(string name)
    {
        AutoencoderModel model = name switch
        {
            "whole model" or "encoder" => new AutoencoderBuilder(37).AddEncoderLayer(19).WithLatent(5, Activation.Relu).WithOutputActivation(Activation.Sigmoid).WithSeed(3).Build(),
            "tied decoder" => new AutoencoderBuilder(23).AddEncoderLayer(13, Activation.Tanh).WithLatent(4).WithTiedWeights().WithSeed(4).Build(),
            "every activation" => new AutoencoderBuilder(11).AddEncoderLayer(9, Activation.Gelu).AddEncoderLayer(8, Activation.Elu).AddEncoderLayer(7, Activation.LeakyRelu)
                .WithLatent(6, Activation.Tanh).AddDecoderLayer(7, Activation.Softplus).AddDecoderLayer(8, Activation.Identity).WithOutputActivation(Activation.Sigmoid).WithSeed(5).Build(),
            "batch normalization and dropout" or "ends in batch normalization" or "ends in an activation layer" => new AutoencoderBuilder(15)
                .AddEncoderLayer(10, Activation.Relu, new LayerOptions { BatchNormalization = true, Dropout = 0.3 })
                .WithLatent(4, Activation.Tanh, new LayerOptions { BatchNormalization = true, Dropout = 0.1 })
                .AddDecoderLayer(10, Activation.Elu, new LayerOptions { BatchNormalization = true }).WithSeed(6).Build(),
            "variational decoder" => new AutoencoderBuilder(17).AddEncoderLayer(9).WithVariationalLatent(3).WithOutputActivation(Activation.Sigmoid).WithSeed(7).Build(),
            "deep enough for two depth blocks" => new AutoencoderBuilder(300).WithLatent(280, Activation.Relu).WithOutputActivation(Activation.Sigmoid).WithSeed(8).Build(),
            "dropout only" => new AutoencoderBuilder(4).WithLatent(9, Activation.Elu, new LayerOptions { Dropout = 0.25 }).WithSeed(9).Build(),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        Network network = model.Network;
        RowBatchModels.Randomize(network, new Random(name.Length)); // parameters, then the running statistics

        return name switch
        {
            "whole model" or "batch normalization and dropout" or "every activation" => (network, 0, network.Layers.Count),
            "encoder" => (network, 0, network.EncoderEnd),
            "dropout only" => (network, network.EncoderEnd - 1, network.EncoderEnd), // the dropout after the code: nothing computes
            "ends in batch normalization" => (network, 0, IndexOf<BatchNormLayer>(network) + 1),
            "ends in an activation layer" => (network, 0, IndexOf<BatchNormLayer>(network) + 2), // the activation that follows it
            _ => (network, network.EncoderEnd, network.Layers.Count),
        };
    }

    private static int IndexOf<TLayer>(Network network) =>
        network.Layers.Select((layer, index) => (layer, index)).First(p => p.layer is TLayer).index;

    [Theory]
    [MemberData(nameof(Passes))]
    public void RunFeatureMajor_GivesRunsBits_InTheBlocksCellsOnly(string name)
    {
        (Network network, int first, int end) = Pass(name);
        Assert.True(network.RunsFeatureMajor(first, end));
        if (name.StartsWith("ends in", StringComparison.Ordinal))
        {
            Assert.IsType(name == "ends in batch normalization" ? typeof(BatchNormLayer) : typeof(ActivationLayer), network.Layers[end - 1]);
        }

        int inputWidth = network.Layers[first].InputShape.Size, width = network.Layers[end - 1].OutputSize;
        foreach (int rows in (int[])[2, 37, 130])
        {
            float[] x = TestData.Uniform(rows * inputWidth, seed: rows);
            var expected = new float[rows * width];
            network.Run(first, end, x, rows, expected);

            // The input block sits at offset 2 of columns 3 values longer than the block, the output
            // block at offset 3 of columns 5 longer, as rows of taller matrices would.
            int xStride = rows + 3, xOffset = 2;
            var input = new float[(inputWidth * xStride) + 1];
            Array.Fill(input, float.NaN); // a value read from outside the block would show
            for (int r = 0; r < rows; r++)
            {
                for (int i = 0; i < inputWidth; i++)
                {
                    input[xOffset + (i * xStride) + r] = x[(r * inputWidth) + i];
                }
            }

            int stride = rows + 5, offset = 3;
            var storage = new float[(width * stride) + 7];
            Array.Fill(storage, Sentinel);
            network.RunFeatureMajor(first, end, input.AsSpan(xOffset), xStride, rows, storage.AsSpan(offset), stride);
            for (int i = 0; i < storage.Length; i++)
            {
                int j = (i - offset) / stride, r = (i - offset) % stride;
                bool inBlock = i >= offset && j < width && r < rows;
                float want = inBlock ? expected[(r * width) + j] : Sentinel;
                Assert.True(
                    BitConverter.SingleToInt32Bits(want) == BitConverter.SingleToInt32Bits(storage[i]),
                    Invariant($"{name}, {rows} rows: storage[{i}] (unit {j}, row {r}) is {storage[i]:R}; expected {want:R}"));
            }

            // The last layer's pre-activation, unit j's at j·rows, as Run gives it row-major.
            var expectedLogits = new float[rows * width];
            network.Run(first, end, x, rows, new float[rows * width], expectedLogits);
            var logits = new float[rows * width];
            network.RunFeatureMajor(first, end, input.AsSpan(xOffset), xStride, rows, storage.AsSpan(offset), stride, logits);
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < width; j++)
                {
                    float want = expectedLogits[(r * width) + j], got = logits[(j * rows) + r];
                    Assert.True(
                        BitConverter.SingleToInt32Bits(want) == BitConverter.SingleToInt32Bits(got),
                        Invariant($"{name}, {rows} rows: pre-activation of unit {j}, row {r} is {got:R}; expected {want:R}"));
                }
            }
        }
    }

    /// <summary>The other product paths and vector widths give the same bits as the default row-major pass.</summary>
    [Theory]
    [InlineData("Vector256", 256)]
    [InlineData("Scalar", 0)]
    public void RunFeatureMajor_OnTheLowerPaths_GivesTheDefaultRunsBits(string pathName, int vectorWidth)
    {
        GemmPath path = Enum.Parse<GemmPath>(pathName);
        foreach (string name in (string[])["whole model", "batch normalization and dropout", "tied decoder", "deep enough for two depth blocks"])
        {
            (Network network, int first, int end) = Pass(name);
            int inputWidth = network.Layers[first].InputShape.Size, width = network.Layers[end - 1].OutputSize;
            const int rows = 37;
            float[] x = TestData.Uniform(rows * inputWidth, seed: 11);
            var expected = new float[rows * width];
            network.Run(first, end, x, rows, expected);
            var columns = new float[rows * inputWidth];
            for (int r = 0; r < rows; r++)
            {
                for (int i = 0; i < inputWidth; i++)
                {
                    columns[(i * rows) + r] = x[(r * inputWidth) + i];
                }
            }

            var actual = new float[rows * width];
            if (!Gemm.IsSupported(path))
            {
                continue; // a processor without it (the scalar path is always there)
            }

            GemmPath saved = Gemm.ForcedPath;
            Gemm.ForcedPath = path;
            try
            {
                Autoencoder.Tests.Kernels.KernelCheck.OnPath(vectorWidth, () => network.RunFeatureMajor(first, end, columns, rows, rows, actual, rows));
            }
            finally
            {
                Gemm.ForcedPath = saved;
            }

            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < width; j++)
                {
                    Assert.True(
                        BitConverter.SingleToInt32Bits(expected[(r * width) + j]) == BitConverter.SingleToInt32Bits(actual[(j * rows) + r]),
                        Invariant($"{name} on {pathName}, {vectorWidth}-bit vectors: unit {j}, row {r} is {actual[(j * rows) + r]:R}; expected {expected[(r * width) + j]:R}"));
                }
            }
        }
    }

    [Fact]
    public void RunsFeatureMajor_RefusesVariationalHeadsOneUnitLayersAndImages()
    {
        Network variational = new AutoencoderBuilder(12).AddEncoderLayer(6).WithVariationalLatent(3).WithSeed(1).Build().Network;
        Assert.False(variational.RunsFeatureMajor(0, variational.EncoderEnd)); // the head samples
        Assert.False(variational.RunsFeatureMajor(0, variational.Layers.Count));
        Assert.True(variational.RunsFeatureMajor(0, 1)); // its first dense layer alone

        Network oneUnit = new AutoencoderBuilder(5).WithLatent(1).WithSeed(1).Build().Network;
        Assert.False(oneUnit.RunsFeatureMajor(0, oneUnit.EncoderEnd)); // 5 → 1: a one-row transposed product
        Assert.True(oneUnit.RunsFeatureMajor(oneUnit.EncoderEnd, oneUnit.Layers.Count)); // 1 → 5

        Network images = ConvModels.EveryKind(seed: 1).Build().Network;
        Assert.False(images.RunsFeatureMajor(0, images.Layers.Count));
        Assert.False(images.RunsFeatureMajor(0, 2)); // the convolution and its per-channel batch normalization
    }

    [Fact]
    public void RunFeatureMajor_RefusesWhatItCannotRun()
    {
        (Network network, int first, int end) = Pass("whole model");
        Network variational = new AutoencoderBuilder(12).AddEncoderLayer(6).WithVariationalLatent(3).WithSeed(1).Build().Network;
        var storage = new float[37 * 4];
        float[] x = TestData.Uniform(37 * 4, seed: 1);

        var head = Assert.Throws<InvalidOperationException>(() => variational.RunFeatureMajor(0, variational.EncoderEnd, x, 4, 4, storage, 4));
        Assert.Contains(Invariant($"Layers [0, {variational.EncoderEnd}) include a layer that cannot run feature-major"), head.Message);

        var one = Assert.Throws<ArgumentOutOfRangeException>(() => network.RunFeatureMajor(first, end, x, 4, 1, storage, 4));
        Assert.Contains("runs 2 to 256 rows for this network; got 1", one.Message);

        var shortInput = Assert.Throws<ArgumentException>(() => network.RunFeatureMajor(first, end, x.AsSpan(1), 4, 4, storage, 4));
        Assert.Contains("x must hold 37 runs of 4 values at a stride of 4, 148 values; got 147.", shortInput.Message);

        var shortStorage = Assert.Throws<ArgumentException>(() => network.RunFeatureMajor(first, end, x, 4, 4, new float[(36 * 4) + 3], 4));
        Assert.Contains("destination must hold 37 runs of 4 values at a stride of 4, 148 values; got 147.", shortStorage.Message);
        Assert.Equal("destination", shortStorage.ParamName);

        var shortStride = Assert.Throws<ArgumentOutOfRangeException>(() => network.RunFeatureMajor(first, end, x, 3, 4, storage, 4));
        Assert.Contains("x: runs of 4 values need a stride of at least 4; got 3.", shortStride.Message);
        Assert.Equal("x", shortStride.ParamName);

        var shortLogits = Assert.Throws<ArgumentException>(() => network.RunFeatureMajor(first, end, x, 4, 4, storage, 4, new float[147]));
        Assert.Contains("lastLogits must hold 37 runs of 4 values at a stride of 4, 148 values; got 147.", shortLogits.Message);
    }
}

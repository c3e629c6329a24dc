using Autoencoder.Model;
using static System.FormattableString;

namespace Autoencoder.Tests.Model;

/// <summary>
/// <see cref="Network.RunIntoColumns"/> writes a pass's output into column-major storage (value j of
/// row r at <c>j·stride + r</c>) through the last layer's transposed product: every value must have
/// the bits <see cref="Network.Run"/> gives it, no value outside the block's cells may change, and
/// passes it cannot run are refused with a message.
/// </summary>
public class RunIntoColumnsTests
{
    private const float Sentinel = -12345f;

    public static TheoryData<string> Passes() => new(["decoder", "tied decoder", "wide code with dropout after it", "deep decoder"]);

    /// <summary>A model, and the layers <c>[first, end)</c> of the pass under test.</summary>
    private static (Network Network, int First, int End) Pass(string name)
    {
        AutoencoderModel model = name switch
        {
            "decoder" => new AutoencoderBuilder(37).AddEncoderLayer(19).WithLatent(5, Activation.Relu).WithOutputActivation(Activation.Sigmoid).WithSeed(3).Build(),
            "tied decoder" => new AutoencoderBuilder(23).AddEncoderLayer(13, Activation.Tanh).WithLatent(4).WithTiedWeights().WithSeed(4).Build(),
            "wide code with dropout after it" => new AutoencoderBuilder(4).WithLatent(9, Activation.Elu, new LayerOptions { Dropout = 0.25 }).WithSeed(5).Build(),
            "deep decoder" => new AutoencoderBuilder(300).WithLatent(280, Activation.Relu).WithOutputActivation(Activation.Sigmoid).WithSeed(6).Build(),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        Network network = model.Network;
        RowBatchModels.Randomize(network, new Random(name.Length)); // these models have no state

        return name == "wide code with dropout after it" ? (network, 0, network.EncoderEnd) : (network, network.EncoderEnd, network.Layers.Count);
    }

    [Theory]
    [MemberData(nameof(Passes))]
    public void RunIntoColumns_GivesRunsBits_InTheBlocksCellsOnly(string name)
    {
        (Network network, int first, int end) = Pass(name);
        Assert.NotNull(network.ColumnOutputLayer(first, end));
        int inputWidth = network.Layers[first].InputShape.Size, width = network.Layers[end - 1].OutputSize;
        foreach (int rows in (int[])[2, 37, 130])
        {
            float[] x = TestData.Uniform(rows * inputWidth, seed: rows);
            var expected = new float[rows * width];
            network.Run(first, end, x, rows, expected);

            // The block's rows sit at offset 3 of columns 5 values longer than the block, as rows
            // 3 to rows + 2 of a matrix with rows + 5 rows would.
            int stride = rows + 5, offset = 3;
            var storage = new float[(width * stride) + 7];
            Array.Fill(storage, Sentinel);
            network.RunIntoColumns(first, end, x, rows, storage.AsSpan(offset), stride);
            for (int i = 0; i < storage.Length; i++)
            {
                int j = (i - offset) / stride, r = (i - offset) % stride;
                bool inBlock = i >= offset && j < width && r < rows;
                float want = inBlock ? expected[(r * width) + j] : Sentinel;
                Assert.True(
                    BitConverter.SingleToInt32Bits(want) == BitConverter.SingleToInt32Bits(storage[i]),
                    Invariant($"{name}, {rows} rows: storage[{i}] (unit {j}, row {r}) is {storage[i]:R}; expected {want:R}"));
            }
        }
    }

    [Fact]
    public void ColumnOutputLayer_RefusesNarrowLastLayersAndVariationalHeads()
    {
        (Network plain, _, _) = Pass("decoder");
        Assert.Null(plain.ColumnOutputLayer(0, plain.EncoderEnd)); // 19 → 5: the code is narrower than its input
        Network wideHead = new AutoencoderBuilder(4).WithVariationalLatent(6).WithSeed(1).Build().Network;
        Assert.Null(wideHead.ColumnOutputLayer(0, wideHead.EncoderEnd)); // 4 → 6, but a variational head
        Network variational = new AutoencoderBuilder(12).WithVariationalLatent(3).WithSeed(1).Build().Network;
        Assert.NotNull(variational.ColumnOutputLayer(variational.EncoderEnd, variational.Layers.Count)); // its decoder, 3 → 12
    }

    [Fact]
    public void RunIntoColumns_RefusesWhatItCannotRun()
    {
        (Network network, int first, int end) = Pass("decoder");
        float[] x = TestData.Uniform(4 * 5, seed: 1);
        var storage = new float[37 * 4];

        var narrow = Assert.Throws<InvalidOperationException>(() => network.RunIntoColumns(0, network.EncoderEnd, TestData.Uniform(4 * 37, seed: 2), 4, storage, 4));
        Assert.Contains(Invariant($"Layers [0, {network.EncoderEnd}) do not end in a dense layer that writes columns"), narrow.Message);

        var one = Assert.Throws<ArgumentOutOfRangeException>(() => network.RunIntoColumns(first, end, x, 1, storage, 4));
        Assert.Contains("runs 2 to 256 rows for this network; got 1", one.Message);

        var shortStorage = Assert.Throws<ArgumentException>(() => network.RunIntoColumns(first, end, x, 4, new float[(36 * 4) + 3], 4));
        Assert.Contains("need 148 values for 37 units; got stride 4 and 147 values", shortStorage.Message);

        var shortStride = Assert.Throws<ArgumentException>(() => network.RunIntoColumns(first, end, x, 4, storage, 3));
        Assert.Contains("at a stride of at least 4", shortStride.Message);
    }
}

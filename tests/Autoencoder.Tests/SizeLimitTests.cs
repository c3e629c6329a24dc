using Autoencoder.Model;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests;

/// <summary>
/// Sizes are checked before anything is allocated: what cannot fit one array is an argument error
/// naming the limit, and inference scratch is bounded by bytes, not rows.
/// </summary>
public class SizeLimitTests
{
    [Fact]
    public void Build_LayersBeyondOneArray_ThrowsArgumentExceptionWithTheCount()
    {
        var e = Assert.Throws<ArgumentException>(() => new AutoencoderBuilder(100_000).WithLatent(100_000).Build());
        Assert.Contains("20,000,200,000 weights and biases", e.Message);
        Assert.Contains(Array.MaxLength.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }

    [Theory]
    [InlineData(10_000_000)]
    [InlineData(16_777_217)] // where rows × width used to wrap around in int arithmetic
    public void Reconstruct_VeryWideLayer_RunsInOneRowBlocksAndMatchesSingleRows(int units)
    {
        AutoencoderModel model = new AutoencoderBuilder(1).WithLatent(units, Activation.Relu).WithSeed(2).Build();
        Network network = model.Network;
        Assert.Equal(1, network.InferenceBlockRows);

        // Blocks of one row: the matrix call runs each row as the single-row call does, bit for bit.
        Matrix<float> x = Matrix<float>.Build.Dense(3, 1, [0.5f, -1f, 2f]);
        Matrix<float> batch = model.Reconstruct(x);
        var one = new float[1];
        for (int r = 0; r < 3; r++)
        {
            model.Reconstruct([x[r, 0]], one);
            Assert.True(BitConverter.SingleToInt32Bits(one[0]) == BitConverter.SingleToInt32Bits(batch[r, 0]), $"row {r}: matrix {batch[r, 0]:R}, single row {one[0]:R}");
        }
    }

    [Fact]
    public void InferenceBlockRows_BoundsScratchByBytes()
    {
        foreach (int width in new[] { 1, 784, 4096, 16_384, 16_385, 100_000, 5_000_000 })
        {
            Network network = new AutoencoderBuilder(width).WithLatent(1).WithSeed(1).Build().Network;
            long scratch = (long)network.InferenceBlockRows * network.MaxWidth;
            Assert.True(
                scratch <= Math.Max(Network.InferenceScratchFloats, network.MaxWidth),
                $"width {width}: {network.InferenceBlockRows} rows × {network.MaxWidth} = {scratch} floats");
            Assert.InRange(network.InferenceBlockRows, 1, Network.MaxInferenceBlockRows);
        }

        // The reference models keep full blocks.
        Assert.Equal(256, new AutoencoderBuilder(784).AddEncoderLayer(1000).WithLatent(30).Build().Network.InferenceBlockRows);
    }

    [Fact]
    public void Encode_ResultBeyondOneArray_ThrowsBeforeAllocating()
    {
        // 3,000,000 codes of 1000 values: 3e9 floats, more than one array holds.
        AutoencoderModel model = new AutoencoderBuilder(1).WithLatent(1000).WithSeed(3).Build();
        Matrix<float> x = Matrix<float>.Build.Dense(3_000_000, 1);
        var e = Assert.Throws<ArgumentException>(() => model.Encode(x));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("3000000 rows", e.Message);
        Assert.Contains($"at most {Array.MaxLength / 1000} rows", e.Message);
    }

    [Fact]
    public void Fit_BatchTimesWidestLayerBeyondOneArray_ThrowsNamingTheBatchSize()
    {
        AutoencoderModel model = new AutoencoderBuilder(1).WithLatent(30_000).WithSeed(4).Build();
        Matrix<float> x = TestData.Matrix(100_000, 1, seed: 5);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Fit(x, new TrainingOptions { Epochs = 1, BatchSize = 100_000 }));
        Assert.Equal("options.BatchSize", e.ParamName);
        Assert.Contains($"at most {Array.MaxLength / 30_000}", e.Message);
    }
}

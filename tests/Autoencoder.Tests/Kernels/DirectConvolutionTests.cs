using System.Globalization;
using Autoencoder.Kernels;
using Autoencoder.Tests.Training;

namespace Autoencoder.Tests.Kernels;

/// <summary>
/// The direct convolution kernels (DirectConvolution.cs, .Weights.cs, .Adjoint.cs) against their
/// scalar twins (DirectConvolution.Reference.cs) bit for bit at every register width and on one
/// thread or two, and the twins against the double-precision definition through the column matrix
/// (im2col), at odd sizes, kernels larger than the image, both paddings, strides 1 and 2 and
/// channel counts that leave every lane tail.
/// </summary>
[Collection(nameof(GlobalSettingsCollection))]
public class DirectConvolutionTests
{
    /// <summary>Image height, width and channels, kernel height and width, stride, padding, filters.</summary>
    public static TheoryData<string> Cases() => new()
    {
        "1 1 1 1 1 1 same 1",
        "1 1 3 3 3 1 same 5",
        "3 5 1 2 3 1 valid 16",
        "3 5 3 3 3 1 same 17",
        "3 5 2 5 5 1 same 20",
        "7 7 3 3 3 2 same 8",
        "7 7 16 3 3 1 same 1",
        "7 7 20 3 3 1 valid 3",
        "7 7 8 2 2 2 valid 16",
        "4 9 17 3 2 1 same 4",
        "28 28 1 3 3 1 same 16",
        "14 14 16 3 3 1 same 8",
        "16 16 8 3 3 1 valid 16",
        "28 28 16 3 3 1 same 1",
        "9 20 3 3 3 1 valid 1",
        "5 40 2 2 3 1 same 1",
        "7 9 2 3 3 2 same 1",
        "3 30 1 5 5 1 same 1",
    };

    private static readonly int[] Widths = [16, 8, 4, 1];

    private static (ConvGeometry Geometry, int Filters) Parse(string spec)
    {
        string[] v = spec.Split(' ');
        int I(int i) => int.Parse(v[i], CultureInfo.InvariantCulture);
        var padding = v[6] == "same" ? Padding.Same : Padding.Valid;
        return (ConvGeometry.ForConvolution("test", I(0), I(1), I(2), I(3), I(4), I(5), I(5), padding), I(7));
    }

    private static int BatchOf(ConvGeometry g) => g.InputPixels >= 196 ? 3 : 4;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_MatchesItsReferenceBitForBit_AtEveryWidth_WithAndWithoutBias(string spec)
    {
        var (g, filters) = Parse(spec);
        int batch = BatchOf(g);
        float[] x = TestData.Uniform(batch * g.InputSize, seed: 51);
        float[] w = TestData.Uniform(g.ColumnWidth * filters, seed: 52);
        float[] b = TestData.Uniform(filters, seed: 53);
        foreach (bool withBias in new[] { true, false })
        {
            float[] bias = withBias ? b : [];
            var expected = new float[batch * g.OutputPixels * filters];
            DirectConvolution.ForwardReference(g, filters, x, batch, w, bias, expected);
            foreach (int width in Widths)
            {
                var actual = Enumerable.Repeat(float.NaN, expected.Length).ToArray();
                DirectConvolution.Forward(g, filters, x, batch, w, bias, actual, width);
                AssertBits(expected, actual, $"{spec}, bias {withBias}, width {width}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardReference_AgreesWithTheDefinitionInDouble(string spec)
    {
        var (g, filters) = Parse(spec);
        int batch = BatchOf(g);
        float[] x = TestData.Uniform(batch * g.InputSize, seed: 54);
        float[] w = TestData.Uniform(g.ColumnWidth * filters, seed: 55);
        float[] b = TestData.Uniform(filters, seed: 56);
        var actual = new float[batch * g.OutputPixels * filters];
        DirectConvolution.ForwardReference(g, filters, x, batch, w, b, actual);

        double[] expected = ColumnsTimes(g, x, batch, w, filters);
        for (int i = 0; i < actual.Length; i++)
        {
            expected[i] += b[i % filters];
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"{spec}: output {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Weights_MatchesItsReferenceBitForBit_AtEveryWidth_AndAgreesWithTheDefinition(string spec)
    {
        var (g, filters) = Parse(spec);
        int batch = BatchOf(g);
        float[] x = TestData.Uniform(batch * g.InputSize, seed: 57);
        float[] dz = TestData.Uniform(batch * g.OutputPixels * filters, seed: 58);
        var expected = new float[g.ColumnWidth * filters];
        DirectConvolution.WeightsReference(g, filters, x, batch, dz, expected);
        foreach (int width in Widths)
        {
            var actual = Enumerable.Repeat(float.NaN, expected.Length).ToArray();
            DirectConvolution.Weights(g, filters, x, batch, dz, actual, width);
            AssertBits(expected, actual, $"{spec}, width {width}");
        }

        // dW = colsᵀ·dZ in double.
        var cols = new float[batch * g.OutputPixels * g.ColumnWidth];
        Im2Col.GatherReference(g, x, batch, cols);
        for (int k = 0; k < g.ColumnWidth; k++)
        {
            for (int f = 0; f < filters; f++)
            {
                double sum = 0;
                for (int p = 0; p < batch * g.OutputPixels; p++)
                {
                    sum += (double)cols[(p * g.ColumnWidth) + k] * dz[(p * filters) + f];
                }

                float got = expected[(k * filters) + f];
                Assert.True(Math.Abs(sum - got) <= 1e-5 * (1 + Math.Abs(sum)) * Math.Sqrt(batch * g.OutputPixels), $"{spec}: weight {k}, {f}: expected {sum:R}, got {got:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AdjointOfTheFlippedKernel_IsTheInputGradient(string spec)
    {
        var (g, filters) = Parse(spec);
        if (g.StrideHeight != 1)
        {
            Assert.False(DirectConvolution.Supports(g, filters)); // strided layers train through the column matrix
            return;
        }

        int batch = BatchOf(g);
        float[] w = TestData.Uniform(g.ColumnWidth * filters, seed: 59);
        float[] dz = TestData.Uniform(batch * g.OutputPixels * filters, seed: 60);
        var flipped = new float[w.Length];
        DirectConvolution.FlipKernel(g, filters, w, flipped);
        ConvGeometry adjoint = DirectConvolution.AdjointGeometry(g, filters);
        Assert.Equal((g.InputHeight, g.InputWidth, g.Channels), (adjoint.OutputHeight, adjoint.OutputWidth, adjoint.Channels == filters ? g.Channels : -1));
        var dx = new float[batch * g.InputSize];
        DirectConvolution.Forward(adjoint, g.Channels, dz, batch, flipped, default, dx);

        // dX = col2im(dZ·Wᵀ) in double.
        var expected = new double[dx.Length];
        for (int p = 0; p < batch * g.OutputPixels; p++)
        {
            int n = p / g.OutputPixels, oy = (p % g.OutputPixels) / g.OutputWidth, ox = p % g.OutputWidth;
            for (int ky = 0; ky < g.KernelHeight; ky++)
            {
                for (int kx = 0; kx < g.KernelWidth; kx++)
                {
                    int iy = oy - g.PadTop + ky, ix = ox - g.PadLeft + kx;
                    if (iy < 0 || iy >= g.InputHeight || ix < 0 || ix >= g.InputWidth)
                    {
                        continue;
                    }

                    for (int c = 0; c < g.Channels; c++)
                    {
                        double sum = 0;
                        for (int f = 0; f < filters; f++)
                        {
                            sum += (double)dz[(p * filters) + f] * w[((((ky * g.KernelWidth) + kx) * g.Channels) + c) * filters + f];
                        }

                        expected[(n * g.InputSize) + (((iy * g.InputWidth) + ix) * g.Channels) + c] += sum;
                    }
                }
            }
        }

        for (int i = 0; i < dx.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - dx[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"{spec}: input gradient {i}: expected {expected[i]:R}, got {dx[i]:R}");
        }
    }

    [Fact]
    public void Forward_AndWeights_GiveTheSameBitsOnOneThreadOrTwo()
    {
        // Large enough that both kernels split their work across threads.
        var (g, filters) = Parse("28 28 16 3 3 1 same 8");
        const int batch = 6;
        float[] x = TestData.Uniform(batch * g.InputSize, seed: 61);
        float[] w = TestData.Uniform(g.ColumnWidth * filters, seed: 62);
        float[] dz = TestData.Uniform(batch * g.OutputPixels * filters, seed: 63);
        (float[] Z, float[] DW) Run(int threads)
        {
            int saved = WorkerPool.MaxDegreeOfParallelism;
            WorkerPool.MaxDegreeOfParallelism = threads;
            try
            {
                var z = new float[batch * g.OutputPixels * filters];
                var dw = new float[w.Length];
                DirectConvolution.Forward(g, filters, x, batch, w, default, z);
                DirectConvolution.Weights(g, filters, x, batch, dz, dw);
                return (z, dw);
            }
            finally
            {
                WorkerPool.MaxDegreeOfParallelism = saved;
            }
        }

        var one = Run(1);
        var two = Run(2);
        AssertBits(one.Z, two.Z, "forward");
        AssertBits(one.DW, two.DW, "kernel gradient");
    }

    [Theory]
    [InlineData("28 28 1 3 3 1 same 16", true)]
    [InlineData("28 28 16 3 3 1 same 1", true)]
    [InlineData("14 14 32 3 3 1 same 32", true)]
    [InlineData("14 14 64 3 3 1 valid 16", true)]
    [InlineData("14 14 32 3 3 1 same 33", false)]
    [InlineData("14 14 64 3 3 1 same 17", false)]
    [InlineData("14 14 128 3 3 1 same 8", true)]
    [InlineData("14 14 129 3 3 1 same 8", false)]
    [InlineData("7 7 8 3 3 2 same 8", false)]
    public void Supports_StrideOneLayersWithFewChannels(string spec, bool direct)
    {
        var (g, filters) = Parse(spec);
        Assert.Equal(direct, DirectConvolution.Supports(g, filters));
    }

    [Fact]
    public void ShortBuffers_AreRefused_WithTheSizesNeeded()
    {
        var (g, filters) = Parse("3 5 3 3 3 1 same 17");
        var e = Assert.Throws<ArgumentException>(() =>
            DirectConvolution.Forward(g, filters, new float[g.InputSize], 1, new float[g.ColumnWidth * filters], default, new float[(g.OutputPixels * filters) - 1]));
        Assert.Contains("255 outputs", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() =>
            DirectConvolution.Weights(g, filters, new float[g.InputSize - 1], 1, new float[g.OutputPixels * filters], new float[g.ColumnWidth * filters]));
        Assert.Contains("45 inputs", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(20)]
    [InlineData(33)]
    public void ColumnSums_MatchTheirReferenceBitForBit_AtEveryWidth(int width)
    {
        const int rows = 301;
        float[] matrix = KernelCheck.Inputs(rows * width, seed: 64, low: -3f, high: 3f, extremes: false);
        var expected = new float[width];
        ColumnSums.Reference(matrix, rows, width, expected);
        foreach (int lanes in Widths)
        {
            var actual = Enumerable.Repeat(float.NaN, width).ToArray();
            ColumnSums.Compute(matrix, rows, width, actual, lanes);
            AssertBits(expected, actual, $"width {width}, lanes {lanes}");
        }
    }

    /// <summary><c>im2col(X)·W</c> in double.</summary>
    private static double[] ColumnsTimes(ConvGeometry g, float[] x, int batch, float[] w, int filters)
    {
        int pixels = batch * g.OutputPixels;
        var cols = new float[pixels * g.ColumnWidth];
        Im2Col.GatherReference(g, x, batch, cols);
        var z = new double[pixels * filters];
        for (int p = 0; p < pixels; p++)
        {
            for (int f = 0; f < filters; f++)
            {
                double sum = 0;
                for (int k = 0; k < g.ColumnWidth; k++)
                {
                    sum += (double)cols[(p * g.ColumnWidth) + k] * w[(k * filters) + f];
                }

                z[(p * filters) + f] = sum;
            }
        }

        return z;
    }

    private static void AssertBits(float[] expected, float[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}: value {i} of {expected.Length}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}

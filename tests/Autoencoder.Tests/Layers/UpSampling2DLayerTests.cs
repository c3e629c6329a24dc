using Autoencoder.Layers;

namespace Autoencoder.Tests.Layers;

/// <summary>Nearest-neighbour upsampling against a naive reference (output pixel (i, j) reads input (⌊i/sh⌋, ⌊j/sw⌋)), forward and backward.</summary>
public class UpSampling2DLayerTests
{
    /// <summary>Rows per batch: more than one, so sample offsets are exercised.</summary>
    private const int Rows = 2;

    public static TheoryData<int, int, int, int, int> Geometries()
    {
        var data = new TheoryData<int, int, int, int, int>();
        foreach (var (h, w) in new[] { (1, 1), (3, 5), (7, 7), (28, 28) })
        {
            foreach (var (sh, sw) in new[] { (1, 1), (2, 2), (3, 3), (2, 3), (1, 2) })
            {
                foreach (int channels in new[] { 1, 5 })
                {
                    data.Add(h, w, sh, sw, channels);
                }
            }
        }

        return data;
    }

    private static float[] Infer(Layer layer, float[] x, int rows)
    {
        var y = new float[rows * layer.OutputSize];
        var pass = new ForwardPass(rows, [], []);
        layer.Forward(ref pass, x, y, []);
        return y;
    }

    private static float[] Train(Layer layer, float[] x, int rows)
    {
        var y = new float[rows * layer.OutputSize];
        var random = new Pcg32(1, 1);
        var pass = new ForwardPass(rows, [], [], [], [], ref random);
        layer.Forward(ref pass, x, y, []);
        return y;
    }

    private static float[] Backward(Layer layer, float[] dY, int rows)
    {
        var dX = Enumerable.Repeat(123f, rows * layer.InputSize).ToArray(); // overwritten, not accumulated
        var pass = new BackwardPass(rows, [], [], 1, [], 0);
        layer.Backward(ref pass, [], [], [], (float[])dY.Clone(), dX);
        return dX;
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void ForwardAndBackward_MatchTheNaiveReference(int h, int w, int sh, int sw, int c)
    {
        var layer = new UpSampling2DLayer("up", LayerShape.Image(h, w, c), sh, sw);
        int oh = h * sh, ow = w * sw;
        Assert.Equal(LayerShape.Image(oh, ow, c), layer.OutputShape);
        var random = new Random(h * 100 + w * 10 + sh * 7 + sw * 3 + c);
        float[] x = Enumerable.Range(0, Rows * layer.InputSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] dY = Enumerable.Range(0, Rows * layer.OutputSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

        var y = new float[dY.Length];
        var dX = new float[x.Length];
        for (int b = 0; b < Rows; b++)
        {
            for (int i = 0; i < oh; i++)
            {
                for (int j = 0; j < ow; j++)
                {
                    for (int k = 0; k < c; k++)
                    {
                        y[(((b * oh) + i) * ow + j) * c + k] = x[(((b * h) + (i / sh)) * w + (j / sw)) * c + k];
                    }
                }
            }

            // Each input pixel's block summed in float, rows then columns, from 0.
            for (int i = 0; i < h; i++)
            {
                for (int j = 0; j < w; j++)
                {
                    for (int k = 0; k < c; k++)
                    {
                        float sum = 0;
                        for (int u = 0; u < sh; u++)
                        {
                            for (int v = 0; v < sw; v++)
                            {
                                sum += dY[(((b * oh) + (i * sh) + u) * ow + (j * sw) + v) * c + k];
                            }
                        }

                        dX[(((b * h) + i) * w + j) * c + k] = sum;
                    }
                }
            }
        }

        Assert.Equal(y, Infer(layer, x, Rows));
        Assert.Equal(y, Train(layer, x, Rows));
        Assert.Equal(dX, Backward(layer, dY, Rows));
    }

    [Fact]
    public void Backward_MatchesFiniteDifferences()
    {
        var layer = new UpSampling2DLayer("up", LayerShape.Image(3, 5, 5), 2, 3);
        float[] x = TestData.Uniform(Rows * layer.InputSize, seed: 7);
        float[] weights = TestData.Uniform(Rows * layer.OutputSize, seed: 8);
        double Loss(float[] input) => Infer(layer, input, Rows).Select((v, i) => (double)v * weights[i]).Sum();

        float[] dX = Backward(layer, weights, Rows);
        const float Step = 1e-3f;
        for (int i = 0; i < x.Length; i++)
        {
            float[] plus = (float[])x.Clone(), minus = (float[])x.Clone();
            plus[i] += Step;
            minus[i] -= Step;
            double numeric = (Loss(plus) - Loss(minus)) / (plus[i] - (double)minus[i]);

            // The loss is linear: what remains is the float sum of six weights against the double one.
            Assert.True(Math.Abs(numeric - dX[i]) <= 1e-5, $"input {i}: finite difference {numeric:R}, backward {dX[i]:R}");
        }
    }

    [Fact]
    public void Forward_TwoByTwoPixel_CopiesItsChannelRunIntoTheBlock()
    {
        var layer = new UpSampling2DLayer("up", LayerShape.Image(1, 2, 2), 2, 2);
        float[] y = Infer(layer, [1, 2, 3, 4], 1);
        Assert.Equal([1f, 2, 1, 2, 3, 4, 3, 4, 1, 2, 1, 2, 3, 4, 3, 4], y);
    }

    [Fact]
    public void Properties_KindTokenAndCounts()
    {
        var layer = new UpSampling2DLayer("decoder.3", LayerShape.Image(7, 7, 16), 2, 3);
        Assert.Equal("upsampling2d", layer.Kind);
        Assert.Equal((2, 3), (layer.SizeHeight, layer.SizeWidth));
        Assert.Equal(LayerShape.Image(14, 21, 16), layer.OutputShape);
        Assert.Equal(0, layer.ParameterCount);
        Assert.Equal(0, layer.SavedCount(8));
        var utf8 = new byte[32];
        Assert.True(layer.TryWriteFileToken(utf8, out int written));
        Assert.Equal("upsampling2d:2x3", System.Text.Encoding.ASCII.GetString(utf8, 0, written));
    }

    [Fact]
    public void TrainingStep_AllocatesNothing()
    {
        var layer = new UpSampling2DLayer("up", LayerShape.Image(14, 14, 5), 2, 2);
        float[] x = TestData.Uniform(4 * layer.InputSize, seed: 5);
        var y = new float[4 * layer.OutputSize];
        var dX = new float[x.Length];
        var random = new Pcg32(1, 1);
        long allocated = 0;
        for (int round = 0; round < 2; round++) // the first round compiles
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var forward = new ForwardPass(4, [], [], [], [], ref random);
            layer.Forward(ref forward, x, y, []);
            var backward = new BackwardPass(4, [], [], 1, [], 0);
            layer.Backward(ref backward, x, y, [], y, dX);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Constructor_ImpossibleFactors_ThrowNamingTheLayerTheRuleAndTheValue()
    {
        var r = Assert.Throws<ArgumentOutOfRangeException>(() => new UpSampling2DLayer("decoder.1", LayerShape.Image(4, 4, 1), 0, 2));
        Assert.Equal("sizeHeight", r.ParamName);
        Assert.Contains("Upsampling layer decoder.1 needs a height factor of at least 1; got 0.", r.Message);
        r = Assert.Throws<ArgumentOutOfRangeException>(() => new UpSampling2DLayer("decoder.1", LayerShape.Image(4, 4, 1), 2, -3));
        Assert.Contains("Upsampling layer decoder.1 needs a width factor of at least 1; got -3.", r.Message);

        var e = Assert.Throws<ArgumentException>(() => new UpSampling2DLayer("decoder.1", LayerShape.Image(1024, 1024, 4), 32, 32));
        Assert.Contains("Upsampling layer decoder.1 needs an output of at most 2147483647 values per sample; got 32768 × 32768 × 4 from input (1024, 1024, 4) by 32 × 32.", e.Message);
        e = Assert.Throws<ArgumentException>(() => new UpSampling2DLayer("u", LayerShape.Image(65536, 1, 1), int.MaxValue, 1));
        Assert.Contains("got 140737488289792 × 1 × 1", e.Message);
    }
}

using System.Runtime.InteropServices;
using Autoencoder.Layers;

namespace Autoencoder.Tests.Layers;

/// <summary>
/// Max pooling against a naive reference written from Keras' definition (padded coordinates,
/// windows scanned row by row, the first maximum kept), forward and backward, with ties, NaN,
/// finite differences and the geometry errors.
/// </summary>
public class MaxPool2DLayerTests
{
    /// <summary>Rows per batch in the reference cases: more than one, so sample offsets are exercised.</summary>
    private const int Rows = 2;

    /// <summary>
    /// Every input size, pool, stride and padding of the brief with 1 and 5 channels (the scalar
    /// loop) and 17 (the vector loop and a scalar tail on 4-, 8- and 16-lane machines); a 'valid'
    /// pool larger than the input is left to the error test.
    /// </summary>
    public static TheoryData<int, int, int, int, int, int, Padding, int> Geometries()
    {
        var data = new TheoryData<int, int, int, int, int, int, Padding, int>();
        foreach (var (h, w) in new[] { (1, 1), (3, 5), (7, 7), (28, 28) })
        {
            foreach (var (ph, pw) in new[] { (2, 2), (3, 3), (2, 3) })
            {
                foreach (var (sh, sw) in new[] { (1, 1), (2, 2), (3, 3), (1, 3) })
                {
                    foreach (Padding padding in new[] { Padding.Valid, Padding.Same })
                    {
                        foreach (int channels in new[] { 1, 5, 17 })
                        {
                            if (padding == Padding.Same || (ph <= h && pw <= w))
                            {
                                data.Add(h, w, ph, pw, sh, sw, padding, channels);
                            }
                        }
                    }
                }
            }
        }

        return data;
    }

    /// <summary>Keras' output size and padding before, along one axis.</summary>
    private static (int Output, int Before) Axis(int input, int pool, int stride, Padding padding)
    {
        if (padding == Padding.Valid)
        {
            return (((input - pool) / stride) + 1, 0);
        }

        int output = (input + stride - 1) / stride;
        int total = Math.Max(((output - 1) * stride) + pool - input, 0);
        return (output, total / 2);
    }

    /// <summary>The naive forward: per output value the first maximum over the real pixels of its padded window, and that pixel's index.</summary>
    private static (float[] Y, int[] Argmax) Naive(float[] x, int rows, int h, int w, int c, int ph, int pw, int sh, int sw, Padding padding)
    {
        var (oh, top) = Axis(h, ph, sh, padding);
        var (ow, left) = Axis(w, pw, sw, padding);
        var y = new float[rows * oh * ow * c];
        var argmax = new int[y.Length];
        for (int b = 0; b < rows; b++)
        {
            for (int i = 0; i < oh; i++)
            {
                for (int j = 0; j < ow; j++)
                {
                    for (int k = 0; k < c; k++)
                    {
                        float best = float.NaN;
                        int at = -1;
                        for (int u = 0; u < ph; u++)
                        {
                            for (int v = 0; v < pw; v++)
                            {
                                int r = (i * sh) - top + u, q = (j * sw) - left + v;
                                if (r < 0 || r >= h || q < 0 || q >= w)
                                {
                                    continue; // padding: never selected
                                }

                                float value = x[(((b * h) + r) * w + q) * c + k];
                                bool nanBeatsNumber = float.IsNaN(value) && at >= 0 && !float.IsNaN(best);
                                if (at < 0 || value > best || nanBeatsNumber)
                                {
                                    best = value;
                                    at = (r * w) + q;
                                }
                            }
                        }

                        Assert.True(at >= 0, $"window ({i}, {j}) holds no real pixel");
                        int o = (((b * oh) + i) * ow + j) * c + k;
                        y[o] = best;
                        argmax[o] = at;
                    }
                }
            }
        }

        return (y, argmax);
    }

    /// <summary>The naive backward: each output's gradient added to its argmax, outputs in order.</summary>
    private static float[] NaiveBackward(float[] dY, int[] argmax, int rows, int h, int w, int c)
    {
        var dX = new float[rows * h * w * c];
        int outputSize = dY.Length / rows;
        for (int o = 0; o < dY.Length; o++)
        {
            int b = o / outputSize, k = o % c;
            dX[(b * h * w * c) + (argmax[o] * c) + k] += dY[o];
        }

        return dX;
    }

    private static (float[] Y, float[] Saved) Train(MaxPool2DLayer layer, float[] x, int rows)
    {
        var y = new float[rows * layer.OutputSize];
        var saved = new float[layer.SavedCount(rows)];
        var random = new Pcg32(1, 1);
        var pass = new ForwardPass(rows, [], [], [], [], ref random);
        layer.Forward(ref pass, x, y, saved);
        return (y, saved);
    }

    private static float[] Infer(Layer layer, float[] x, int rows)
    {
        var y = new float[rows * layer.OutputSize];
        var pass = new ForwardPass(rows, [], []);
        layer.Forward(ref pass, x, y, []);
        return y;
    }

    private static float[] Backward(Layer layer, float[] x, float[] y, float[] saved, float[] dY, int rows)
    {
        var dX = Enumerable.Repeat(123f, rows * layer.InputSize).ToArray(); // overwritten, not accumulated
        var pass = new BackwardPass(rows, [], [], 1, [], 0);
        layer.Backward(ref pass, x, y, saved, (float[])dY.Clone(), dX);
        return dX;
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void ForwardAndBackward_MatchTheNaiveReference(int h, int w, int ph, int pw, int sh, int sw, Padding padding, int c)
    {
        var layer = new MaxPool2DLayer("pool", LayerShape.Image(h, w, c), ph, pw, sh, sw, padding);
        var (oh, top) = Axis(h, ph, sh, padding);
        var (ow, left) = Axis(w, pw, sw, padding);
        Assert.Equal(LayerShape.Image(oh, ow, c), layer.OutputShape);
        Assert.Equal((top, left), (layer.PadTop, layer.PadLeft));

        // Values on a coarse grid, so windows hold ties too; the reference breaks them as the layer must.
        var random = new Random(h * 1000 + w * 100 + ph * 10 + pw + sh * 7 + sw * 3 + c);
        float[] x = Enumerable.Range(0, Rows * h * w * c).Select(_ => (float)random.Next(-8, 8)).ToArray();
        var (expected, argmax) = Naive(x, Rows, h, w, c, ph, pw, sh, sw, padding);

        var (y, saved) = Train(layer, x, Rows);
        Assert.Equal(expected, y);
        Assert.Equal(argmax, MemoryMarshal.Cast<float, int>(saved).ToArray());
        Assert.Equal(expected, Infer(layer, x, Rows));

        var referenceY = new float[y.Length];
        var referenceArgmax = new int[y.Length];
        layer.ForwardReference(x, Rows, referenceY, referenceArgmax);
        Assert.Equal(expected, referenceY);
        Assert.Equal(argmax, referenceArgmax);

        float[] dY = Enumerable.Range(0, y.Length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        Assert.Equal(NaiveBackward(dY, argmax, Rows, h, w, c), Backward(layer, x, y, saved, dY, Rows));
    }

    [Theory]
    [InlineData(7, 7, 3, 3, 2, 2, Padding.Same, 5)]
    [InlineData(7, 7, 3, 3, 1, 1, Padding.Same, 5)] // overlapping windows: an input may receive several gradients
    [InlineData(3, 5, 2, 3, 1, 3, Padding.Valid, 17)]
    public void Backward_MatchesFiniteDifferences_OnInputsWithoutTies(int h, int w, int ph, int pw, int sh, int sw, Padding padding, int c)
    {
        var layer = new MaxPool2DLayer("pool", LayerShape.Image(h, w, c), ph, pw, sh, sw, padding);
        int size = Rows * layer.InputSize;

        // Distinct values 0.01 apart, shuffled: a step of ±Step never changes a window's argmax.
        const double Step = 1e-3;
        var random = new Random(17);
        float[] x = Enumerable.Range(0, size).Select(i => (i - (size / 2)) * 0.01f).OrderBy(_ => random.Next()).ToArray();
        float[] weights = Enumerable.Range(0, Rows * layer.OutputSize).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        double Loss(float[] input) => Infer(layer, input, Rows).Select((v, i) => (double)v * weights[i]).Sum();

        var (y, saved) = Train(layer, x, Rows);
        float[] dX = Backward(layer, x, y, saved, weights, Rows);
        for (int i = 0; i < size; i++)
        {
            float[] plus = (float[])x.Clone(), minus = (float[])x.Clone();
            plus[i] += (float)Step;
            minus[i] -= (float)Step;
            double numeric = (Loss(plus) - Loss(minus)) / (plus[i] - (double)minus[i]);

            // The step is exact in double once taken from the rounded inputs; what remains is the float sum of weights.
            Assert.True(Math.Abs(numeric - dX[i]) <= 1e-5, $"input {i}: finite difference {numeric:R}, backward {dX[i]:R}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    public void Forward_TiesAndNaN_TakeTheFirstInWindowOrder(int c)
    {
        // One 2 × 2 window per pattern (a 2 × 8 image, pool 2 × 2, stride 2): pixels in order (0,0), (0,1), (1,0), (1,1).
        float[][] windows =
        [
            [1, 3, 3, 2],                           // tie: the first 3, pixel (0,1)
            [-0f, 0f, -1, -1],                      // +0 and −0 are equal: −0 is kept
            [1, float.NaN, float.NaN, 5],           // the first NaN beats every number
            [float.NaN, 7, 8, 9],                   // a NaN first stays
        ];
        var layer = new MaxPool2DLayer("pool", LayerShape.Image(2, 8, c), 2, 2, 2, 2, Padding.Valid);
        var x = new float[layer.InputSize];
        for (int p = 0; p < 4; p++)
        {
            for (int k = 0; k < 4; k++)
            {
                int pixel = ((k / 2) * 8) + (2 * p) + (k % 2);
                for (int ch = 0; ch < c; ch++)
                {
                    x[(pixel * c) + ch] = windows[p][k];
                }
            }
        }

        var (y, saved) = Train(layer, x, 1);
        int[] argmax = MemoryMarshal.Cast<float, int>(saved).ToArray();
        float[] dX = Backward(layer, x, y, saved, Enumerable.Repeat(1f, y.Length).ToArray(), 1);
        int[] selected = [1, 2, 5, 6]; // pixel indices (row·8 + column) of the winners: window p's pixels are 2p, 2p + 1, 8 + 2p, 9 + 2p
        for (int ch = 0; ch < c; ch++)
        {
            Assert.Equal(3f, y[(0 * c) + ch]);
            Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(y[(1 * c) + ch]));
            Assert.True(float.IsNaN(y[(2 * c) + ch]), $"channel {ch}: {y[(2 * c) + ch]:R}");
            Assert.True(float.IsNaN(y[(3 * c) + ch]), $"channel {ch}: {y[(3 * c) + ch]:R}");
            for (int p = 0; p < 4; p++)
            {
                Assert.Equal(selected[p], argmax[(p * c) + ch]);
            }

            Assert.Equal(4f, Enumerable.Range(0, 16).Sum(pixel => dX[(pixel * c) + ch]));
            Assert.All(selected, pixel => Assert.Equal(1f, dX[(pixel * c) + ch]));
        }

        Assert.Equal(y.Select(BitConverter.SingleToInt32Bits), Infer(layer, x, 1).Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Same_TwoByTwoOnSevenBySeven_GivesFourByFour_AsKeras()
    {
        var layer = new MaxPool2DLayer("pool", LayerShape.Image(7, 7, 1), 2, 2, 2, 2, Padding.Same);
        Assert.Equal(LayerShape.Image(4, 4, 1), layer.OutputShape);
        Assert.Equal((0, 0, 1, 1), (layer.PadTop, layer.PadLeft, layer.PadBottom, layer.PadRight));

        // Decreasing values: each window's maximum is its top-left real pixel; the last row and column of windows hold one real row or column.
        float[] x = Enumerable.Range(0, 49).Select(i => (float)(100 - i)).ToArray();
        float[] y = Infer(layer, x, 1);
        float[] expected = [.. from i in Enumerable.Range(0, 4) from j in Enumerable.Range(0, 4) select (float)(100 - ((2 * i * 7) + (2 * j)))];
        Assert.Equal(expected, y);
        Assert.Equal(100 - 48, y[15]); // window (3, 3) is pixel (6, 6) alone
    }

    [Fact]
    public void Properties_KindTokenAndSavedCount()
    {
        var layer = new MaxPool2DLayer("encoder.1", LayerShape.Image(28, 28, 3), 2, 3, 1, 2, Padding.Same);
        Assert.Equal("max_pool2d", layer.Kind);
        Assert.Equal((2, 3, 1, 2, Padding.Same), (layer.PoolHeight, layer.PoolWidth, layer.StrideHeight, layer.StrideWidth, layer.Padding));
        Assert.Equal(LayerShape.Image(28, 14, 3), layer.OutputShape);
        Assert.Equal((0, 0, 1, 1), (layer.PadTop, layer.PadLeft, layer.PadBottom, layer.PadRight)); // heights: 27 + 2 − 28 = 1; widths: 26 + 3 − 28 = 1
        Assert.Equal(0, layer.ParameterCount);
        Assert.Equal(5L * 28 * 14 * 3, layer.SavedCount(5));

        var utf8 = new byte[64];
        Assert.True(layer.TryWriteFileToken(utf8, out int written));
        Assert.Equal("max_pool2d:2x3:1x2:same", System.Text.Encoding.ASCII.GetString(utf8, 0, written));
        Assert.True(new MaxPool2DLayer("p", LayerShape.Image(4, 4, 1), 2, 2, 2, 2, Padding.Valid).TryWriteFileToken(utf8, out written));
        Assert.Equal("max_pool2d:2x2:2x2:valid", System.Text.Encoding.ASCII.GetString(utf8, 0, written));
        Assert.False(layer.TryWriteFileToken(new byte[10], out _));
    }

    [Fact]
    public void TrainingStep_AllocatesNothing()
    {
        var layer = new MaxPool2DLayer("pool", LayerShape.Image(28, 28, 17), 3, 3, 2, 2, Padding.Same);
        float[] x = TestData.Uniform(4 * layer.InputSize, seed: 5);
        var y = new float[4 * layer.OutputSize];
        var saved = new float[layer.SavedCount(4)];
        var dX = new float[x.Length];
        var random = new Pcg32(1, 1);
        long allocated = 0;
        for (int round = 0; round < 2; round++) // the first round compiles
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var forward = new ForwardPass(4, [], [], [], [], ref random);
            layer.Forward(ref forward, x, y, saved);
            var backward = new BackwardPass(4, [], [], 1, [], 0);
            layer.Backward(ref backward, x, y, saved, y, dX);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Constructor_ImpossibleGeometry_ThrowsNamingTheLayerTheRuleAndTheValue()
    {
        var e = Assert.Throws<ArgumentException>(() => new MaxPool2DLayer("encoder.2", LayerShape.Image(2, 5, 1), 3, 3, 1, 1, Padding.Valid));
        Assert.Equal("poolHeight", e.ParamName);
        Assert.Contains("Max pooling layer encoder.2 with 'valid' padding needs an input height of at least the pool height, 3; got 2.", e.Message);
        e = Assert.Throws<ArgumentException>(() => new MaxPool2DLayer("encoder.2", LayerShape.Image(5, 2, 1), 3, 3, 1, 1, Padding.Valid));
        Assert.Contains("input width of at least the pool width, 3; got 2.", e.Message);

        var r = Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPool2DLayer("p", LayerShape.Image(4, 4, 1), 0, 2, 1, 1, Padding.Same));
        Assert.Contains("Max pooling layer p needs a pool height of at least 1; got 0.", r.Message);
        r = Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPool2DLayer("p", LayerShape.Image(4, 4, 1), 2, 2, 1, -1, Padding.Same));
        Assert.Contains("Max pooling layer p needs a stride width of at least 1; got -1.", r.Message);
        r = Assert.Throws<ArgumentOutOfRangeException>(() => new MaxPool2DLayer("p", LayerShape.Image(4, 4, 1), 2, 2, 1, 1, (Padding)7));
        Assert.Contains("Max pooling layer p needs padding Valid or Same; got 7.", r.Message);

        // 'same' accepts a pool larger than the input: one window of the single pixel.
        Assert.Equal(LayerShape.Image(1, 1, 2), new MaxPool2DLayer("p", LayerShape.Image(1, 1, 2), 3, 3, 2, 2, Padding.Same).OutputShape);
    }
}

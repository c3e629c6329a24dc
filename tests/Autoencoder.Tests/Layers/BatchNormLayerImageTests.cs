using Autoencoder.Kernels;
using Autoencoder.Layers;

namespace Autoencoder.Tests.Layers;

/// <summary>
/// Batch normalization on channels-last images, per channel as PyTorch's <c>BatchNorm2d</c>
/// (statistics over batch, height and width), against a reference computed per channel in double;
/// and a vector shape behaving exactly as before.
/// </summary>
public class BatchNormLayerImageTests
{
    /// <summary>Offsets of the layer's slices: not 0, so a slice taken from the wrong place shows.</summary>
    private const int ParameterOffset = 3, StateOffset = 2;

    /// <summary>
    /// Float against double: the layer sums in double and rounds each result once to float, so a
    /// value of magnitude up to ~10 is within a few float ulps.
    /// </summary>
    private const double Tolerance = 1e-5;

    private sealed record Setup(BatchNormLayer Layer, float[] Parameters, float[] State, int Rows, float[] X);

    /// <summary>A placed layer on a <paramref name="rows"/>-image batch, with γ, β, running statistics and inputs drawn from <paramref name="seed"/>.</summary>
    private static Setup Make(LayerShape shape, int rows, int seed)
    {
        var layer = new BatchNormLayer("norm", shape);
        layer.Place(ParameterOffset, StateOffset);
        int c = shape.Channels;
        var random = new Random(seed);
        float[] parameters = [.. Enumerable.Range(0, ParameterOffset + (2 * c) + 1).Select(_ => (float)(random.NextDouble() * 2 - 0.5))];
        float[] state = new float[StateOffset + (2 * c) + 1];
        for (int j = 0; j < c; j++)
        {
            state[StateOffset + j] = (float)(random.NextDouble() * 2 - 1);
            state[StateOffset + c + j] = (float)(0.5 + (random.NextDouble() * 2));
        }

        // Each channel with its own offset and spread, so per-channel statistics differ from per-value or pooled ones.
        float[] x = [.. Enumerable.Range(0, rows * shape.Size).Select(i => (float)(((i % c) - 1.5) + ((1 + (i % c)) * (random.NextDouble() * 2 - 1))))];
        return new Setup(layer, parameters, state, rows, x);
    }

    private static (float[] Y, float[] Saved, float[] NextState) Train(Setup s)
    {
        var y = new float[s.X.Length];
        var saved = new float[s.Layer.SavedCount(s.Rows)];
        var next = new float[s.State.Length];
        var random = new Pcg32(1, 1);
        var pass = new ForwardPass(s.Rows, s.Parameters, s.State, next, new double[2 * s.Layer.OutputSize], ref random);
        s.Layer.Forward(ref pass, s.X, y, saved);
        return (y, saved, next);
    }

    private static (float[] DX, float[] Gradients) Backward(Setup s, float[] saved, float[] dY)
    {
        var dX = Enumerable.Repeat(123f, s.X.Length).ToArray();
        var gradients = new float[s.Parameters.Length];
        var pass = new BackwardPass(s.Rows, s.Parameters, gradients, 1, new double[2 * s.Layer.OutputSize], 0);
        s.Layer.Backward(ref pass, s.X, [], saved, (float[])dY.Clone(), dX);
        return (dX, gradients);
    }

    /// <summary>
    /// The training forward in double, channel by channel over all <c>rows·H·W</c> pixels: outputs,
    /// next running mean and variance (momentum 0.1, unbiased), for <paramref name="gamma"/>, <paramref name="beta"/>.
    /// </summary>
    private static (double[] Y, double[] Mean, double[] Variance) Reference(Setup s, double[] x, double[] gamma, double[] beta)
    {
        int c = s.Layer.Features, n = x.Length / c;
        var y = new double[x.Length];
        var mean = new double[c];
        var variance = new double[c];
        for (int k = 0; k < c; k++)
        {
            double mu = Enumerable.Range(0, n).Average(p => x[(p * c) + k]);
            double squares = Enumerable.Range(0, n).Sum(p => (x[(p * c) + k] - mu) * (x[(p * c) + k] - mu));
            double inverse = 1 / Math.Sqrt((squares / n) + 1e-5);
            for (int p = 0; p < n; p++)
            {
                y[(p * c) + k] = (gamma[k] * (x[(p * c) + k] - mu) * inverse) + beta[k];
            }

            mean[k] = (0.9 * s.State[StateOffset + k]) + (0.1 * mu);
            variance[k] = (0.9 * s.State[StateOffset + c + k]) + (0.1 * squares / (n - 1));
        }

        return (y, mean, variance);
    }

    private static double[] Gamma(Setup s) => [.. s.Parameters.Skip(ParameterOffset).Take(s.Layer.Features).Select(v => (double)v)];

    private static double[] Beta(Setup s) => [.. s.Parameters.Skip(ParameterOffset + s.Layer.Features).Take(s.Layer.Features).Select(v => (double)v)];

    private static void Near(double expected, float actual, double tolerance, string what) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");

    [Theory]
    [InlineData(3, 5, 4, 3)]
    [InlineData(7, 7, 5, 2)]
    [InlineData(2, 1, 3, 1)] // one image of two pixels: two values per channel, enough for a variance
    public void TrainingForward_NormalizesPerChannelOverBatchHeightAndWidth(int h, int w, int c, int rows)
    {
        Setup s = Make(LayerShape.Image(h, w, c), rows, seed: h + w + c + rows);
        var (y, saved, next) = Train(s);
        var (expected, mean, variance) = Reference(s, [.. s.X.Select(v => (double)v)], Gamma(s), Beta(s));
        for (int i = 0; i < y.Length; i++)
        {
            Near(expected[i], y[i], Tolerance, $"y[{i}]");
        }

        for (int k = 0; k < c; k++)
        {
            Near(mean[k], next[StateOffset + k], Tolerance, $"running mean[{k}]");
            Near(variance[k], next[StateOffset + c + k], Tolerance, $"running variance[{k}]");
        }

        Assert.Equal(0f, next[0]); // outside the layer's slice: untouched
        Assert.Equal(((long)rows * h * w + 1) * c, saved.Length);
    }

    [Fact]
    public void Backward_MatchesFiniteDifferencesOfTheDoubleReference()
    {
        Setup s = Make(LayerShape.Image(3, 5, 4), 2, seed: 11);
        int c = s.Layer.Features;
        double[] weights = [.. TestData.Uniform(s.X.Length, seed: 12).Select(v => (double)v)];
        double[] x = [.. s.X.Select(v => (double)v)];
        double[] gamma = Gamma(s), beta = Beta(s);
        double Loss(double[] input, double[] g, double[] b) => Reference(s, input, g, b).Y.Select((v, i) => v * weights[i]).Sum();

        var (_, saved, _) = Train(s);
        var (dX, gradients) = Backward(s, saved, [.. weights.Select(v => (float)v)]);

        // Central differences of a smooth function in double: truncation ~h², rounding ~1e-16/h, both far below the float backward's error.
        const double Step = 1e-5;
        double Difference(double[] values, int i, Func<double> loss)
        {
            double keep = values[i];
            values[i] = keep + Step;
            double plus = loss();
            values[i] = keep - Step;
            double minus = loss();
            values[i] = keep;
            return (plus - minus) / (2 * Step);
        }

        for (int i = 0; i < x.Length; i++)
        {
            Near(Difference(x, i, () => Loss(x, gamma, beta)), dX[i], 1e-4, $"dX[{i}]");
        }

        for (int k = 0; k < c; k++)
        {
            Near(Difference(gamma, k, () => Loss(x, gamma, beta)), gradients[ParameterOffset + k], 1e-4, $"dγ[{k}]");
            Near(Difference(beta, k, () => Loss(x, gamma, beta)), gradients[ParameterOffset + c + k], 1e-4, $"dβ[{k}]");
        }
    }

    [Fact]
    public void Backward_MatchesTheClosedFormPerChannel()
    {
        Setup s = Make(LayerShape.Image(7, 7, 5), 3, seed: 13);
        int c = s.Layer.Features, n = s.X.Length / c;
        float[] dY = TestData.Uniform(s.X.Length, seed: 14);
        var (_, saved, _) = Train(s);
        var (dX, gradients) = Backward(s, saved, dY);
        for (int k = 0; k < c; k++)
        {
            double mu = Enumerable.Range(0, n).Average(p => (double)s.X[(p * c) + k]);
            double inverse = 1 / Math.Sqrt((Enumerable.Range(0, n).Sum(p => Math.Pow(s.X[(p * c) + k] - mu, 2)) / n) + 1e-5);
            double Hat(int p) => (s.X[(p * c) + k] - mu) * inverse;
            double dBeta = Enumerable.Range(0, n).Sum(p => (double)dY[(p * c) + k]);
            double dGamma = Enumerable.Range(0, n).Sum(p => dY[(p * c) + k] * Hat(p));
            Near(dBeta, gradients[ParameterOffset + c + k], Tolerance, $"dβ[{k}]");
            Near(dGamma, gradients[ParameterOffset + k], Tolerance, $"dγ[{k}]");
            double scale = s.Parameters[ParameterOffset + k] * inverse / n;
            for (int p = 0; p < n; p++)
            {
                Near(scale * ((n * dY[(p * c) + k]) - dBeta - (Hat(p) * dGamma)), dX[(p * c) + k], Tolerance, $"dX[pixel {p}, channel {k}]");
            }
        }
    }

    [Fact]
    public void Inference_UsesEachChannelsRunningStatistics()
    {
        Setup s = Make(LayerShape.Image(3, 5, 4), 3, seed: 15);
        int c = s.Layer.Features;
        var y = new float[s.X.Length];
        var pass = new ForwardPass(s.Rows, s.Parameters, s.State);
        s.Layer.Forward(ref pass, s.X, y, []);
        for (int i = 0; i < y.Length; i++)
        {
            int k = i % c;
            double expected = (s.Parameters[ParameterOffset + k] * (s.X[i] - s.State[StateOffset + k]) / Math.Sqrt(s.State[StateOffset + c + k] + 1e-5)) + s.Parameters[ParameterOffset + c + k];
            Near(expected, y[i], Tolerance, $"y[{i}]");
        }
    }

    [Fact]
    public void ImageShape_CountsAndTensorsArePerChannel()
    {
        var layer = new BatchNormLayer("encoder.0.batch_norm", LayerShape.Image(28, 28, 8));
        Assert.Equal(LayerShape.Image(28, 28, 8), layer.OutputShape);
        Assert.Equal(8, layer.Features);
        Assert.Equal(784, layer.PixelsPerSample);
        Assert.Equal(16, layer.ParameterCount);
        Assert.Equal(16, layer.StateCount);
        Assert.Equal((5L * 784 + 1) * 8, layer.SavedCount(5));
        Assert.Equal(1, layer.MinimumTrainingRows);
        Assert.Equal(2, new BatchNormLayer("n", LayerShape.Image(1, 1, 8)).MinimumTrainingRows);
        Assert.All(layer.Tensors, t => Assert.Equal([8], t.Shape));
        var utf8 = new byte[64];
        Assert.True(layer.TryWriteFileToken(utf8, out int written));
        Assert.Equal("batch_norm:0.1:1E-05", System.Text.Encoding.ASCII.GetString(utf8, 0, written));
    }

    [Fact]
    public void VectorShape_BehavesBitForBitAsTheUnitsConstructor()
    {
        Setup byShape = Make(LayerShape.Vector(6), 5, seed: 16);
        var byUnits = new BatchNormLayer("norm", 6);
        byUnits.Place(ParameterOffset, StateOffset);
        Setup units = byShape with { Layer = byUnits };
        Assert.Equal(2, byUnits.MinimumTrainingRows);
        Assert.Equal(byUnits.MinimumTrainingRows, byShape.Layer.MinimumTrainingRows);
        Assert.Equal((5L + 1) * 6, byUnits.SavedCount(5));
        Assert.Equal(byUnits.SavedCount(5), byShape.Layer.SavedCount(5));

        var (y, saved, next) = Train(byShape);
        var (yUnits, savedUnits, nextUnits) = Train(units);
        Assert.Equal(yUnits, y);
        Assert.Equal(savedUnits, saved);
        Assert.Equal(nextUnits, next);

        // And both are the kernel on the plain rows × features batch.
        var kernelY = new float[y.Length];
        var kernelSaved = new float[saved.Length];
        var kernelNext = new float[next.Length];
        BatchNorm.TrainingForward(
            byShape.X, 5, 6, byShape.Parameters.AsSpan(ParameterOffset, 6), byShape.Parameters.AsSpan(ParameterOffset + 6, 6),
            byShape.State.AsSpan(StateOffset, 6), byShape.State.AsSpan(StateOffset + 6, 6), 0.1f, 1e-5f,
            kernelY, kernelSaved.AsSpan(0, 30), kernelSaved.AsSpan(30, 6), kernelNext.AsSpan(StateOffset, 6), kernelNext.AsSpan(StateOffset + 6, 6), new double[12]);
        Assert.Equal(kernelY, y);
        Assert.Equal(kernelSaved, saved);
        Assert.Equal(kernelNext, next);

        float[] dY = TestData.Uniform(y.Length, seed: 17);
        var (dXUnits, gradientsUnits) = Backward(units, savedUnits, dY);
        var (dX, gradients) = Backward(byShape, saved, dY);
        Assert.Equal(dXUnits, dX);
        Assert.Equal(gradientsUnits, gradients);
    }
}

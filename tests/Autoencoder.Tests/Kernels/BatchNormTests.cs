using System.Globalization;
using Autoencoder.Kernels;

namespace Autoencoder.Tests.Kernels;

public class BatchNormTests
{
    private const float Momentum = 0.1f;
    private const float Epsilon = 1e-5f;

    /// <summary>The outputs of one training forward, in fresh arrays.</summary>
    private sealed record Forward(float[] Y, float[] Normalized, float[] InverseStd, float[] NextMean, float[] NextVariance);

    /// <summary>The gradients of one backward, in fresh arrays.</summary>
    private sealed record Gradients(float[] DGamma, float[] DBeta, float[] DX);

    private static Forward Train(float[] x, int rows, int features, float[] gamma, float[] beta, float[] mean, float[] variance, float momentum = Momentum, float epsilon = Epsilon)
    {
        var result = new Forward(new float[rows * features], new float[rows * features], new float[features], new float[features], new float[features]);
        BatchNorm.TrainingForward(
            x, rows, features, gamma, beta, mean, variance, momentum, epsilon,
            result.Y, result.Normalized, result.InverseStd, result.NextMean, result.NextVariance, new double[2 * features]);
        return result;
    }

    private static Gradients Backward(float[] dY, Forward forward, float[] gamma, int rows, int features)
    {
        var result = new Gradients(new float[features], new float[features], new float[rows * features]);
        BatchNorm.Backward(dY, forward.Normalized, forward.InverseStd, gamma, rows, features, result.DGamma, result.DBeta, result.DX, new double[2 * features]);
        return result;
    }

    private static void Near(double expected, float actual, double tolerance, string what) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance, $"{what}: expected {expected:R}, got {actual:R}");

    [Fact]
    public void TrainingForwardAndBackward_ThreeRowsTwoFeatures_MatchHandComputedValues()
    {
        // Rows (1, 2), (3, 6), (5, 10).
        // Feature 0: μ = 3, σ² = (4 + 0 + 4)/3 = 8/3, unbiased 8/2 = 4, s₀ = 1/√(8/3 + 1e-5) ≈ 0.6123713,
        //            x̂ = (−2s₀, 0, 2s₀), y = 1 + 2·x̂ ≈ (−1.4494852, 1, 3.4494852).
        // Feature 1: μ = 6, σ² = (16 + 0 + 16)/3 = 32/3, unbiased 32/2 = 16, s₁ = 1/√(32/3 + 1e-5) ≈ 0.3061861,
        //            x̂ = (−4s₁, 0, 4s₁), y = −1 + 0.5·x̂ ≈ (−1.6123721, −1, −0.3876279).
        // Running mean: 0.9·0.5 + 0.1·3 = 0.75 and 0.9·(−1) + 0.1·6 = −0.3;
        // running variance: 0.9·1 + 0.1·4 = 1.3 and 0.9·2 + 0.1·16 = 3.4.
        float[] x = [1, 2, 3, 6, 5, 10];
        float[] gamma = [2f, 0.5f], beta = [1f, -1f];
        float[] mean = [0.5f, -1f], variance = [1f, 2f];
        Forward forward = Train(x, 3, 2, gamma, beta, mean, variance);

        double s0 = 1 / Math.Sqrt((8.0 / 3) + 1e-5), s1 = 1 / Math.Sqrt((32.0 / 3) + 1e-5);
        double[] normalized = [-2 * s0, -4 * s1, 0, 0, 2 * s0, 4 * s1];
        double[] y = [1 - (4 * s0), -1 - (2 * s1), 1, -1, 1 + (4 * s0), -1 + (2 * s1)];
        for (int i = 0; i < 6; i++)
        {
            Near(normalized[i], forward.Normalized[i], 1e-6, $"x̂[{i}]");
            Near(y[i], forward.Y[i], 1e-6, $"y[{i}]");
        }

        Near(s0, forward.InverseStd[0], 1e-6, "s₀");
        Near(s1, forward.InverseStd[1], 1e-6, "s₁");
        Near(0.75, forward.NextMean[0], 1e-6, "running mean 0");
        Near(-0.3, forward.NextMean[1], 1e-6, "running mean 1");
        Near(1.3, forward.NextVariance[0], 1e-6, "running variance 0");
        Near(3.4, forward.NextVariance[1], 1e-6, "running variance 1");

        // dY column 0 = (1, 0, 0): dβ₀ = 1, dγ₀ = 1·(−2s₀) = −2s₀,
        //   dX = (2·s₀/3)·(3·dY − 1 + 2s₀·x̂) = (2s₀/3)·(2 − 4s₀², −1, −1 + 4s₀²) ≈ (0.2041261, −0.4082475, 0.2041215).
        // dY column 1 = (0, 2, 0): dβ₁ = 2, dγ₁ = 2·0 = 0,
        //   dX = (0.5·s₁/3)·(3·dY − 2) = (s₁/6)·(−2, 4, −2) ≈ (−0.1020620, 0.2041240, −0.1020620).
        float[] dY = [1, 0, 0, 2, 0, 0];
        Gradients gradients = Backward(dY, forward, gamma, 3, 2);
        Near(1, gradients.DBeta[0], 1e-6, "dβ₀");
        Near(2, gradients.DBeta[1], 1e-6, "dβ₁");
        Near(-2 * s0, gradients.DGamma[0], 1e-6, "dγ₀");
        Near(0, gradients.DGamma[1], 1e-6, "dγ₁");
        double[] dX =
        [
            2 * s0 / 3 * (2 - (4 * s0 * s0)), s1 / 6 * -2,
            2 * s0 / 3 * -1, s1 / 6 * 4,
            2 * s0 / 3 * (-1 + (4 * s0 * s0)), s1 / 6 * -2,
        ];
        for (int i = 0; i < 6; i++)
        {
            Near(dX[i], gradients.DX[i], 1e-6, $"dX[{i}]");
        }
    }

    public static TheoryData<int, int, double> GradientShapes()
    {
        var data = new TheoryData<int, int, double>();
        foreach (int rows in (int[])[2, 5, 16])
        {
            foreach (int features in (int[])[1, 3, 8])
            {
                // ε = 1e-5 as in PyTorch; with 2 rows x̂ is then ±1 whatever x, so dX is nearly 0,
                // and the larger ε gives those shapes an input gradient worth checking.
                data.Add(rows, features, 1e-5);
                data.Add(rows, features, 0.5);
            }
        }

        return data;
    }

    /// <summary>The training forward in double, straight from the formulas.</summary>
    private static double[] ReferenceForward(double[] x, int rows, int features, double[] gamma, double[] beta, double epsilon)
    {
        var y = new double[rows * features];
        for (int j = 0; j < features; j++)
        {
            double mean = 0;
            for (int i = 0; i < rows; i++)
            {
                mean += x[(i * features) + j];
            }

            mean /= rows;
            double variance = 0;
            for (int i = 0; i < rows; i++)
            {
                double d = x[(i * features) + j] - mean;
                variance += d * d;
            }

            variance /= rows;
            for (int i = 0; i < rows; i++)
            {
                int at = (i * features) + j;
                y[at] = (gamma[j] * (x[at] - mean) / Math.Sqrt(variance + epsilon)) + beta[j];
            }
        }

        return y;
    }

    /// <summary>Central differences of <c>L = Σ w·y</c> with respect to each element of <paramref name="varied"/>, one of the three inputs.</summary>
    private static double[] FiniteDifferences(double[] varied, Func<double> objective)
    {
        const double Step = 1e-6;
        var gradient = new double[varied.Length];
        for (int k = 0; k < varied.Length; k++)
        {
            double saved = varied[k];
            varied[k] = saved + Step;
            double plus = objective();
            varied[k] = saved - Step;
            double minus = objective();
            varied[k] = saved;
            gradient[k] = (plus - minus) / (2 * Step);
        }

        return gradient;
    }

    /// <summary>
    /// Relative tolerance 1e-3, with an absolute floor of 1e-5 times the gradient's largest entry (at
    /// least 1): the input gradient sums to 0 over each feature, so some of its entries are close to 0,
    /// where float rounding of x̂ in the cancelling sum dominates any relative measure.
    /// </summary>
    private static void CheckGradient(double[] expected, float[] actual, string what)
    {
        double scale = Math.Max(1, expected.Max(v => Math.Abs(v)));
        for (int k = 0; k < expected.Length; k++)
        {
            Near(expected[k], actual[k], (1e-3 * Math.Abs(expected[k])) + (1e-5 * scale), $"{what}[{k}]");
        }
    }

    [Theory]
    [MemberData(nameof(GradientShapes))]
    public void Backward_MatchesFiniteDifferencesOfADoubleForward(int rows, int features, double epsilon)
    {
        var random = new Random(12345);
        float[] Values(int count, double low, double high) =>
            [.. Enumerable.Range(0, count).Select(_ => (float)(low + ((high - low) * random.NextDouble())))];

        float[] x = Values(rows * features, -2, 2);
        float[] gamma = Values(features, 0.5, 2).Select((g, j) => j % 2 == 0 ? g : -g).ToArray();
        float[] beta = Values(features, -1, 1);
        float[] w = Values(rows * features, -1, 1);
        Forward forward = Train(x, rows, features, gamma, beta, new float[features], new float[features], epsilon: (float)epsilon);
        Gradients gradients = Backward(w, forward, gamma, rows, features); // dL/dy = w

        double[] xd = [.. x.Select(v => (double)v)], gammad = [.. gamma.Select(v => (double)v)], betad = [.. beta.Select(v => (double)v)];
        double Objective()
        {
            double[] y = ReferenceForward(xd, rows, features, gammad, betad, (float)epsilon);
            double sum = 0;
            for (int k = 0; k < y.Length; k++)
            {
                sum += w[k] * y[k];
            }

            return sum;
        }

        CheckGradient(FiniteDifferences(xd, Objective), gradients.DX, "dX");
        CheckGradient(FiniteDifferences(gammad, Objective), gradients.DGamma, "dγ");
        CheckGradient(FiniteDifferences(betad, Objective), gradients.DBeta, "dβ");
    }

    [Fact]
    public void InferenceForward_MatchesTheFormula_InPlaceToo()
    {
        const int Rows = 5, Features = 7;
        float[] x = TestData.Uniform(Rows * Features, seed: 12345, low: -3f, high: 3f);
        float[] gamma = TestData.Uniform(Features, seed: 12346, low: -2f, high: 2f);
        float[] beta = TestData.Uniform(Features, seed: 12347);
        float[] mean = TestData.Uniform(Features, seed: 12348);
        float[] variance = TestData.Uniform(Features, seed: 12349, low: 0.01f, high: 4f);
        var y = new float[Rows * Features];
        BatchNorm.InferenceForward(x, Rows, Features, gamma, beta, mean, variance, Epsilon, y);
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Features; j++)
            {
                int at = (i * Features) + j;
                double expected = (gamma[j] * (x[at] - (double)mean[j]) / Math.Sqrt(variance[j] + (double)Epsilon)) + beta[j];
                Near(expected, y[at], 1e-6 * Math.Max(1, Math.Abs(expected)), $"y[{i}, {j}]");
            }
        }

        float[] inPlace = [.. x];
        BatchNorm.InferenceForward(inPlace, Rows, Features, gamma, beta, mean, variance, Epsilon, inPlace);
        Assert.Equal(y, inPlace);
    }

    [Fact]
    public void InferenceForwardFeatureMajor_GivesTheRowMajorBits_AtEitherStride()
    {
        const int Rows = 6, Features = 5, XStride = 9, YStride = 8;
        float[] x = TestData.Uniform(Rows * Features, seed: 22345, low: -3f, high: 3f);
        float[] gamma = TestData.Uniform(Features, seed: 22346, low: -2f, high: 2f);
        float[] beta = TestData.Uniform(Features, seed: 22347);
        float[] mean = TestData.Uniform(Features, seed: 22348);
        float[] variance = TestData.Uniform(Features, seed: 22349, low: 0.01f, high: 4f);
        var expected = new float[Rows * Features];
        BatchNorm.InferenceForward(x, Rows, Features, gamma, beta, mean, variance, Epsilon, expected);

        var columns = new float[Features * XStride];
        Array.Fill(columns, float.NaN); // the gaps between runs must not be read
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Features; j++)
            {
                columns[(j * XStride) + i] = x[(i * Features) + j];
            }
        }

        var y = new float[Features * YStride];
        Array.Fill(y, -7f);
        BatchNorm.InferenceForwardFeatureMajor(columns, XStride, Rows, Features, gamma, beta, mean, variance, Epsilon, y, YStride);
        for (int j = 0; j < Features; j++)
        {
            for (int i = 0; i < YStride; i++)
            {
                float want = i < Rows ? expected[(i * Features) + j] : -7f;
                Assert.True(BitConverter.SingleToInt32Bits(want) == BitConverter.SingleToInt32Bits(y[(j * YStride) + i]), $"feature {j}, row {i}: {y[(j * YStride) + i]:R}, expected {want:R}");
            }
        }

        var shortY = Assert.Throws<ArgumentException>(() => BatchNorm.InferenceForwardFeatureMajor(columns, XStride, Rows, Features, gamma, beta, mean, variance, Epsilon, new float[(4 * YStride) + 5], YStride));
        Assert.Contains("y must hold at least 38 values (a run of rows per feature at its stride); got 37.", shortY.Message);
        var shortStride = Assert.Throws<ArgumentOutOfRangeException>(() => BatchNorm.InferenceForwardFeatureMajor(columns, 5, Rows, Features, gamma, beta, mean, variance, Epsilon, y, YStride));
        Assert.Contains("got 6 rows, strides 5 and 8", shortStride.Message);
    }

    [Fact]
    public void InferenceForward_NoRows_DoesNothing()
    {
        BatchNorm.InferenceForward([], 0, 3, [1, 1, 1], [0, 0, 0], [0, 0, 0], [1, 1, 1], Epsilon, []);
    }

    public static TheoryData<int, int> AliasShapes()
    {
        var data = new TheoryData<int, int>();
        foreach (int rows in (int[])[2, 3, 17])
        {
            foreach (int features in (int[])[1, 7, 33, 257])
            {
                data.Add(rows, features);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AliasShapes))]
    public void InPlaceUpdates_GiveTheBitsOfSeparateBuffers(int rows, int features)
    {
        int size = rows * features;
        float[] x = TestData.Uniform(size, seed: 12345, low: -5f, high: 5f);
        float[] gamma = TestData.Uniform(features, seed: 12346, low: -2f, high: 2f);
        float[] beta = TestData.Uniform(features, seed: 12347);
        float[] mean = TestData.Uniform(features, seed: 12348);
        float[] variance = TestData.Uniform(features, seed: 12349, low: 0.1f, high: 2f);
        float[] dY = TestData.Uniform(size, seed: 12350);
        Forward separate = Train(x, rows, features, gamma, beta, mean, variance);
        Gradients separateGradients = Backward(dY, separate, gamma, rows, features);

        // y in x's place, the running statistics updated in place.
        float[] yInX = [.. x], meanInPlace = [.. mean], varianceInPlace = [.. variance];
        var normalized = new float[size];
        var inverseStd = new float[features];
        BatchNorm.TrainingForward(
            yInX, rows, features, gamma, beta, meanInPlace, varianceInPlace, Momentum, Epsilon,
            yInX, normalized, inverseStd, meanInPlace, varianceInPlace, new double[2 * features]);
        Assert.Equal(separate.Y, yInX);
        Assert.Equal(separate.Normalized, normalized);
        Assert.Equal(separate.InverseStd, inverseStd);
        Assert.Equal(separate.NextMean, meanInPlace);
        Assert.Equal(separate.NextVariance, varianceInPlace);

        // dX in dY's place, then in x̂'s place.
        float[] dXInDY = [.. dY];
        var dGamma = new float[features];
        var dBeta = new float[features];
        BatchNorm.Backward(dXInDY, normalized, inverseStd, gamma, rows, features, dGamma, dBeta, dXInDY, new double[2 * features]);
        Assert.Equal(separateGradients.DX, dXInDY);
        Assert.Equal(separateGradients.DGamma, dGamma);
        Assert.Equal(separateGradients.DBeta, dBeta);

        float[] dXInNormalized = [.. normalized];
        BatchNorm.Backward(dY, dXInNormalized, inverseStd, gamma, rows, features, dGamma, dBeta, dXInNormalized, new double[2 * features]);
        Assert.Equal(separateGradients.DX, dXInNormalized);
        Assert.Equal(separateGradients.DGamma, dGamma);
        Assert.Equal(separateGradients.DBeta, dBeta);
    }

    [Fact]
    public void Backward_OverwritesTheParameterGradients()
    {
        float[] x = [1, 2, 3, 6, 5, 10], gamma = [2f, 0.5f], dY = [1, 0, 0, 2, 0, 0];
        Forward forward = Train(x, 3, 2, gamma, [0, 0], [0, 0], [1, 1]);
        Gradients fresh = Backward(dY, forward, gamma, 3, 2);
        float[] dGamma = [100, 100], dBeta = [-100, -100];
        BatchNorm.Backward(dY, forward.Normalized, forward.InverseStd, gamma, 3, 2, dGamma, dBeta, new float[6], new double[4]);
        Assert.Equal(fresh.DGamma, dGamma);
        Assert.Equal(fresh.DBeta, dBeta);
    }

    [Fact]
    public void RunningStatistics_FedTheSameBatch_ConvergeToItsMeanAndUnbiasedVariance()
    {
        const int Rows = 6, Features = 4;
        float[] x = TestData.Uniform(Rows * Features, seed: 12345, low: -3f, high: 5f);
        float[] gamma = [1, 1, 1, 1], beta = [0, 0, 0, 0];
        float[] mean = [0, 0, 0, 0], variance = [1, 1, 1, 1];
        float[] y = new float[Rows * Features], normalized = new float[Rows * Features], inverseStd = new float[Features];
        var scratch = new double[2 * Features];
        for (int step = 0; step < 300; step++)
        {
            BatchNorm.TrainingForward(x, Rows, Features, gamma, beta, mean, variance, Momentum, Epsilon, y, normalized, inverseStd, mean, variance, scratch);
        }

        for (int j = 0; j < Features; j++)
        {
            double batchMean = Enumerable.Range(0, Rows).Average(i => (double)x[(i * Features) + j]);
            double unbiased = Enumerable.Range(0, Rows).Sum(i => Math.Pow(x[(i * Features) + j] - batchMean, 2)) / (Rows - 1);
            // 0.9³⁰⁰ ≈ 2e-14 of the start is left; float rounding at each step leaves at most about 10 half-ulps.
            Near(batchMean, mean[j], (2e-6 * Math.Abs(batchMean)) + 1e-7, $"running mean {j}");
            Near(unbiased, variance[j], 2e-6 * unbiased, $"running variance {j}");
        }
    }

    [Fact]
    public void RunningStatistics_MomentumOneTakesTheBatchsAndZeroKeepsThem()
    {
        float[] x = [1, 2, 3, 6, 5, 10];
        Forward all = Train(x, 3, 2, [1, 1], [0, 0], [0.5f, -1f], [1f, 2f], momentum: 1f);
        Assert.Equal(new float[] { 3f, 6f }, all.NextMean);
        Assert.Equal(new float[] { 4f, 16f }, all.NextVariance);
        Forward none = Train(x, 3, 2, [1, 1], [0, 0], [0.5f, -1f], [1f, 2f], momentum: 0f);
        Assert.Equal(new float[] { 0.5f, -1f }, none.NextMean);
        Assert.Equal(new float[] { 1f, 2f }, none.NextVariance);
    }

    [Fact]
    public void Training_OneRow_Throws()
    {
        float[] one = [1f, 2f];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => BatchNorm.TrainingForward(
            one, 1, 2, one, one, one, one, Momentum, Epsilon, new float[2], new float[2], new float[2], new float[2], new float[2], new double[4]));
        Assert.Equal("rows", e.ParamName);
        Assert.Contains("at least 2 rows", e.Message, StringComparison.Ordinal);
        Assert.Contains("got 1.", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentOutOfRangeException>(() => BatchNorm.Backward(
            one, one, one, one, 1, 2, new float[2], new float[2], new float[2], new double[4]));
        Assert.Contains("got 1.", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Calls with one thing wrong each, and the parameter the exception must name.</summary>
    public static TheoryData<string, string> BadCalls() => new()
    {
        { "no features", "features" },
        { "negative rows in inference", "rows" },
        { "short x", "x" },
        { "short gamma", "gamma" },
        { "short y", "y" },
        { "short running variance", "nextRunningVariance" },
        { "short scratch", "scratch" },
        { "short dX", "dX" },
        { "short backward scratch", "scratch" },
        { "y overlapping x partly", "y" },
        { "running mean shifted by one", "nextRunningMean" },
        { "dX overlapping dY partly", "dX" },
        { "momentum above 1", "momentum" },
        { "momentum NaN", "momentum" },
        { "epsilon 0", "epsilon" },
        { "epsilon negative", "epsilon" },
    };

    private static void Call(string what)
    {
        const int Rows = 3, Features = 2, Size = Rows * Features;
        float[] x = [1, 2, 3, 6, 5, 10];
        float[] gamma = [1, 1], beta = [0, 0], mean = [0, 0], variance = [1, 1];
        float[] y = new float[Size], normalized = new float[Size], inverseStd = new float[Features];
        float[] nextMean = new float[Features], nextVariance = new float[Features];
        var scratch = new double[2 * Features];
        float momentum = Momentum, epsilon = Epsilon;
        switch (what)
        {
            case "no features": BatchNorm.InferenceForward(x, Rows, 0, gamma, beta, mean, variance, epsilon, y); return;
            case "negative rows in inference": BatchNorm.InferenceForward(x, -1, Features, gamma, beta, mean, variance, epsilon, y); return;
            case "short dX": BatchNorm.Backward(x, normalized, inverseStd, gamma, Rows, Features, new float[2], new float[2], new float[Size - 1], scratch); return;
            case "short backward scratch": BatchNorm.Backward(x, normalized, inverseStd, gamma, Rows, Features, new float[2], new float[2], new float[Size], new double[3]); return;
            case "dX overlapping dY partly":
                float[] both = new float[Size + 1];
                BatchNorm.Backward(both.AsSpan(0, Size), normalized, inverseStd, gamma, Rows, Features, new float[2], new float[2], both.AsSpan(1), scratch);
                return;
            case "short x": x = x[..^1]; break;
            case "short gamma": gamma = [1]; break;
            case "short y": y = new float[Size - 1]; break;
            case "short running variance": nextVariance = new float[1]; break;
            case "short scratch": scratch = new double[2 * Features - 1]; break;
            case "momentum above 1": momentum = 1.5f; break;
            case "momentum NaN": momentum = float.NaN; break;
            case "epsilon 0": epsilon = 0; break;
            case "epsilon negative": epsilon = -0.5f; break;
            case "y overlapping x partly":
                float[] shared = new float[Size + 2];
                x.CopyTo(shared, 0);
                BatchNorm.TrainingForward(shared.AsSpan(0, Size), Rows, Features, gamma, beta, mean, variance, momentum, epsilon, shared.AsSpan(2), normalized, inverseStd, nextMean, nextVariance, scratch);
                return;
            case "running mean shifted by one":
                float[] running = new float[Features + 1];
                BatchNorm.TrainingForward(x, Rows, Features, gamma, beta, running.AsSpan(0, Features), variance, momentum, epsilon, y, normalized, inverseStd, running.AsSpan(1), nextVariance, scratch);
                return;
            default: throw new InvalidOperationException("No such case: " + what);
        }

        BatchNorm.TrainingForward(x, Rows, Features, gamma, beta, mean, variance, momentum, epsilon, y, normalized, inverseStd, nextMean, nextVariance, scratch);
    }

    [Theory]
    [MemberData(nameof(BadCalls))]
    public void BadArguments_Throw_NamingTheParameterWithExpectedAndGot(string what, string parameter)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Call(what));
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains("got ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Messages_InAnotherCulture_FormatNumbersInvariantly()
    {
        CultureInfo previous = CultureInfo.CurrentCulture;
        var culture = (CultureInfo)CultureInfo.GetCultureInfo("fr-FR").Clone();
        culture.NumberFormat.NumberDecimalSeparator = "⁂";
        culture.NumberFormat.NegativeSign = "⁓";
        CultureInfo.CurrentCulture = culture;
        try
        {
            var e = Assert.ThrowsAny<ArgumentException>(() => Call("epsilon negative"));
            Assert.Contains("got -0.5.", e.Message, StringComparison.Ordinal);
            e = Assert.ThrowsAny<ArgumentException>(() => Call("momentum above 1"));
            Assert.Contains("got 1.5.", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}

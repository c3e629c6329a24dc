using Autoencoder.Optimizers;

namespace Autoencoder.Tests.Optimizers;

public class AdamTests
{
    /// <summary>
    /// Float32 updates against the published algorithm in double: each step rounds a handful of
    /// operations, so after k steps the parameters agree to a few float ulps relative to their size.
    /// </summary>
    private const double Float32Tolerance = 2e-6;

    [Fact]
    public void Step_FirstStep_MovesByLearningRateTimesSignOfGradient()
    {
        // Bias correction makes m̂ = g and v̂ = g² on step 1, so Δθ = −lr·g/(|g| + ε) ≈ −lr·sign(g).
        var adam = new Adam(2, learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, decoupledWeightDecay: false);
        float[] p = [1f, -2f];
        adam.Step(p, [0.5f, -3f]);
        Assert.Equal(0.9f, p[0], 6);
        Assert.Equal(-1.9f, p[1], 6);
    }

    public static TheoryData<double, bool> WeightDecays() => new() { { 0.0, false }, { 0.1, false }, { 0.1, true } };

    [Theory]
    [MemberData(nameof(WeightDecays))]
    public void Step_SeveralSteps_MatchPublishedAlgorithmInDouble(double weightDecay, bool decoupled)
    {
        const double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        const int n = 17, steps = 7;
        float[] p = TestData.Uniform(n, seed: 1);
        double[] expected = p.Select(v => (double)v).ToArray();
        var m = new double[n];
        var v = new double[n];
        var adam = new Adam(n, lr, b1, b2, eps, weightDecay, decoupled);

        for (int t = 1; t <= steps; t++)
        {
            float[] g = TestData.Uniform(n, seed: 100 + t, low: -2f, high: 2f);
            adam.Step(p, g);

            // Kingma & Ba, Algorithm 1, with PyTorch's weight-decay variants.
            for (int i = 0; i < n; i++)
            {
                if (decoupled)
                {
                    expected[i] *= 1 - lr * weightDecay;
                }

                double gi = g[i] + (decoupled ? 0 : weightDecay * expected[i]);
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                double mHat = m[i] / (1 - Math.Pow(b1, t));
                double vHat = v[i] / (1 - Math.Pow(b2, t));
                expected[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
        }

        for (int i = 0; i < n; i++)
        {
            Assert.True(
                Math.Abs(p[i] - expected[i]) <= Float32Tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"index {i}: expected {expected[i]:R}, got {p[i]:R}");
        }

        Assert.Equal(steps, adam.Steps);
    }

    [Fact]
    public void Step_AdamW_DecaysParametersEvenWithZeroGradient()
    {
        // With g = 0 the Adam term is 0 and only the decoupled decay acts: θ·(1 − lr·λ) per step.
        var adamW = new Adam(1, learningRate: 0.1, 0.9, 0.999, 1e-8, weightDecay: 0.5, decoupledWeightDecay: true);
        float[] p = [2f];
        adamW.Step(p, [0f]);
        adamW.Step(p, [0f]);
        Assert.Equal(2f * 0.95f * 0.95f, p[0], 6);
    }
}

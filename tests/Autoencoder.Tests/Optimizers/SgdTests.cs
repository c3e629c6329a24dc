using Autoencoder.Optimizers;

namespace Autoencoder.Tests.Optimizers;

public class SgdTests
{
    [Fact]
    public void Step_Plain_SubtractsLearningRateTimesGradient()
    {
        var sgd = new Sgd(2, learningRate: 0.1, momentum: 0, nesterov: false, weightDecay: 0);
        float[] p = [1f, 1f];
        sgd.Step(p, [1f, -2f]);
        Assert.Equal([0.9f, 1.2f], p);
    }

    [Fact]
    public void Step_Momentum_MatchesHandComputedValues()
    {
        // b₁ = g₁ = 1 → θ = 1 − 0.1 = 0.9; b₂ = 0.9·1 + 0.5 = 1.4 → θ = 0.9 − 0.14 = 0.76
        var sgd = new Sgd(1, learningRate: 0.1, momentum: 0.9, nesterov: false, weightDecay: 0);
        float[] p = [1f];
        sgd.Step(p, [1f]);
        Assert.Equal(0.9f, p[0], 6);
        sgd.Step(p, [0.5f]);
        Assert.Equal(0.76f, p[0], 6);
    }

    [Fact]
    public void Step_Nesterov_MatchesHandComputedValues()
    {
        // b₁ = 1, g = 1 + 0.9·1 = 1.9 → θ = 0.81; b₂ = 1.4, g = 0.5 + 0.9·1.4 = 1.76 → θ = 0.634
        var sgd = new Sgd(1, learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0);
        float[] p = [1f];
        sgd.Step(p, [1f]);
        Assert.Equal(0.81f, p[0], 6);
        sgd.Step(p, [0.5f]);
        Assert.Equal(0.634f, p[0], 6);
    }

    [Fact]
    public void Step_WeightDecay_AddsL2TermToGradient()
    {
        // g' = 1 + 0.5·2 = 2 → θ = 2 − 0.1·2 = 1.8
        var sgd = new Sgd(1, learningRate: 0.1, momentum: 0, nesterov: false, weightDecay: 0.5);
        float[] p = [2f];
        sgd.Step(p, [1f]);
        Assert.Equal(1.8f, p[0], 6);
    }
}

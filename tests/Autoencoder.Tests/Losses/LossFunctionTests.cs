using Autoencoder.Losses;

namespace Autoencoder.Tests.Losses;

public class LossFunctionTests
{
    /// <summary>Differences −3 … 3 (prediction minus target), hand-computed as PyTorch defines the losses.</summary>
    private static readonly float[] Predictions = [-3f, -1f, -0.5f, 0f, 0.5f, 1f, 3f];

    private static readonly float[] Targets = new float[7];

    [Fact]
    public void MeanAbsoluteError_ValuesAndGradient_AreL1Loss()
    {
        // |d| = 3 + 1 + 0.5 + 0 + 0.5 + 1 + 3 = 9; the gradient is sign(d), 0 where prediction = target.
        Loss mae = Loss.MeanAbsoluteError;
        Assert.Equal(9.0, mae.Sum(Predictions, Targets), 12);
        var d = new float[7];
        mae.Gradient(Predictions, Targets, 0.5f, d);
        Assert.Equal([-0.5f, -0.5f, -0.5f, 0f, 0.5f, 0.5f, 0.5f], d);
        Assert.Equal("MeanAbsoluteError", mae.ToString());
    }

    [Fact]
    public void Huber_ValuesAndGradient_AreHuberLoss()
    {
        // δ = 1: ½d² inside, δ(|d| − ½δ) outside: 2.5 + 0.5 + 0.125 + 0 + 0.125 + 0.5 + 2.5 = 6.25;
        // the gradient is d clamped to [−1, 1] (±δ from |d| = δ on, as PyTorch's backward).
        Loss huber = Loss.Huber();
        Assert.Equal(6.25, huber.Sum(Predictions, Targets), 12);
        var d = new float[7];
        huber.Gradient(Predictions, Targets, 1f, d);
        Assert.Equal([-1f, -1f, -0.5f, 0f, 0.5f, 1f, 1f], d);

        // δ = 0.5: 0.5·(3 − 0.25)·2 + 0.5·(1 − 0.25)·2 + ½·0.25 at ±0.5 (|d| = δ is linear: 0.5·0.25 = 0.125 either way) = 2.75 + 0.75 + 0.25.
        Loss half = Loss.Huber(0.5);
        Assert.Equal(3.75, half.Sum(Predictions, Targets), 12);
        half.Gradient(Predictions, Targets, 1f, d);
        Assert.Equal([-0.5f, -0.5f, -0.5f, 0f, 0.5f, 0.5f, 0.5f], d);
        Assert.Equal("Huber(0.5)", half.ToString());
        Assert.Equal(half, Loss.Huber(0.5));
        Assert.True(half == Loss.Huber(0.5));
        Assert.True(half != Loss.Huber());
        Assert.True(Loss.MeanSquaredError != Loss.MeanAbsoluteError);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(1e39)]
    public void Huber_DeltaOutsideFloatRange_IsRefused(double delta)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Loss.Huber(delta));
        Assert.Equal("delta", e.ParamName);
    }

    [Fact]
    public void BuiltInLosses_ElementValuesAgreeWithTheirSums()
    {
        float[] predictions = TestData.Uniform(50, seed: 3, low: 0.01f, high: 0.99f), targets = TestData.Uniform(50, seed: 4, low: 0f, high: 1f);
        foreach (Loss loss in new[] { Loss.MeanSquaredError, Loss.BinaryCrossEntropy, Loss.MeanAbsoluteError, Loss.Huber(0.2) })
        {
            double byElement = predictions.Select((p, i) => loss.Value(p, targets[i])).Sum();
            Assert.Equal(byElement, loss.Sum(predictions, targets), 1e-9 * byElement);
            var gradient = new float[50];
            loss.Gradient(predictions, targets, 1f, gradient);
            for (int i = 0; i < 50; i++)
            {
                Assert.Equal((float)loss.Derivative(predictions[i], targets[i]), gradient[i], 1e-5f * Math.Max(1f, Math.Abs(gradient[i])));
            }
        }
    }

    [Fact]
    public void MeanSquaredError_Sum_MatchesHandComputedValue()
    {
        // (0.5−1)² + (2−0)² + (−1−(−1))² = 0.25 + 4 + 0 = 4.25
        Assert.Equal(4.25, MeanSquaredError.Sum([0.5f, 2f, -1f], [1f, 0f, -1f]), 12);
    }

    [Fact]
    public void BinaryCrossEntropy_FromProbabilities_MatchesHandComputedValue()
    {
        // −ln 0.8 − ln(1 − 0.4) − (0.5 ln 0.5 + 0.5 ln 0.5) = 0.22314355 + 0.51082562 + 0.69314718
        double expected = 0.2231435513142097 + 0.5108256237659907 + 0.6931471805599453;
        Assert.Equal(expected, BinaryCrossEntropy.SumFromProbabilities([0.8f, 0.4f, 0.5f], [1f, 0f, 0.5f]), 6);
    }

    [Fact]
    public void BinaryCrossEntropy_FromLogits_MatchesHandComputedValue()
    {
        // z = 0, x = 1: ln 2. z = 2, x = 0: 2 + ln(1 + e^−2) = 2.126928011. z = −3, x = 0.25: 0.75 + ln(1 + e^−3) = 0.798587352
        double expected = 0.6931471805599453 + 2.1269280110429727 + 0.798587351573742;
        // The logit form computes each term in float (summed in double): 6 decimals, a few float ulps.
        Assert.Equal(expected, BinaryCrossEntropy.SumFromLogits([0f, 2f, -3f], Sigmoid([0f, 2f, -3f]), [1f, 0f, 0.25f]), 6);
    }

    [Fact]
    public void BinaryCrossEntropy_FromLogits_IsFiniteAndAccurateForHugeLogits()
    {
        // Confidently right: loss e^−|z|, below a float ulp, so 0 to float precision (never NaN);
        // confidently wrong: loss |z| exactly; in between, the reference to float precision.
        double right = BinaryCrossEntropy.SumFromLogits([100f], Sigmoid([100f]), [1f]);
        double wrong = BinaryCrossEntropy.SumFromLogits([-1000f], Sigmoid([-1000f]), [1f]);
        double moderate = BinaryCrossEntropy.SumFromLogits([12f], Sigmoid([12f]), [1f]);
        Assert.InRange(right, 0, 1e-7);
        Assert.Equal(1000.0, wrong, 9);
        Assert.InRange(moderate - Math.Log(1 + Math.Exp(-12.0)), -1e-7, 1e-7); // within a float ulp of 1
        var dZ = new float[2];
        BinaryCrossEntropy.GradientFromLogits([1f, 0f], [1f, 1f], 1f, dZ);
        Assert.Equal([0f, -1f], dZ);
    }

    private static float[] Sigmoid(float[] z)
    {
        var p = new float[z.Length];
        Autoencoder.Activations.ActivationFunctions.Forward(Activation.Sigmoid, z, p);
        return p;
    }

    [Fact]
    public void BinaryCrossEntropy_ClampsProbabilities_LikeKeras()
    {
        double atZero = BinaryCrossEntropy.SumFromProbabilities([0f], [1f]);
        Assert.Equal(-Math.Log(1e-7), atZero, 3);
    }

    public static TheoryData<Loss, Activation> Pairs() => new()
    {
        { Loss.MeanSquaredError, Activation.Identity },
        { Loss.MeanSquaredError, Activation.Sigmoid },
        { Loss.MeanSquaredError, Activation.Tanh },
        { Loss.BinaryCrossEntropy, Activation.Sigmoid },
        { Loss.BinaryCrossEntropy, Activation.Softplus },
    };

    /// <summary>Gradient with respect to the output pre-activation, against finite differences in double.</summary>
    [Theory]
    [MemberData(nameof(Pairs))]
    public void Gradient_MatchesFiniteDifferences(Loss kind, Activation output)
    {
        const int n = 33;
        float[] z = TestData.Uniform(n, seed: 5, low: -3f, high: 3f);
        float[] target = TestData.Uniform(n, seed: 6, low: 0f, high: 1f);
        var a = new float[n];
        Autoencoder.Activations.ActivationFunctions.Forward(output, z, a);
        var loss = new LossFunction(kind, output);
        var dZ = new float[n];
        const float scale = 1f / n;
        loss.Gradient(z, a, target, scale, dZ);

        for (int i = 0; i < n; i++)
        {
            int index = i;
            double f(double v)
            {
                double p = Reference.Activate(output, v);
                return loss.FromLogits
                    ? (Math.Max(v, 0) - v * target[index] + Math.Log(1 + Math.Exp(-Math.Abs(v)))) * scale
                    : Reference.ElementLoss(kind, p, target[index]) * scale;
            }

            double expected = Reference.Derivative(f, z[i]);
            Assert.True(
                Math.Abs(dZ[i] - expected) <= 1e-5 * Math.Max(1e-2, Math.Abs(expected)) + 1e-7,
                $"{kind}/{output} index {i} at z={z[i]}: expected {expected:R}, got {dZ[i]:R}");
        }
    }

    [Fact]
    public void Sum_UsesLogitForm_OnlyForSigmoidWithCrossEntropy()
    {
        Assert.True(new LossFunction(Loss.BinaryCrossEntropy, Activation.Sigmoid).FromLogits);
        Assert.False(new LossFunction(Loss.BinaryCrossEntropy, Activation.Identity).FromLogits);
        Assert.False(new LossFunction(Loss.MeanSquaredError, Activation.Sigmoid).FromLogits);
    }
}

namespace Autoencoder.Tests.Optimizers;

public class OptimizerOptionsTests
{
    public static TheoryData<OptimizerOptions, string> Invalid() => new()
    {
        { new AdamOptions { LearningRate = 0 }, "LearningRate" },
        { new AdamOptions { LearningRate = double.NaN }, "LearningRate" },
        { new AdamOptions { Beta1 = 1 }, "Beta1" },
        { new AdamOptions { Beta2 = -0.1 }, "Beta2" },
        { new AdamOptions { Epsilon = 0 }, "Epsilon" },
        { new AdamWOptions { WeightDecay = -1 }, "WeightDecay" },
        { new SgdOptions { Momentum = 1.5 }, "Momentum" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_OutOfRange_ThrowsNamingTheSetting(OptimizerOptions options, string setting)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Contains(setting, e.Message);
        Assert.Contains("got", e.Message);
    }

    [Fact]
    public void Validate_NesterovWithoutMomentum_Throws()
    {
        var e = Assert.Throws<ArgumentException>(new SgdOptions { Nesterov = true }.Validate);
        Assert.Contains("Momentum > 0", e.Message);
    }
}

using Autoencoder.Evaluation;

namespace Autoencoder.Tests.Evaluation;

public class BinaryConfusionTests
{
    [Theory]
    [InlineData(-1, 7, 7, 7, "TruePositives")]
    [InlineData(7, -1, 7, 7, "FalsePositives")]
    [InlineData(7, 7, -2, 7, "TrueNegatives")]
    [InlineData(7, 7, 7, int.MinValue, "FalseNegatives")]
    public void Constructor_NegativeCount_ThrowsNamingTheCountTheRuleAndTheValue(int tp, int fp, int tn, int fn, string name)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new BinaryConfusion(tp, fp, tn, fn));
        Assert.Equal(name, ex.ParamName);
        int value = name switch { "TruePositives" => tp, "FalsePositives" => fp, "TrueNegatives" => tn, _ => fn };
        Assert.Contains($"{name} must be non-negative", ex.Message);
        Assert.Contains(value.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
    }

    [Fact]
    public void With_NegativeCount_Throws()
    {
        var counts = new BinaryConfusion(1, 2, 3, 4);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => counts with { TrueNegatives = -3 });
        Assert.Equal("TrueNegatives", ex.ParamName);
        Assert.Equal(new BinaryConfusion(1, 2, 5, 4), counts with { TrueNegatives = 5 });
    }

    [Fact]
    public void Rates_OfCountsNearIntMax_DoNotOverflow()
    {
        var counts = new BinaryConfusion(int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue);
        Assert.Equal(0.5, counts.Precision);
        Assert.Equal(0.5, counts.Recall);
        Assert.Equal(0.5, counts.FalsePositiveRate);
        Assert.Equal(0.5, counts.F1);
    }

    [Fact]
    public void Zeros_AreValid_AndTheirRatesUndefined()
    {
        var counts = new BinaryConfusion(0, 0, 0, 0);
        Assert.Equal(default, counts);
        Assert.True(double.IsNaN(counts.Precision) && double.IsNaN(counts.Recall) && double.IsNaN(counts.FalsePositiveRate) && double.IsNaN(counts.F1));
        (int tp, int fp, int tn, int fn) = new BinaryConfusion(1, 2, 3, 4);
        Assert.Equal((1, 2, 3, 4), (tp, fp, tn, fn));
    }
}

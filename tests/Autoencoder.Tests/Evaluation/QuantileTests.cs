using Autoencoder.Evaluation;

namespace Autoencoder.Tests.Evaluation;

public class QuantileTests
{
    // Hand values of numpy.quantile([3, 1, 4, 1, 5], q) (method='linear'); sorted: 1, 1, 3, 4, 5.
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.3, 1.4)]   // h = 1.2: 1 + 0.2·(3 − 1)
    [InlineData(0.5, 3.0)]   // h = 2
    [InlineData(0.9, 4.6)]   // h = 3.6: 4 + 0.6·(5 − 4)
    [InlineData(0.95, 4.8)]  // h = 3.8
    [InlineData(1.0, 5.0)]
    public void Linear_MatchesNumpyDefault(double q, double expected)
    {
        float[] values = [3f, 1f, 4f, 1f, 5f];
        Assert.Equal(expected, Quantile.Linear(values, q), 12);
        Assert.Equal([3f, 1f, 4f, 1f, 5f], values); // not sorted in place
    }

    [Fact]
    public void Linear_OneValue_IsThatValue()
    {
        Assert.Equal(2.5, Quantile.Linear([2.5f], 0.37));
    }

    [Fact]
    public void Linear_EqualInfiniteNeighbours_GiveInfinityNotNaN()
    {
        Assert.Equal(double.PositiveInfinity, Quantile.Linear([1f, float.PositiveInfinity, float.PositiveInfinity], 0.75));
    }
}

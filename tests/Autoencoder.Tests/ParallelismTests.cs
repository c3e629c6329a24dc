namespace Autoencoder.Tests;

public class ParallelismTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void MaxDegreeOfParallelism_BelowOne_Throws(int value)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.MaxDegreeOfParallelism = value);
        Assert.Contains($"must be at least 1; got {value}", e.Message);
    }
}

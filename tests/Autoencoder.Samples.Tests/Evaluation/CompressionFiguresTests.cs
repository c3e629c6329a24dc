using Autoencoder.Samples.Evaluation;

namespace Autoencoder.Samples.Tests.Evaluation;

public sealed class CompressionFiguresTests
{
    [Fact]
    public void Mnist784With32Units_HandComputed()
    {
        var sizes = new CompressionFigures(Pixels: 784, LatentUnits: 32);

        Assert.Equal(3136, sizes.RawFloatBytes);
        Assert.Equal(784, sizes.Raw8BitBytes);
        Assert.Equal(128, sizes.CodeFloatBytes);
        Assert.Equal(32, sizes.Code8BitBytes);
        Assert.Equal(24.5, sizes.FloatCodeVsFloatPixels);
        Assert.Equal(6.125, sizes.FloatCodeVs8BitPixels);
        Assert.Equal(98.0, sizes.QuantizedCodeVsFloatPixels);
        Assert.Equal(24.5, sizes.QuantizedCodeVs8BitPixels);
    }

    [Fact]
    public void CodeAsLargeAsImage_RatioOneForSameFormat()
    {
        var sizes = new CompressionFigures(Pixels: 10, LatentUnits: 10);

        Assert.Equal(1.0, sizes.FloatCodeVsFloatPixels);
        Assert.Equal(0.25, sizes.FloatCodeVs8BitPixels);
        Assert.Equal(4.0, sizes.QuantizedCodeVsFloatPixels);
    }
}

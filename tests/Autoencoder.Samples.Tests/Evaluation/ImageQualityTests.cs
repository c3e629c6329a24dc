using Autoencoder.Samples.Evaluation;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Samples.Tests.Evaluation;

public sealed class ImageQualityTests
{
    [Fact]
    public void MeanSquaredError_HandComputed()
    {
        // Differences 0, 0, 0.5, 0 → 0.25 / 4.
        Assert.Equal(0.0625, ImageQuality.MeanSquaredError([0f, 0.5f, 1f, 1f], [0f, 0.5f, 0.5f, 1f]), 12);
    }

    [Theory]
    [InlineData(0.0625, 12.041199826559248)]   // 10·log10(16)
    [InlineData(0.01, 20.0)]
    [InlineData(1.0, 0.0)]
    [InlineData(0.0, 100.0)]                   // capped: mse floored at 1e-10
    public void Psnr_PeakOne_HandComputed(double mse, double expected)
    {
        Assert.Equal(expected, ImageQuality.Psnr(mse), 10);
    }

    [Fact]
    public void Psnr_Peak255_ScalesWithPeakSquared()
    {
        // 10·log10(255² / 65.025) = 10·log10(1000) = 30.
        Assert.Equal(30.0, ImageQuality.Psnr(65.025, peak: 255), 10);
    }

    [Fact]
    public void MeanPsnr_AveragesPerImagePsnr()
    {
        Matrix<float> clean = Matrix<float>.Build.DenseOfRowArrays([0f, 0f, 0f, 0f], [1f, 1f, 1f, 1f]);
        Matrix<float> noisy = Matrix<float>.Build.DenseOfRowArrays([0.1f, 0.1f, 0.1f, 0.1f], [0f, 1f, 1f, 1f]);

        // Row 0: mse 0.01 → 20 dB. Row 1: mse 0.25 → 10·log10(4) = 6.0206 dB.
        Assert.Equal((20.0 + 6.020599913279624) / 2, ImageQuality.MeanPsnr(noisy, clean), 5);
        Assert.Equal([0.01, 0.25], ImageQuality.RowErrors(noisy, clean).Select(e => Math.Round(e, 6)));
    }

    [Fact]
    public void MeanSquaredError_DifferentLengths_Throws()
    {
        Assert.Throws<ArgumentException>(() => ImageQuality.MeanSquaredError([0f, 1f], [0f]));
    }

    [Fact]
    public void Clip_BoundsToUnitRange()
    {
        Matrix<float> x = Matrix<float>.Build.DenseOfRowArrays([-0.5f, 0.25f, 1.5f]);

        Assert.Equal([0f, 0.25f, 1f], ImageQuality.Clip(x).Row(0).ToArray());
    }
}

using Autoencoder.Samples.Evaluation;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Samples.Tests.Evaluation;

public sealed class NoiseTests
{
    // 2,000 grey images: enough draws for tight statistical bounds.
    private static readonly Matrix<float> Grey = Matrix<float>.Build.Dense(2_000, 784, 0.5f);

    [Fact]
    public void Gaussian_HasTheRequestedStandardDeviation()
    {
        Matrix<float> noisy = Noise.Apply(Grey, NoiseKind.Gaussian, 0.3, seed: 1);

        double[] d = (noisy - Grey).Enumerate().Select(v => (double)v).ToArray();
        double mean = d.Average();
        double sd = Math.Sqrt(d.Sum(v => (v - mean) * (v - mean)) / d.Length);
        // 1.6M draws: the sample deviation is within 0.3·(1 ± 0.002) with overwhelming probability.
        Assert.InRange(sd, 0.299, 0.301);
        Assert.InRange(mean, -0.001, 0.001);
    }

    [Theory]
    [InlineData("Masking", 0.25)]
    [InlineData("SaltAndPepper", 0.1)]
    public void Replacing_ChangesTheRequestedShare(string kind, double level)
    {
        Matrix<float> noisy = Noise.Apply(Grey, Enum.Parse<NoiseKind>(kind), level, seed: 2);

        double changed = noisy.Enumerate().Count(v => v != 0.5f) / (double)(Grey.RowCount * Grey.ColumnCount);
        Assert.InRange(changed, level - 0.002, level + 0.002);
    }

    [Fact]
    public void SameSeed_SameNoise()
    {
        Assert.Equal(Noise.Apply(Grey, NoiseKind.Gaussian, 0.2, 3), Noise.Apply(Grey, NoiseKind.Gaussian, 0.2, 3));
    }

    [Fact]
    public void GaussianPsnr_MatchesTheNoiseLevel()
    {
        // Unclipped Gaussian noise of σ on every pixel: MSE ≈ σ², PSNR ≈ 10·log10(1/σ²) = 10.46 dB for σ = 0.3.
        Matrix<float> noisy = Noise.Apply(Grey, NoiseKind.Gaussian, 0.3, seed: 4);

        Assert.InRange(ImageQuality.MeanPsnr(noisy, Grey), 10.3, 10.6);
    }
}

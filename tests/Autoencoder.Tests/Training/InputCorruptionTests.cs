namespace Autoencoder.Tests.Training;

/// <summary>The statistics of each input corruption, on a large sample.</summary>
public class InputCorruptionTests
{
    private const int Count = 200_001; // odd, so the Gaussian's unpaired last draw is exercised

    private static float[] Corrupt(InputCorruption corruption, float value)
    {
        float[] clean = Enumerable.Repeat(value, Count).ToArray();
        var corrupted = new float[Count];
        var random = new Pcg32(42, 7);
        corruption.Apply(clean, corrupted, ref random);
        return corrupted;
    }

    [Fact]
    public void GaussianNoise_AddsZeroMeanNoiseOfTheGivenDeviation()
    {
        float[] noisy = Corrupt(new GaussianNoise(0.25), 0.5f);
        double mean = noisy.Average(v => (double)v);
        double std = Math.Sqrt(noisy.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, 0.5 - 0.002, 0.5 + 0.002);
        Assert.InRange(std, 0.25 * 0.99, 0.25 * 1.01);
        Assert.True(noisy.Count(v => v > 1.0) > 0, "noise is not clipped");
    }

    [Fact]
    public void MaskingNoise_ZeroesTheGivenFraction_AndLeavesTheRest()
    {
        float[] masked = Corrupt(new MaskingNoise(0.3), 0.7f);
        Assert.All(masked, v => Assert.True(v == 0f || v == 0.7f));
        Assert.InRange(masked.Count(v => v == 0f) / (double)Count, 0.297, 0.303);
    }

    [Fact]
    public void SaltAndPepperNoise_ReplacesTheGivenFraction_HalfLowHalfHigh()
    {
        float[] noisy = Corrupt(new SaltAndPepperNoise(0.2, Low: -1f, High: 2f), 0.5f);
        Assert.All(noisy, v => Assert.True(v == -1f || v == 2f || v == 0.5f));
        Assert.InRange(noisy.Count(v => v == -1f) / (double)Count, 0.097, 0.103);
        Assert.InRange(noisy.Count(v => v == 2f) / (double)Count, 0.097, 0.103);
    }

    [Fact]
    public void Corruption_IsRedrawnEveryBatch_AndReproducibleFromTheSeed()
    {
        var random = new Pcg32(1, 1);
        float[] clean = Enumerable.Repeat(1f, 100).ToArray();
        float[] first = new float[100], second = new float[100];
        var noise = new MaskingNoise(0.5);
        noise.Apply(clean, first, ref random);
        noise.Apply(clean, second, ref random);
        Assert.NotEqual(first, second);

        random = new Pcg32(1, 1);
        float[] again = new float[100];
        noise.Apply(clean, again, ref random);
        Assert.Equal(first, again);
    }
}

/// <summary>The public copy-making form of a corruption.</summary>
public class InputCorruptionApplyTests
{
    [Fact]
    public void Apply_GivesAReproducibleCorruptedCopy_AndLeavesTheInputAlone()
    {
        MathNet.Numerics.LinearAlgebra.Matrix<float> x = TestData.Matrix(50, 40, seed: 1);
        var original = x.Clone();
        var noise = new MaskingNoise(0.3);
        var a = noise.Apply(x, seed: 5);
        Assert.Equal(original, x);
        Assert.Equal(a, noise.Apply(x, seed: 5));
        Assert.NotEqual(a, noise.Apply(x, seed: 6));
        Assert.Equal((50, 40), (a.RowCount, a.ColumnCount));
        int zeroed = 0;
        for (int r = 0; r < 50; r++)
        {
            for (int c = 0; c < 40; c++)
            {
                Assert.True(a[r, c] == 0f || a[r, c] == x[r, c]);
                zeroed += a[r, c] == 0f ? 1 : 0;
            }
        }

        Assert.InRange(zeroed / 2000.0, 0.25, 0.35);
        Assert.Throws<ArgumentNullException>(() => noise.Apply(null!, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianNoise(-1).Apply(x, 1));
    }
}

using System.Runtime.Intrinsics;
using Autoencoder.Kernels;

namespace Autoencoder.Tests.Kernels;

public class ExponentialTests
{
    /// <summary>Ordinary arguments across the clamped range, then the ends, zeros, infinities and NaN.</summary>
    private static double[] Arguments()
    {
        var random = new Random(17);
        var values = new List<double>();
        for (int i = 0; i < 20_000; i++)
        {
            values.Add(-110 + (200 * random.NextDouble()));
            values.Add(random.NextDouble() - 0.5);
        }

        values.AddRange([0.0, -0.0, 1e-300, -1e-300, 0.5 * Math.Log(2), -0.5 * Math.Log(2), 88.72, 88.73, -103.9, -104, -110, 90, -111, 91, 1e30, -1e30]);
        values.AddRange([double.MaxValue, double.MinValue, double.PositiveInfinity, double.NegativeInfinity, double.NaN]);
        return [.. values];
    }

    [Fact]
    public void Compute_MatchesMathExp_WithinTheRangeTo1EMinus10()
    {
        foreach (double x in Arguments())
        {
            if (!(x >= -110 && x <= 90))
            {
                continue;
            }

            double expected = Math.Exp(x);
            double actual = Exponential.Compute(x);
            Assert.True(Math.Abs(actual - expected) <= 1e-10 * expected, $"e^{x:R}: expected {expected:R}, got {actual:R}");
        }
    }

    [Theory]
    [InlineData(float.NegativeInfinity, 0f)]
    [InlineData(-200f, 0f)]
    [InlineData(-104f, 0f)]
    [InlineData(0f, 1f)]
    [InlineData(1f, 2.7182817f)]
    [InlineData(88.8f, float.PositiveInfinity)]
    [InlineData(float.MaxValue, float.PositiveInfinity)]
    [InlineData(float.PositiveInfinity, float.PositiveInfinity)]
    public void Compute_Float_GivesTheLimitsAndExactPoints(float x, float expected) => Assert.Equal(expected, Exponential.Compute(x));

    [Fact]
    public void Compute_Float_NaN_GivesNaN() => Assert.True(float.IsNaN(Exponential.Compute(float.NaN)));

    [Fact]
    public void Compute_Float_IsTheCorrectlyRoundedFloatAlmostEverywhere()
    {
        // The double result errs by under 1e-10 relative, so narrowing rounds it the way it rounds the
        // exact value unless that lies within 1e-10 of a float midpoint: rare, and then one ulp off.
        int differing = 0, count = 0;
        foreach (double x in Arguments())
        {
            float xf = (float)x;
            float expected = (float)Math.Exp(xf), actual = Exponential.Compute(xf);
            count++;
            if (expected != actual && !(float.IsNaN(expected) && float.IsNaN(actual)))
            {
                differing++;
                Assert.True(Math.Abs(actual - expected) <= Math.Abs(MathF.BitIncrement(expected) - expected), $"e^{xf:R}: expected {expected:R}, got {actual:R}");
            }
        }

        Assert.True(differing <= count / 1000, $"{differing} of {count} results are not the correctly rounded float");
    }

    [Fact]
    public void EveryWidth_GivesTheScalarBits()
    {
        double[] x = Arguments();
        for (int i = 0; i + 8 <= x.Length; i += 8)
        {
            Vector128<double> v128 = Exponential.Compute(Vector128.Create(x[i], x[i + 1]));
            Vector256<double> v256 = Exponential.Compute(Vector256.Create(x[i], x[i + 1], x[i + 2], x[i + 3]));
            Vector512<double> v512 = Exponential.Compute(Vector512.Create(x[i], x[i + 1], x[i + 2], x[i + 3], x[i + 4], x[i + 5], x[i + 6], x[i + 7]));
            for (int lane = 0; lane < 8; lane++)
            {
                long expected = KernelBits.Bits(Exponential.Compute(x[i + lane]));
                Assert.Equal(expected, KernelBits.Bits(v512[lane]));
                if (lane < 4)
                {
                    Assert.Equal(expected, KernelBits.Bits(v256[lane]));
                }

                if (lane < 2)
                {
                    Assert.Equal(expected, KernelBits.Bits(v128[lane]));
                }
            }
        }
    }

    [Fact]
    public void EveryFloatWidth_GivesTheScalarBits()
    {
        float[] x = Array.ConvertAll(Arguments(), v => (float)v);
        for (int i = 0; i + 16 <= x.Length; i += 16)
        {
            Vector128<float> v128 = Exponential.Compute(Vector128.Create(x.AsSpan(i, 4)));
            Vector256<float> v256 = Exponential.Compute(Vector256.Create(x.AsSpan(i, 8)));
            Vector512<float> v512 = Exponential.Compute(Vector512.Create(x.AsSpan(i, 16)));
            for (int lane = 0; lane < 16; lane++)
            {
                long expected = KernelBits.Bits(Exponential.Compute(x[i + lane]));
                Assert.Equal(expected, KernelBits.Bits(v512[lane]));
                if (lane < 8)
                {
                    Assert.Equal(expected, KernelBits.Bits(v256[lane]));
                }

                if (lane < 4)
                {
                    Assert.Equal(expected, KernelBits.Bits(v128[lane]));
                }
            }
        }
    }
}

using System.Runtime.Intrinsics;
using Autoencoder.Kernels;

namespace Autoencoder.Tests.Kernels;

public class FloatExponentialTests
{
    /// <summary>
    /// The float exponential against the exact one (Math.Exp in double, itself within 1e-16): its
    /// polynomial errs by 3e-9 relative and its float operations by about one rounding, so a result
    /// stays within about one ulp of the exact value (1.01 measured on 26 million points). A wrong
    /// coefficient or reduction errs by many ulps.
    /// </summary>
    private const double MaxUlps = 1.05;

    /// <summary>Smallest float subnormal, 2⁻¹⁴⁹: below the normal range the error is absolute.</summary>
    private const double SmallestSubnormal = 1.4012984643248171e-45;

    /// <summary>Smallest normal float, 2⁻¹²⁶.</summary>
    private const float SmallestNormal = 1.17549435e-38f;

    /// <summary>
    /// Blocks of 16: ordinary arguments (every lane where one factor of 2ⁿ serves), arguments across
    /// the whole range (most blocks then take the two-factor scaling), then the ends, zeros,
    /// infinities and NaN.
    /// </summary>
    private static float[] Arguments()
    {
        var random = new Random(19);
        var values = new List<float>();
        for (int i = 0; i < 40_000; i++)
        {
            values.Add((float)((random.NextDouble() * 20) - 10));
        }

        for (int i = 0; i < 40_000; i++)
        {
            values.Add((float)(-110 + (200 * random.NextDouble())));
        }

        values.AddRange([0f, -0f, 1e-30f, -1e-30f, 0.34657359f, -0.34657359f, -87f, -87.01f, 88f, 88.01f, 88.72f, 88.73f]);
        values.AddRange([-103.9f, -104f, -110f, 89f, -111f, 91f, 1e30f, -1e30f, -87.33654f, -87.34f, -100f, 88.7228f]);
        values.AddRange([float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.Epsilon, -float.Epsilon, 1f]);
        return [.. values];
    }

    [Fact]
    public void Compute_IsWithinAboutOneUlpOfTheExactValue()
    {
        double worst = 0;
        float worstAt = 0;
        foreach (float x in Arguments())
        {
            if (!float.IsFinite(x))
            {
                continue;
            }

            double exact = Math.Exp(x);
            float actual = FloatExponential.Compute(x);
            if (exact > float.MaxValue)
            {
                Assert.True(float.IsPositiveInfinity(actual), $"e^{x:R} overflows; got {actual:R}");
                continue;
            }

            float nearest = (float)exact;
            double error = Math.Abs(actual - exact);
            if (nearest < SmallestNormal)
            {
                Assert.True(error <= SmallestSubnormal, $"e^{x:R} = {exact:R} (subnormal): got {actual:R}");
                continue;
            }

            double ulps = error / (MathF.BitIncrement(nearest) - nearest);
            if (ulps > worst)
            {
                (worst, worstAt) = (ulps, x);
            }
        }

        Assert.True(worst <= MaxUlps, $"e^{worstAt:R}: {worst:F3} ulps from the exact value (allowed {MaxUlps})");
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
    public void Compute_GivesTheLimitsAndExactPoints(float x, float expected) => Assert.Equal(expected, FloatExponential.Compute(x));

    [Fact]
    public void Compute_NegativeZero_GivesOne() => Assert.Equal(1f, FloatExponential.Compute(-0f));

    [Fact]
    public void Compute_NaN_GivesNaN() => Assert.True(float.IsNaN(FloatExponential.Compute(float.NaN)));

    [Fact]
    public void Compute_NearTheEndsOfTheRange_RoundsOnceIntoSubnormalsAndBelowOverflow()
    {
        Assert.Equal((float)Math.Exp(-100.0), FloatExponential.Compute(-100f)); // 3.7e-44: 27 times 2⁻¹⁴⁹
        Assert.Equal((float)Math.Exp(88.7f), FloatExponential.Compute(88.7f)); // n = 128: 2ⁿ alone would be +∞
        Assert.True(FloatExponential.Compute(-103.9f) > 0f, "e^−103.9 is 1.1e-45: it rounds to the smallest subnormal, not 0");
    }

    [Fact]
    public void EveryWidth_GivesTheScalarBits()
    {
        float[] x = Arguments();
        for (int i = 0; i + 16 <= x.Length; i += 16)
        {
            Vector128<float> v128 = FloatExponential.Compute(Vector128.Create(x.AsSpan(i, 4)));
            Vector256<float> v256 = FloatExponential.Compute(Vector256.Create(x.AsSpan(i, 8)));
            Vector512<float> v512 = FloatExponential.Compute(Vector512.Create(x.AsSpan(i, 16)));
            for (int lane = 0; lane < 16; lane++)
            {
                long expected = KernelBits.Bits(FloatExponential.Compute(x[i + lane]));
                Assert.True(expected == KernelBits.Bits(v512[lane]), $"e^{x[i + lane]:R}: scalar {FloatExponential.Compute(x[i + lane]):R}, 512-bit {v512[lane]:R}");
                if (lane < 8)
                {
                    Assert.True(expected == KernelBits.Bits(v256[lane]), $"e^{x[i + lane]:R}: scalar {FloatExponential.Compute(x[i + lane]):R}, 256-bit {v256[lane]:R}");
                }

                if (lane < 4)
                {
                    Assert.True(expected == KernelBits.Bits(v128[lane]), $"e^{x[i + lane]:R}: scalar {FloatExponential.Compute(x[i + lane]):R}, 128-bit {v128[lane]:R}");
                }
            }
        }
    }
}

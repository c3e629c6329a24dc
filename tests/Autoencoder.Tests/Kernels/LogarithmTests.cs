using System.Runtime.Intrinsics;
using Autoencoder.Kernels;

namespace Autoencoder.Tests.Kernels;

public class LogarithmTests
{
    /// <summary>Positive normal arguments: random magnitudes, values near 1 and near √2 (where the mantissa is halved), powers of two.</summary>
    private static double[] Arguments()
    {
        var random = new Random(23);
        var values = new List<double>();
        for (int i = 0; i < 20_000; i++)
        {
            values.Add(Math.Exp((random.NextDouble() * 1400) - 700));
            values.Add(1 + ((random.NextDouble() - 0.5) * 1e-6));
            values.Add(random.NextDouble() + 1e-7);
        }

        values.AddRange([1.0, 2.0, 0.5, Math.Sqrt(2), Math.BitDecrement(Math.Sqrt(2)), Math.BitIncrement(Math.Sqrt(2)), 1e-7, 1 - 1e-7, double.MaxValue, 2.2250738585072014e-308]);
        return [.. values];
    }

    [Fact]
    public void Compute_MatchesMathLog_ToAFewDoubleUlps()
    {
        foreach (double x in Arguments())
        {
            double expected = Math.Log(x);
            double actual = Logarithm.Compute(x);
            Assert.True(Math.Abs(actual - expected) <= 8e-16 * Math.Abs(expected), $"ln {x:R}: expected {expected:R}, got {actual:R}");
        }
    }

    [Fact]
    public void Compute_NaN_GivesNaN()
    {
        Assert.True(double.IsNaN(Logarithm.Compute(double.NaN)));
        Assert.True(double.IsNaN(Logarithm.Compute(Vector256.Create(double.NaN))[2]));
    }

    [Fact]
    public void OnePlus_MatchesLog1p_ToFloatAccuracyAndBeyond()
    {
        var random = new Random(29);
        double[] arguments = [0.0, 1.0, 1e-300, 1e-20, 1e-9, 0.5, .. Enumerable.Range(0, 20_000).Select(_ => Math.Pow(random.NextDouble(), 8))];
        foreach (double e in arguments)
        {
            // ln(1 + e) by Goldberg's ln(u)·e/(u − 1), u = 1 + e rounded, which cancels the rounding of u.
            double u = 1 + e;
            double expected = u == 1 ? e : Math.Log(u) * (e / (u - 1));
            double actual = Logarithm.OnePlus(e);
            Assert.True(Math.Abs(actual - expected) <= 2e-11 * expected, $"ln(1 + {e:R}): expected {expected:R}, got {actual:R}");
        }
    }

    [Fact]
    public void EveryWidth_GivesTheScalarBits()
    {
        double[] x = Arguments();
        for (int i = 0; i + 8 <= x.Length; i += 8)
        {
            double[] e = [.. x.AsSpan(i, 8).ToArray().Select(v => v / (1 + v))];
            Vector128<double> log128 = Logarithm.Compute(Vector128.Create(x.AsSpan(i, 2)));
            Vector256<double> log256 = Logarithm.Compute(Vector256.Create(x.AsSpan(i, 4)));
            Vector512<double> log512 = Logarithm.Compute(Vector512.Create(x.AsSpan(i, 8)));
            Vector128<double> one128 = Logarithm.OnePlus(Vector128.Create(e.AsSpan(0, 2)));
            Vector256<double> one256 = Logarithm.OnePlus(Vector256.Create(e.AsSpan(0, 4)));
            Vector512<double> one512 = Logarithm.OnePlus(Vector512.Create(e.AsSpan(0, 8)));
            for (int lane = 0; lane < 8; lane++)
            {
                long log = KernelBits.Bits(Logarithm.Compute(x[i + lane])), onePlus = KernelBits.Bits(Logarithm.OnePlus(e[lane]));
                Assert.Equal(log, KernelBits.Bits(log512[lane]));
                Assert.Equal(onePlus, KernelBits.Bits(one512[lane]));
                if (lane < 4)
                {
                    Assert.Equal(log, KernelBits.Bits(log256[lane]));
                    Assert.Equal(onePlus, KernelBits.Bits(one256[lane]));
                }

                if (lane < 2)
                {
                    Assert.Equal(log, KernelBits.Bits(log128[lane]));
                    Assert.Equal(onePlus, KernelBits.Bits(one128[lane]));
                }
            }
        }
    }
}

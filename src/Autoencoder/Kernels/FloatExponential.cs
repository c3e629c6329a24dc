using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Autoencoder.Kernels;

/// <summary>
/// <c>e^x</c> in float lanes, within about one ulp, with the same bits at every vector width and in
/// the scalar form (only additions, multiplications, fused multiply-adds, comparisons and bit
/// operations, each exactly specified by IEEE 754). Twice the lanes of <see cref="Exponential"/>,
/// which widens to double; kernels whose cost is the exponential itself (the sigmoid of a large
/// output layer) use this one.
/// </summary>
/// <remarks>
/// <para>
/// With <c>n = round(x/ln 2)</c> (by the 1.5·2²³ shifter, ties to even) and
/// <c>r = x − n·ln 2</c> in two fused steps (Cody and Waite: <c>ln 2</c> split into a high part with
/// eight trailing zero bits and the float nearest the rest), <c>|r| ≤ ½ ln 2</c> and
/// <c>e^x = 2ⁿ·e^r</c>. <c>e^r = 1 + (r + r²·q(r))</c> with <c>q</c> of degree 4, fitted for this
/// library near-minimax for the relative error of <c>e^r</c> on [−½ ln 2, ½ ln 2] (3.1e-9 before
/// rounding the coefficients to float). Measured against the exact exponential on 26 million
/// points of [−104, 89]: at most 1.01 ulps (mean 0.27) where the result is a normal float, and
/// within 0.75 of the smallest subnormal below that.
/// </para>
/// <para>
/// <c>2ⁿ</c> is built in the exponent bits, in two factors <c>2^⌊n/2⌋·2^(n−⌊n/2⌋)</c> whenever a lane
/// lies where <c>2ⁿ</c> alone would not be a normal float (x below −87 or above 88), so a subnormal
/// or overflowing result is rounded once, by the last multiplication. Elsewhere both forms are exact
/// and give the same bits. The argument is first clamped to [−104, 89]: below, <c>e^x</c> is under
/// half the smallest subnormal and rounds to 0; above, it exceeds the largest float and rounds to
/// +∞. So −∞ gives 0, +∞ gives +∞, and NaN stays NaN.
/// </para>
/// </remarks>
internal static class FloatExponential
{
    private const float Lowest = -104f;
    private const float Highest = 89f;

    /// <summary>Where <c>2ⁿ</c> of one factor stays a normal float and the result does too.</summary>
    private const float OneFactorLow = -87f, OneFactorHigh = 88f;

    private const float Log2E = 1.44269502f;

    /// <summary>1.5·2²³: adding it rounds to an integer, which then sits in the low bits.</summary>
    private const float Shifter = 12582912f;

    /// <summary>The bits of <see cref="Shifter"/>: subtracted from the bits of <c>x·log₂e + Shifter</c>, they leave n.</summary>
    private const int ShifterBits = 0x4B400000;

    /// <summary><c>ln 2</c> to 16 bits (0x3F317200: n·Ln2High is exact for |n| ≤ 256) and the float nearest the rest.</summary>
    private const float Ln2High = 0.693145752f, Ln2Low = 1.42860677e-6f;

    /// <summary>The fit <c>q(r) ≈ (e^r − 1 − r)/r²</c>, highest power first in Horner's order.</summary>
    private const float C6 = 0.00138146046f, C5 = 0.00836871099f, C4 = 0.041668389f, C3 = 0.166665211f, C2 = 0.49999994f;

    /// <summary>One lane (always the two-factor scaling, which gives the one-factor bits wherever both apply).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Compute(float x)
    {
        x = x < Lowest ? Lowest : x;
        x = x > Highest ? Highest : x;
        float t = MathF.FusedMultiplyAdd(x, Log2E, Shifter);
        float n = t - Shifter;
        float r = MathF.FusedMultiplyAdd(-n, Ln2High, x);
        r = MathF.FusedMultiplyAdd(-n, Ln2Low, r);
        float q = MathF.FusedMultiplyAdd(C6, r, C5);
        q = MathF.FusedMultiplyAdd(q, r, C4);
        q = MathF.FusedMultiplyAdd(q, r, C3);
        q = MathF.FusedMultiplyAdd(q, r, C2);
        float p = 1f + MathF.FusedMultiplyAdd(q, r * r, r);
        int k = BitConverter.SingleToInt32Bits(t) - ShifterBits;
        int half = k >> 1;
        return p * Power2(half) * Power2(k - half);
    }

    /// <summary>Four lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Compute(Vector128<float> x)
    {
        bool wide = Vector128.LessThanAny(x, Vector128.Create(OneFactorLow)) || Vector128.GreaterThanAny(x, Vector128.Create(OneFactorHigh));
        if (wide)
        {
            x = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(Lowest)), Vector128.Create(Lowest), x);
            x = Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(Highest)), Vector128.Create(Highest), x);
        }

        Vector128<float> t = Vector128.FusedMultiplyAdd(x, Vector128.Create(Log2E), Vector128.Create(Shifter));
        Vector128<float> n = t - Vector128.Create(Shifter);
        Vector128<float> r = Vector128.FusedMultiplyAdd(-n, Vector128.Create(Ln2High), x);
        r = Vector128.FusedMultiplyAdd(-n, Vector128.Create(Ln2Low), r);
        Vector128<float> q = Vector128.FusedMultiplyAdd(Vector128.Create(C6), r, Vector128.Create(C5));
        q = Vector128.FusedMultiplyAdd(q, r, Vector128.Create(C4));
        q = Vector128.FusedMultiplyAdd(q, r, Vector128.Create(C3));
        q = Vector128.FusedMultiplyAdd(q, r, Vector128.Create(C2));
        Vector128<float> p = Vector128<float>.One + Vector128.FusedMultiplyAdd(q, r * r, r);
        Vector128<int> k = t.AsInt32() - Vector128.Create(ShifterBits);
        if (!wide)
        {
            return p * Power2(k);
        }

        Vector128<int> half = Vector128.ShiftRightArithmetic(k, 1);
        return p * Power2(half) * Power2(k - half);
    }

    /// <summary>Eight lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Compute(Vector256<float> x)
    {
        bool wide = Vector256.LessThanAny(x, Vector256.Create(OneFactorLow)) || Vector256.GreaterThanAny(x, Vector256.Create(OneFactorHigh));
        if (wide)
        {
            x = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(Lowest)), Vector256.Create(Lowest), x);
            x = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(Highest)), Vector256.Create(Highest), x);
        }

        Vector256<float> t = Vector256.FusedMultiplyAdd(x, Vector256.Create(Log2E), Vector256.Create(Shifter));
        Vector256<float> n = t - Vector256.Create(Shifter);
        Vector256<float> r = Vector256.FusedMultiplyAdd(-n, Vector256.Create(Ln2High), x);
        r = Vector256.FusedMultiplyAdd(-n, Vector256.Create(Ln2Low), r);
        Vector256<float> q = Vector256.FusedMultiplyAdd(Vector256.Create(C6), r, Vector256.Create(C5));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(C4));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(C3));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(C2));
        Vector256<float> p = Vector256<float>.One + Vector256.FusedMultiplyAdd(q, r * r, r);
        Vector256<int> k = t.AsInt32() - Vector256.Create(ShifterBits);
        if (!wide)
        {
            return p * Power2(k);
        }

        Vector256<int> half = Vector256.ShiftRightArithmetic(k, 1);
        return p * Power2(half) * Power2(k - half);
    }

    /// <summary>Sixteen lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Compute(Vector512<float> x)
    {
        bool wide = Vector512.LessThanAny(x, Vector512.Create(OneFactorLow)) || Vector512.GreaterThanAny(x, Vector512.Create(OneFactorHigh));
        if (wide)
        {
            x = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(Lowest)), Vector512.Create(Lowest), x);
            x = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(Highest)), Vector512.Create(Highest), x);
        }

        Vector512<float> t = Vector512.FusedMultiplyAdd(x, Vector512.Create(Log2E), Vector512.Create(Shifter));
        Vector512<float> n = t - Vector512.Create(Shifter);
        Vector512<float> r = Vector512.FusedMultiplyAdd(-n, Vector512.Create(Ln2High), x);
        r = Vector512.FusedMultiplyAdd(-n, Vector512.Create(Ln2Low), r);
        Vector512<float> q = Vector512.FusedMultiplyAdd(Vector512.Create(C6), r, Vector512.Create(C5));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(C4));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(C3));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(C2));
        Vector512<float> p = Vector512<float>.One + Vector512.FusedMultiplyAdd(q, r * r, r);
        Vector512<int> k = t.AsInt32() - Vector512.Create(ShifterBits);
        if (!wide)
        {
            return p * Power2(k);
        }

        Vector512<int> half = Vector512.ShiftRightArithmetic(k, 1);
        return p * Power2(half) * Power2(k - half);
    }

    /// <summary><c>2^k</c> for k in [−126, 127], from the exponent bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Power2(int k) => BitConverter.Int32BitsToSingle((k + 127) << 23);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Power2(Vector128<int> k) => Vector128.ShiftLeft(k + Vector128.Create(127), 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Power2(Vector256<int> k) => Vector256.ShiftLeft(k + Vector256.Create(127), 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Power2(Vector512<int> k) => Vector512.ShiftLeft(k + Vector512.Create(127), 23).AsSingle();
}

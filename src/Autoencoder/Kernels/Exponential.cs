using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Autoencoder.Kernels;

/// <summary>
/// <c>e^x</c> in double lanes for kernels whose results end as floats, with the same bits at
/// every vector width and in the scalar form: only additions, multiplications, fused
/// multiply-adds, comparisons and bit operations, each exactly specified by IEEE 754 (a fused
/// multiply-add rounds once, in hardware or, where the processor has none, in the runtime's
/// software) and carried out lane by lane where the runtime emulates vectors. The runtime's own
/// <c>Vector128.Exp</c> and <c>MathF.Exp</c> do not promise that: the vector form fuses its
/// multiply-adds only where the processor has FMA, and falls back to the C library's <c>exp</c>
/// where vectors are not accelerated.
/// </summary>
/// <remarks>
/// <para>
/// With <c>n = round(x/ln 2)</c> (by the 1.5·2⁵² shifter, ties to even) and <c>r = x − n·ln 2</c>
/// (one fused multiply-add, within 4e-15 of the exact reduction), <c>|r| ≤ ½ ln 2</c> and
/// <c>e^x = 2ⁿ·e^r</c>, with <c>e^r</c> from a degree-7 Chebyshev fit on [−0.35, 0.35] (computed
/// for this library; error below 7e-11 relative) and <c>2ⁿ</c> built in the exponent bits. A
/// result narrowed to float is at most one ulp from the correctly rounded one, and equal to it
/// unless the exact value lies within 1e-10 relative of a rounding boundary.
/// </para>
/// <para>
/// The argument is first clamped to [−110, 90]: below, <c>e^x</c> is under half the smallest
/// float subnormal and narrows to 0; above, it exceeds the largest float and narrows to +∞. So
/// −∞ gives (after narrowing) 0, +∞ gives +∞, and NaN stays NaN.
/// </para>
/// </remarks>
internal static class Exponential
{
    private const double Lowest = -110;
    private const double Highest = 90;
    private const double Log2E = 1.4426950408889634074;
    private const double Ln2 = 0.69314718055994530942;

    /// <summary>1.5·2⁵²: adding it rounds to an integer, which then sits in the low bits.</summary>
    private const double Shifter = 6755399441055744.0;

    /// <summary>The fit <c>e^r ≈ Σ Cₖ rᵏ</c>, highest power first in Horner's order.</summary>
    private const double C7 = 0.00019908888752377812, C6 = 0.0013949766623900918, C5 = 0.008333281538106084;
    private const double C4 = 0.04166620030195901, C3 = 0.1666666679358881, C2 = 0.5000000114285581;
    private const double C1 = 0.9999999999951411, C0 = 0.9999999999562482;

    /// <summary>One lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Compute(double x)
    {
        x = x < Lowest ? Lowest : x;
        return Unclamped(x > Highest ? Highest : x);
    }

    /// <summary>Two lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Compute(Vector128<double> x)
    {
        x = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(Lowest)), Vector128.Create(Lowest), x);
        return Unclamped(Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(Highest)), Vector128.Create(Highest), x));
    }

    /// <summary>Four lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Compute(Vector256<double> x)
    {
        x = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(Lowest)), Vector256.Create(Lowest), x);
        return Unclamped(Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(Highest)), Vector256.Create(Highest), x));
    }

    /// <summary>Eight lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Compute(Vector512<double> x)
    {
        x = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(Lowest)), Vector512.Create(Lowest), x);
        return Unclamped(Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(Highest)), Vector512.Create(Highest), x));
    }

    /// <summary>
    /// <c>e^x</c> of a float, rounded once to float. The clamp is applied to the float (its bounds
    /// are floats, so it selects exactly what it would after widening), which is cheaper.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Compute(float x)
    {
        x = x < (float)Lowest ? (float)Lowest : x;
        return (float)Unclamped((double)(x > (float)Highest ? (float)Highest : x));
    }

    /// <summary>
    /// Four float lanes, each clamped, widened, exponentiated and rounded once to float. The clamp
    /// runs only when some lane is outside its bounds: otherwise it would change nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Compute(Vector128<float> x)
    {
        if (Vector128.LessThanAny(x, Vector128.Create((float)Lowest)) || Vector128.GreaterThanAny(x, Vector128.Create((float)Highest)))
        {
            x = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create((float)Lowest)), Vector128.Create((float)Lowest), x);
            x = Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create((float)Highest)), Vector128.Create((float)Highest), x);
        }

        (Vector128<double> low, Vector128<double> high) = Vector128.Widen(x);
        return Vector128.Narrow(Unclamped(low), Unclamped(high));
    }

    /// <summary>Eight float lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Compute(Vector256<float> x)
    {
        if (Vector256.LessThanAny(x, Vector256.Create((float)Lowest)) || Vector256.GreaterThanAny(x, Vector256.Create((float)Highest)))
        {
            x = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create((float)Lowest)), Vector256.Create((float)Lowest), x);
            x = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create((float)Highest)), Vector256.Create((float)Highest), x);
        }

        (Vector256<double> low, Vector256<double> high) = Vector256.Widen(x);
        return Vector256.Narrow(Unclamped(low), Unclamped(high));
    }

    /// <summary>Sixteen float lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Compute(Vector512<float> x)
    {
        if (Vector512.LessThanAny(x, Vector512.Create((float)Lowest)) || Vector512.GreaterThanAny(x, Vector512.Create((float)Highest)))
        {
            x = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create((float)Lowest)), Vector512.Create((float)Lowest), x);
            x = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create((float)Highest)), Vector512.Create((float)Highest), x);
        }

        (Vector512<double> low, Vector512<double> high) = Vector512.Widen(x);
        return Vector512.Narrow(Unclamped(low), Unclamped(high));
    }

    /// <summary>The exponential proper, for x already in [−110, 90].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Unclamped(double x)
    {
        double t = Math.FusedMultiplyAdd(x, Log2E, Shifter);
        double n = t - Shifter;
        double r = Math.FusedMultiplyAdd(-n, Ln2, x);
        double p = Math.FusedMultiplyAdd(C7, r, C6);
        p = Math.FusedMultiplyAdd(p, r, C5);
        p = Math.FusedMultiplyAdd(p, r, C4);
        p = Math.FusedMultiplyAdd(p, r, C3);
        p = Math.FusedMultiplyAdd(p, r, C2);
        p = Math.FusedMultiplyAdd(p, r, C1);
        p = Math.FusedMultiplyAdd(p, r, C0);
        double scale = BitConverter.Int64BitsToDouble((BitConverter.DoubleToInt64Bits(t) + 1023) << 52);
        return p * scale;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Unclamped(Vector128<double> x)
    {
        Vector128<double> t = Vector128.FusedMultiplyAdd(x, Vector128.Create(Log2E), Vector128.Create(Shifter));
        Vector128<double> n = t - Vector128.Create(Shifter);
        Vector128<double> r = Vector128.FusedMultiplyAdd(-n, Vector128.Create(Ln2), x);
        Vector128<double> p = Vector128.FusedMultiplyAdd(Vector128.Create(C7), r, Vector128.Create(C6));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(C5));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(C4));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(C3));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(C2));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(C1));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(C0));
        Vector128<double> scale = Vector128.ShiftLeft(t.AsInt64() + Vector128.Create(1023L), 52).AsDouble();
        return p * scale;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Unclamped(Vector256<double> x)
    {
        Vector256<double> t = Vector256.FusedMultiplyAdd(x, Vector256.Create(Log2E), Vector256.Create(Shifter));
        Vector256<double> n = t - Vector256.Create(Shifter);
        Vector256<double> r = Vector256.FusedMultiplyAdd(-n, Vector256.Create(Ln2), x);
        Vector256<double> p = Vector256.FusedMultiplyAdd(Vector256.Create(C7), r, Vector256.Create(C6));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C5));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C2));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C1));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(C0));
        Vector256<double> scale = Vector256.ShiftLeft(t.AsInt64() + Vector256.Create(1023L), 52).AsDouble();
        return p * scale;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Unclamped(Vector512<double> x)
    {
        Vector512<double> t = Vector512.FusedMultiplyAdd(x, Vector512.Create(Log2E), Vector512.Create(Shifter));
        Vector512<double> n = t - Vector512.Create(Shifter);
        Vector512<double> r = Vector512.FusedMultiplyAdd(-n, Vector512.Create(Ln2), x);
        Vector512<double> p = Vector512.FusedMultiplyAdd(Vector512.Create(C7), r, Vector512.Create(C6));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C5));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C1));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(C0));
        Vector512<double> scale = Vector512.ShiftLeft(t.AsInt64() + Vector512.Create(1023L), 52).AsDouble();
        return p * scale;
    }
}

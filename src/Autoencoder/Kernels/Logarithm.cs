using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Autoencoder.Kernels;

/// <summary>
/// <c>ln x</c> in double lanes for positive normal x, to about 2 double ulps, and <c>ln(1 + e)</c> for
/// e in [0, 1] (<see cref="OnePlus(double)"/>), for float results; with the same bits at every vector
/// width and in the scalar form (only exactly specified operations, as <see cref="Exponential"/>).
/// The runtime's <c>Vector128.Log</c> and <c>Math.Log</c> do not promise the same bits on every
/// instruction path.
/// </summary>
/// <remarks>
/// <c>x = 2ᵏ·m</c> with <c>m ∈ [√½, √2)</c> taken from the bits (m halved and k raised when the
/// mantissa is above √2), <c>f = m − 1</c> (exact), <c>s = f/(2 + f)</c>, and
/// <c>ln x = k·ln 2 + 2·atanh(s) = k·ln 2 + 2s·(1 + s²·g(s²))</c> with |s| ≤ 0.1716 and g a
/// Chebyshev fit (error below 5e-18), evaluated with fused multiply-adds (rounded once, in
/// hardware or in the runtime's software). No cancellation for x near 1: <c>ln x ≈ 2s</c> keeps the
/// relative precision of s. Zero, negative, subnormal and infinite arguments are outside the domain the
/// kernels use (their results are unspecified); NaN gives NaN.
/// </remarks>
internal static class Logarithm
{
    private const long MantissaMask = 0x000F_FFFF_FFFF_FFFF;
    private const long ExponentOfOne = 0x3FF0_0000_0000_0000;
    private const double Sqrt2 = 1.4142135623730950488;

    /// <summary>
    /// The bits of 2⁵²: an integer e below 2⁵² OR-ed into its mantissa gives the double 2⁵² + e, so
    /// the exponent field becomes a double without a conversion instruction (AVX2 has none for 64-bit integers).
    /// </summary>
    private const long TwoTo52Bits = 0x4330_0000_0000_0000;

    /// <summary>2⁵² + 1023, subtracted to leave the unbiased exponent.</summary>
    private const double TwoTo52PlusBias = 4503599627370496.0 + 1023.0;

    /// <summary>ln 2 in two parts: <c>k·Ln2Hi</c> is exact for every exponent k.</summary>
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;

    /// <summary>
    /// <c>g(u) ≈ (atanh(√u)/√u − 1)/u</c> on u = s² ∈ [0, 0.02944] (|s| ≤ (√2 − 1)/(√2 + 1)), a degree-6
    /// Chebyshev fit computed for this library, highest power first: <c>u·g(u)</c> errs by under 5e-18.
    /// </summary>
    private const double L6 = 0.07308292712444311, L5 = 0.07665855309105386, L4 = 0.09091444727837474, L3 = 0.11111105565129939;
    private const double L2 = 0.14285714313001635, L1 = 0.19999999999949722, L0 = 0.3333333333333335;

    /// <summary>The same <c>g(u)</c> on u ∈ [0, 1/9] (s ≤ ⅓, for <see cref="OnePlus(double)"/>), degree 5: <c>u·g(u)</c> errs by under 2e-11.</summary>
    private const double W5 = 0.10393808427873376, W4 = 0.08732351232720387, W3 = 0.11132355604500663;
    private const double W2 = 0.1428515286094183, W1 = 0.2000000538497483, W0 = 0.33333333325011805;

    /// <summary>One lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Compute(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        double m = BitConverter.Int64BitsToDouble((bits & MantissaMask) | ExponentOfOne);
        double k = BitConverter.Int64BitsToDouble((long)((ulong)bits >> 52) | TwoTo52Bits) - TwoTo52PlusBias;
        bool high = m > Sqrt2;
        m = high ? m * 0.5 : m;
        k = high ? k + 1.0 : k;
        double f = m - 1.0;
        double result = (k * Ln2Hi) + ((k * Ln2Lo) + TwiceAtanh(f / (2.0 + f), wide: false));
        return double.IsNaN(x) ? x : result;
    }

    /// <summary>Two lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> Compute(Vector128<double> x)
    {
        Vector128<long> bits = x.AsInt64();
        Vector128<double> m = ((bits & Vector128.Create(MantissaMask)) | Vector128.Create(ExponentOfOne)).AsDouble();
        Vector128<double> k = (Vector128.ShiftRightLogical(bits, 52) | Vector128.Create(TwoTo52Bits)).AsDouble() - Vector128.Create(TwoTo52PlusBias);
        Vector128<double> high = Vector128.GreaterThan(m, Vector128.Create(Sqrt2));
        m = Vector128.ConditionalSelect(high, m * 0.5, m);
        k = Vector128.ConditionalSelect(high, k + Vector128<double>.One, k);
        Vector128<double> f = m - Vector128<double>.One;
        Vector128<double> result = (k * Ln2Hi) + ((k * Ln2Lo) + TwiceAtanh(f / (Vector128.Create(2.0) + f), wide: false));
        return Vector128.ConditionalSelect(Vector128.Equals(x, x), result, x);
    }

    /// <summary>Four lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Compute(Vector256<double> x)
    {
        Vector256<long> bits = x.AsInt64();
        Vector256<double> m = ((bits & Vector256.Create(MantissaMask)) | Vector256.Create(ExponentOfOne)).AsDouble();
        Vector256<double> k = (Vector256.ShiftRightLogical(bits, 52) | Vector256.Create(TwoTo52Bits)).AsDouble() - Vector256.Create(TwoTo52PlusBias);
        Vector256<double> high = Vector256.GreaterThan(m, Vector256.Create(Sqrt2));
        m = Vector256.ConditionalSelect(high, m * 0.5, m);
        k = Vector256.ConditionalSelect(high, k + Vector256<double>.One, k);
        Vector256<double> f = m - Vector256<double>.One;
        Vector256<double> result = (k * Ln2Hi) + ((k * Ln2Lo) + TwiceAtanh(f / (Vector256.Create(2.0) + f), wide: false));
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }

    /// <summary>Eight lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Compute(Vector512<double> x)
    {
        Vector512<long> bits = x.AsInt64();
        Vector512<double> m = ((bits & Vector512.Create(MantissaMask)) | Vector512.Create(ExponentOfOne)).AsDouble();
        Vector512<double> k = (Vector512.ShiftRightLogical(bits, 52) | Vector512.Create(TwoTo52Bits)).AsDouble() - Vector512.Create(TwoTo52PlusBias);
        Vector512<double> high = Vector512.GreaterThan(m, Vector512.Create(Sqrt2));
        m = Vector512.ConditionalSelect(high, m * 0.5, m);
        k = Vector512.ConditionalSelect(high, k + Vector512<double>.One, k);
        Vector512<double> f = m - Vector512<double>.One;
        Vector512<double> result = (k * Ln2Hi) + ((k * Ln2Lo) + TwiceAtanh(f / (Vector512.Create(2.0) + f), wide: false));
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x);
    }

    /// <summary>
    /// <c>ln(1 + e)</c> for <c>e ∈ [0, 1]</c> (a NaN stays NaN), for float results: <c>2·atanh(s)</c> with
    /// <c>s = e/(2 + e)</c> straight from e, so tiny e keep their relative precision (no rounding of
    /// <c>1 + e</c>); with s ≤ ⅓ its fit errs by under 2e-11 relative.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double OnePlus(double e) => TwiceAtanh(e / (2.0 + e), wide: true);

    /// <summary>Two lanes of <see cref="OnePlus(double)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<double> OnePlus(Vector128<double> e) => TwiceAtanh(e / (Vector128.Create(2.0) + e), wide: true);

    /// <summary>Four lanes of <see cref="OnePlus(double)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> OnePlus(Vector256<double> e) => TwiceAtanh(e / (Vector256.Create(2.0) + e), wide: true);

    /// <summary>Eight lanes of <see cref="OnePlus(double)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> OnePlus(Vector512<double> e) => TwiceAtanh(e / (Vector512.Create(2.0) + e), wide: true);

    /// <summary>
    /// <c>2·atanh(s) = 2s + 2s·(s²·g(s²))</c>, the leading term exact; <paramref name="wide"/> picks the
    /// fit for s ≤ ⅓ (else |s| ≤ 0.1716). A constant argument: the unused fit is compiled away.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double TwiceAtanh(double s, bool wide)
    {
        double u = s * s;
        double g = wide
            ? Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(W5, u, W4), u, W3), u, W2), u, W1), u, W0)
            : Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(Math.FusedMultiplyAdd(L6, u, L5), u, L4), u, L3), u, L2), u, L1), u, L0);
        double twice = s + s;
        return Math.FusedMultiplyAdd(twice, u * g, twice);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> TwiceAtanh(Vector128<double> s, bool wide)
    {
        Vector128<double> u = s * s;
        Vector128<double> g = wide
            ? Vector128.FusedMultiplyAdd(Vector128.FusedMultiplyAdd(Vector128.FusedMultiplyAdd(Vector128.FusedMultiplyAdd(Vector128.FusedMultiplyAdd(Vector128.Create(W5), u, Vector128.Create(W4)), u, Vector128.Create(W3)), u, Vector128.Create(W2)), u, Vector128.Create(W1)), u, Vector128.Create(W0))
            : Vector128.FusedMultiplyAdd(Vector128.FusedMultiplyAdd(Vector128.FusedMultiplyAdd(Vector128.FusedMultiplyAdd(Vector128.FusedMultiplyAdd(Vector128.FusedMultiplyAdd(Vector128.Create(L6), u, Vector128.Create(L5)), u, Vector128.Create(L4)), u, Vector128.Create(L3)), u, Vector128.Create(L2)), u, Vector128.Create(L1)), u, Vector128.Create(L0));
        Vector128<double> twice = s + s;
        return Vector128.FusedMultiplyAdd(twice, u * g, twice);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> TwiceAtanh(Vector256<double> s, bool wide)
    {
        Vector256<double> u = s * s;
        Vector256<double> g = wide
            ? Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.Create(W5), u, Vector256.Create(W4)), u, Vector256.Create(W3)), u, Vector256.Create(W2)), u, Vector256.Create(W1)), u, Vector256.Create(W0))
            : Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.Create(L6), u, Vector256.Create(L5)), u, Vector256.Create(L4)), u, Vector256.Create(L3)), u, Vector256.Create(L2)), u, Vector256.Create(L1)), u, Vector256.Create(L0));
        Vector256<double> twice = s + s;
        return Vector256.FusedMultiplyAdd(twice, u * g, twice);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> TwiceAtanh(Vector512<double> s, bool wide)
    {
        Vector512<double> u = s * s;
        Vector512<double> g = wide
            ? Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(Vector512.Create(W5), u, Vector512.Create(W4)), u, Vector512.Create(W3)), u, Vector512.Create(W2)), u, Vector512.Create(W1)), u, Vector512.Create(W0))
            : Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(Vector512.Create(L6), u, Vector512.Create(L5)), u, Vector512.Create(L4)), u, Vector512.Create(L3)), u, Vector512.Create(L2)), u, Vector512.Create(L1)), u, Vector512.Create(L0));
        Vector512<double> twice = s + s;
        return Vector512.FusedMultiplyAdd(twice, u * g, twice);
    }
}

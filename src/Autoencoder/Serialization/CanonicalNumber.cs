using System.Globalization;
using System.Runtime.CompilerServices;

namespace Autoencoder.Serialization;

/// <summary>
/// Whether UTF-8 text is a number exactly as the checkpoint writer prints it: integers in
/// invariant decimal without leading zeros, doubles in invariant round-trip form (<c>"R"</c>, the
/// shortest text that parses back to the same value). Decided without parsing or formatting where
/// the text alone decides it, so checking a history as long as a header costs little per byte.
/// </summary>
[SkipLocalsInit] // the digit buffers are written before they are read
internal static class CanonicalNumber
{
    /// <summary>The most significant digits any two distinct decimals can have and still parse to distinct normal doubles.</summary>
    private const int UniqueDigits = 15;

    /// <summary>Whether <paramref name="text"/> is a non-negative integer of at most <see cref="long.MaxValue"/>, in canonical form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a load runs it for every epoch, before tiering would optimise it
    public static bool IsNonNegativeLong(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty || text.Length > 19 || (text[0] == (byte)'0' && text.Length > 1))
        {
            return false;
        }

        foreach (byte b in text)
        {
            if ((uint)(b - '0') > 9)
            {
                return false;
            }
        }

        return text.Length < 19 || text.SequenceCompareTo("9223372036854775807"u8) <= 0;
    }

    /// <summary>
    /// Whether <paramref name="text"/> is the round-trip text of a finite double (<c>-0</c> included).
    /// </summary>
    /// <remarks>
    /// A decimal of at most 15 significant digits whose magnitude is in [1E-307, 1E15) is the only
    /// one of at most 15 digits that parses to its double (15 digits survive a round trip through any
    /// normal double, and the rounding boundaries below 2^53 have more digits), so it is that double's
    /// shortest text: it is canonical exactly when it is laid out as the formatter lays out those
    /// digits. Any other text is parsed and formatted.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsDouble(ReadOnlySpan<byte> text) =>
        IsWholeNumber(text) || (TryDecide(text, out bool canonical) ? canonical : RoundTrips(text));

    /// <summary>Whether <paramref name="text"/> is a canonical integer below 1E15, which prints as its digits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsWholeNumber(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty || text.Length > UniqueDigits || (text[0] == (byte)'0' && text.Length > 1))
        {
            return false;
        }

        foreach (byte b in text)
        {
            if ((uint)(b - '0') > 9)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The defining check: <paramref name="text"/> parses to a finite double whose round-trip text it is.</summary>
    public static bool RoundTrips(ReadOnlySpan<byte> text)
    {
        Span<byte> formatted = stackalloc byte[32];
        return double.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out double value)
            && double.IsFinite(value)
            && value.TryFormat(formatted, out int written, "R", CultureInfo.InvariantCulture)
            && formatted[..written].SequenceEqual(text);
    }

    /// <summary>
    /// Decides <see cref="IsDouble"/> from the text alone when it reads as <c>-?digits[.digits][E[±]digits]</c>
    /// with at most <see cref="UniqueDigits"/> significant digits and a magnitude in [1E-307, 1E15), or zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryDecide(ReadOnlySpan<byte> text, out bool canonical)
    {
        canonical = false;
        Span<byte> digits = stackalloc byte[UniqueDigits];
        int i = 0, total = 0, significant = 0, pendingZeros = 0, leadingZeros = 0, point = -1;
        bool negative = !text.IsEmpty && text[0] == (byte)'-';
        i += negative ? 1 : 0;
        for (; i < text.Length && text[i] != (byte)'E'; i++)
        {
            byte b = text[i];
            if (b == (byte)'.' && point < 0)
            {
                point = total;
                continue;
            }

            if ((uint)(b - '0') > 9)
            {
                return false;
            }

            total++;
            if (b == (byte)'0')
            {
                leadingZeros += significant == 0 ? 1 : 0;
                pendingZeros += significant == 0 ? 0 : 1;
                continue;
            }

            if (significant + pendingZeros >= UniqueDigits)
            {
                return false;
            }

            digits.Slice(significant, pendingZeros).Fill((byte)'0');
            significant += pendingZeros;
            pendingZeros = 0;
            digits[significant++] = b;
        }

        if (total == 0 || !TryExponent(text[i..], out int exponent))
        {
            return false;
        }

        if (significant == 0)
        {
            canonical = text.SequenceEqual(negative ? "-0"u8 : "0"u8);
            return true;
        }

        int scale = (point < 0 ? total : point) - leadingZeros + exponent; // the value is 0.{digits} × 10^scale
        if (scale - 1 < -307 || scale - 1 > 14)
        {
            return false;
        }

        Span<byte> laidOut = stackalloc byte[32];
        canonical = text.SequenceEqual(Layout(negative, digits[..significant], scale, laidOut));
        return true;
    }

    /// <summary>Reads <c>E[±]digits</c> (at most four digits), or nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryExponent(ReadOnlySpan<byte> text, out int exponent)
    {
        exponent = 0;
        if (text.IsEmpty)
        {
            return true;
        }

        int sign = 1, i = 1;
        if (i < text.Length && (text[i] == (byte)'+' || text[i] == (byte)'-'))
        {
            sign = text[i] == (byte)'-' ? -1 : 1;
            i++;
        }

        if (i == text.Length || text.Length - i > 4)
        {
            return false;
        }

        for (; i < text.Length; i++)
        {
            if ((uint)(text[i] - '0') > 9)
            {
                return false;
            }

            exponent = (exponent * 10) + (text[i] - '0');
        }

        exponent *= sign;
        return true;
    }

    /// <summary>
    /// The digits laid out as the invariant round-trip formatter lays out at most 15 significant
    /// digits: fixed notation for scales from −3 to 15, else <c>d.dddE-XX</c> (an exponent of at least two digits).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ReadOnlySpan<byte> Layout(bool negative, ReadOnlySpan<byte> digits, int scale, Span<byte> buffer)
    {
        int n = 0;
        if (negative)
        {
            buffer[n++] = (byte)'-';
        }

        if (scale < -3)
        {
            buffer[n++] = digits[0];
            if (digits.Length > 1)
            {
                buffer[n++] = (byte)'.';
                digits[1..].CopyTo(buffer[n..]);
                n += digits.Length - 1;
            }

            buffer[n++] = (byte)'E';
            buffer[n++] = (byte)'-';
            int exponent = 1 - scale;
            if (exponent >= 100)
            {
                buffer[n++] = (byte)('0' + (exponent / 100));
            }

            buffer[n++] = (byte)('0' + (exponent / 10 % 10));
            buffer[n++] = (byte)('0' + (exponent % 10));
            return buffer[..n];
        }

        if (scale <= 0)
        {
            buffer[n++] = (byte)'0';
            buffer[n++] = (byte)'.';
            buffer.Slice(n, -scale).Fill((byte)'0');
            n -= scale;
            digits.CopyTo(buffer[n..]);
            return buffer[..(n + digits.Length)];
        }

        int whole = Math.Min(scale, digits.Length);
        digits[..whole].CopyTo(buffer[n..]);
        n += whole;
        buffer.Slice(n, scale - whole).Fill((byte)'0');
        n += scale - whole;
        if (digits.Length > whole)
        {
            buffer[n++] = (byte)'.';
            digits[whole..].CopyTo(buffer[n..]);
            n += digits.Length - whole;
        }

        return buffer[..n];
    }
}

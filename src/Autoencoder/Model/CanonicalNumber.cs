using System.Globalization;
using System.Runtime.CompilerServices;

namespace Autoencoder.Model;

/// <summary>
/// Whether UTF-8 text is a number exactly as <see cref="NamedState"/> writes it: integers in
/// invariant decimal without leading zeros, doubles in invariant round-trip form (<c>"R"</c>, the
/// shortest text that parses back to the same value). Decided without parsing or formatting where
/// the text alone decides it, so checking a checkpoint's history, as long as a file header may be,
/// costs little per byte.
/// </summary>
[SkipLocalsInit] // the formatting buffer is written before it is read
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
    /// digits, fixed from 1E-4 (<c>0.000d</c>) up, else <c>d.dddE-XX</c>. A fraction ending in zero
    /// or an exponent the formatter would not write is never canonical. Any other text is parsed and formatted.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a load runs it for every number of a history, before tiering would optimise it
    public static bool IsDouble(ReadOnlySpan<byte> text) => Decide(text) switch
    {
        Decision.Canonical => true,
        Decision.NotCanonical => false,
        _ => RoundTrips(text),
    };

    /// <summary>The defining check: <paramref name="text"/> parses to a finite double whose round-trip text it is.</summary>
    public static bool RoundTrips(ReadOnlySpan<byte> text)
    {
        Span<byte> formatted = stackalloc byte[32];
        return double.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out double value)
            && double.IsFinite(value)
            && value.TryFormat(formatted, out int written, "R", CultureInfo.InvariantCulture)
            && formatted[..written].SequenceEqual(text);
    }

    /// <summary>What the text alone says (see <see cref="IsDouble"/>): canonical, not, or nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Decision Decide(ReadOnlySpan<byte> text)
    {
        int i = !text.IsEmpty && text[0] == (byte)'-' ? 1 : 0;
        if (i == text.Length || !IsDigit(text[i]))
        {
            return Decision.Undecided;
        }

        if (text[i] == (byte)'0')
        {
            // 0, -0, or 0.{at most three zeros}{digits}: 1E-4 ≤ |x| < 1.
            if (i + 1 == text.Length)
            {
                return Decision.Canonical;
            }

            int start = i + 2, end = Digits(text, start), first = start;
            while (first < end && text[first] == (byte)'0')
            {
                first++;
            }

            return text[i + 1] != (byte)'.' || end != text.Length || first == end || first - start > 3 || end - first > UniqueDigits ? Decision.Undecided
                : Fraction(text[first..end]);
        }

        int wholeEnd = Digits(text, i), whole = wholeEnd - i;
        if (wholeEnd == text.Length)
        {
            return whole <= UniqueDigits ? Decision.Canonical : Decision.Undecided; // an integer below 1E15 prints as its digits
        }

        int fractionEnd = wholeEnd, fraction = 0;
        if (text[wholeEnd] == (byte)'.')
        {
            fractionEnd = Digits(text, wholeEnd + 1);
            fraction = fractionEnd - wholeEnd - 1;
            if (fraction == 0 || whole + fraction > UniqueDigits)
            {
                return Decision.Undecided;
            }
        }

        if (fractionEnd == text.Length)
        {
            return Fraction(text[(wholeEnd + 1)..fractionEnd]); // 1 ≤ |x| < 1E15
        }

        // d[.ddd]E-XX: |x| < 1E-4, written with an exponent of two digits, or three from 100.
        if (whole != 1 || fractionEnd + 4 > text.Length || text[fractionEnd] != (byte)'E' || text[fractionEnd + 1] != (byte)'-')
        {
            return Decision.Undecided;
        }

        int exponentStart = fractionEnd + 2, exponentEnd = Digits(text, exponentStart), length = exponentEnd - exponentStart;
        if (exponentEnd != text.Length || length > 3)
        {
            return Decision.Undecided;
        }

        int exponent = 0;
        for (int k = exponentStart; k < exponentEnd; k++)
        {
            exponent = (exponent * 10) + (text[k] - '0');
        }

        if (exponent > 307)
        {
            return Decision.Undecided;
        }

        bool written = exponent >= 5 && length == (exponent >= 100 ? 3 : 2);
        return !written ? Decision.NotCanonical : fraction == 0 ? Decision.Canonical : Fraction(text[(wholeEnd + 1)..fractionEnd]);
    }

    /// <summary>Digits after a point are canonical unless the last is a zero, which the formatter never writes.</summary>
    private static Decision Fraction(ReadOnlySpan<byte> digits) => digits[^1] != (byte)'0' ? Decision.Canonical : Decision.NotCanonical;

    /// <summary>Where the run of digits from <paramref name="from"/> ends.</summary>
    private static int Digits(ReadOnlySpan<byte> text, int from)
    {
        while (from < text.Length && IsDigit(text[from]))
        {
            from++;
        }

        return from;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private enum Decision
    {
        Undecided,
        Canonical,
        NotCanonical,
    }
}

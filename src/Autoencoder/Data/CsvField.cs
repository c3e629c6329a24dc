using System.Buffers;
using System.Globalization;

namespace Autoencoder.Data;

/// <summary>
/// The rules for one field as the parser splits it (quotes kept): its quoting, its text, control
/// characters and numbers. A field may be enclosed in double quotes, with spaces or tabs around
/// them, and then holds any text with <c>""</c> for one quote; an unquoted field holds no quote.
/// </summary>
internal static class CsvField
{
    /// <summary>U+0000 to U+001F except the tab, U+007F and U+0080 to U+009F: what <see cref="char.IsControl(char)"/> accepts, the tab aside.</summary>
    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create(
        [.. Enumerable.Range(0, 0xA0).Select(c => (char)c).Where(c => char.IsControl(c) && c != '\t')]);

    private const NumberStyles NumberForm = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>Describes the quoting error of <paramref name="raw"/>, or returns null when its quoting is well formed.</summary>
    /// <param name="raw">The field as split, quotes kept.</param>
    /// <param name="offset">Characters before the field in its row, so positions count from the row's start (from 1).</param>
    public static string? QuotingError(ReadOnlySpan<char> raw, int offset)
    {
        int quote = raw.IndexOf('"');
        if (quote < 0)
        {
            return null;
        }

        int open = raw.IndexOfAnyExcept(' ', '\t');
        if (open != quote)
        {
            return Invariant($"a quote at character {offset + quote + 1} inside a value that does not start with one");
        }

        int i = open + 1;
        while (true)
        {
            int next = raw[i..].IndexOf('"');
            if (next < 0)
            {
                return Invariant($"the quote opened at character {offset + open + 1} is not closed");
            }

            i += next + 1;
            if (i < raw.Length && raw[i] == '"')
            {
                i++; // a doubled quote inside the value
                continue;
            }

            int after = raw[i..].IndexOfAnyExcept(' ', '\t');
            return after < 0
                ? null
                : Invariant($"unexpected character {CsvOptions.Describe(raw[i + after])} after the closing quote at character {offset + i}");
        }
    }

    /// <summary>
    /// The value of a field whose quoting is well formed: spaces and tabs around it removed, then
    /// its quotes (the doubled ones become one).
    /// </summary>
    public static ReadOnlySpan<char> Content(ReadOnlySpan<char> raw)
    {
        ReadOnlySpan<char> text = raw.Trim(" \t");
        if (text.Length < 2 || text[0] != '"')
        {
            return text;
        }

        ReadOnlySpan<char> inner = text[1..^1];
        return inner.Contains('"') ? inner.ToString().Replace("\"\"", "\"", StringComparison.Ordinal) : inner;
    }

    /// <summary>The index of the first control character other than the tab, or -1.</summary>
    public static int FirstControlCharacter(ReadOnlySpan<char> text) => text.IndexOfAny(ControlCharacters);

    /// <summary>
    /// Reads a number: an optional sign, ASCII digits with an optional <c>.</c>, an optional exponent;
    /// spaces and tabs around it are ignored. Returns null and the value, or what is wrong.
    /// </summary>
    public static string? ParseNumber(ReadOnlySpan<char> content, out float value)
    {
        ReadOnlySpan<char> text = content.Trim(" \t");
        if (text.IsEmpty)
        {
            value = 0;
            return "expected a number but the value is empty";
        }

        // Only ASCII digits can pass (NumberFormatInfo has no other digits), and without the
        // whitespace styles nothing but the number itself: the spaces and tabs are trimmed above.
        if (!float.TryParse(text, NumberForm, CultureInfo.InvariantCulture, out value))
        {
            return Invariant($"expected a number but found '{Visible(text)}'");
        }

        return float.IsFinite(value) ? null : Invariant($"expected a finite single-precision number but found '{Visible(text)}'");
    }

    /// <summary>The text with every character outside printable ASCII written as <c>\uXXXX</c>, so messages show what is really there.</summary>
    public static string Visible(ReadOnlySpan<char> text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c is >= ' ' and <= '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
        }

        return builder.ToString();
    }
}

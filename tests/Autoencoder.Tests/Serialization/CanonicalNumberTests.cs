using System.Globalization;
using System.Text;
using Autoencoder.Model;

namespace Autoencoder.Tests.Serialization;

/// <summary>
/// The canonical-number checks on UTF-8 text decide exactly what the definition does (the text
/// parses to a finite double whose invariant round-trip text it is; an integer is its own invariant
/// text), including where they decide from the text alone: round-trip texts of doubles from every
/// range, each of them changed slightly (then usually no longer canonical), and texts of fewer digits
/// laid out alike (canonical where no shorter text parses to the same double).
/// </summary>
public sealed class CanonicalNumberTests
{
    private static bool IsCanonicalDouble(string text) =>
        double.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out double value)
        && double.IsFinite(value)
        && value.ToString("R", CultureInfo.InvariantCulture) == text;

    /// <summary>Doubles from every range the text shortcut covers or borders, deterministic.</summary>
    private static IEnumerable<double> Doubles()
    {
        var random = new Random(20240611);
        double[] edges =
        [
            0, 1, 0.1, 0.001, 0.0001, 0.00001, 1E-05, 1.5E-05, 123456789012345, 999999999999999, 1E+15, 1E+16, 9007199254740992, 4503599627370496,
            1E-307, 9.99999999999999E-308, 2.2250738585072014E-308, double.Epsilon, double.MaxValue, 1.7976931348623157E+308, 0.30000000000000004,
        ];
        foreach (double edge in edges)
        {
            yield return edge;
            yield return -edge;
            yield return Math.BitIncrement(edge);
            yield return Math.BitDecrement(edge);
        }

        for (int i = 0; i < 10_000; i++)
        {
            yield return BitConverter.Int64BitsToDouble(random.NextInt64()); // any exponent, any sign (not finite ones are skipped)
            yield return random.NextDouble();
            double scaled = (random.NextDouble() + 0.01) * Math.Pow(10, random.Next(-330, 320));
            yield return scaled;
            int digits = random.Next(1, 18); // the same rounded to 1 to 17 significant digits
            yield return double.Parse(scaled.ToString("E" + (digits - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The text changed one way or another: a digit more, a digit less, another digit, a zero in front, other notation.</summary>
    private static IEnumerable<string> Variants(string text, Random random)
    {
        yield return text;
        yield return text + "0";
        yield return text + "1";
        yield return text[..^1];
        yield return "0" + text;
        yield return text.Replace("E-", "E-0", StringComparison.Ordinal);
        yield return text.Replace("E", "e", StringComparison.Ordinal);
        yield return text.Replace("E+", "E", StringComparison.Ordinal);
        yield return text.Contains('.', StringComparison.Ordinal) ? text + "00" : text + ".0";
        yield return text.Contains('E', StringComparison.Ordinal) ? text : text + "E+00";
        yield return text.StartsWith('-') ? text[1..] : "-" + text;
        int at = random.Next(text.Length);
        if (char.IsAsciiDigit(text[at]))
        {
            yield return text[..at] + (char)('0' + ((text[at] - '0' + 1) % 10)) + text[(at + 1)..];
        }
    }

    [Fact]
    public void IsDouble_DecidesAsTheRoundTripDefinitionDoes()
    {
        var random = new Random(7);
        int canonical = 0, checkedTexts = 0;
        foreach (double value in Doubles().Where(double.IsFinite))
        {
            // Its round-trip text changed slightly, and its text to 1 to 15 digits laid out as the
            // round-trip text would be: canonical unless a shorter text parses to the same double.
            var texts = Variants(value.ToString("R", CultureInfo.InvariantCulture), random)
                .Concat([value.ToString("G" + random.Next(1, 16).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)]);
            foreach (string text in texts)
            {
                bool expected = IsCanonicalDouble(text);
                Assert.True(expected == CanonicalNumber.IsDouble(Encoding.UTF8.GetBytes(text)), $"'{text}' is {(expected ? "" : "not ")}canonical");
                canonical += expected ? 1 : 0;
                checkedTexts++;
            }
        }

        Assert.True(canonical > 25_000 && checkedTexts - canonical > 100_000, $"{canonical} canonical texts of {checkedTexts}"); // both answers well represented
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("E5")]
    [InlineData("1E")]
    [InlineData("1E+")]
    [InlineData("1E-99999")]
    [InlineData("-0")]
    [InlineData("0.0")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("1,000")]
    [InlineData(" 1")]
    [InlineData("+1")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1E+309")]
    [InlineData("0.000123")]
    [InlineData("1.23E-05")]
    [InlineData("100000000000000")]
    [InlineData("1E+15")]
    [InlineData("5E-324")]
    public void IsDouble_OddTexts_AsTheDefinitionSays(string text) =>
        Assert.Equal(IsCanonicalDouble(text), CanonicalNumber.IsDouble(Encoding.UTF8.GetBytes(text)));

    [Theory]
    [InlineData("0")]
    [InlineData("7")]
    [InlineData("10")]
    [InlineData("9223372036854775807")]
    [InlineData("9223372036854775808")]
    [InlineData("9999999999999999999")]
    [InlineData("10000000000000000000")]
    [InlineData("00")]
    [InlineData("01")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1.0")]
    [InlineData("")]
    [InlineData(" 1")]
    public void IsNonNegativeLong_AsTheDefinitionSays(string text)
    {
        bool expected = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value.ToString(CultureInfo.InvariantCulture) == text;
        Assert.Equal(expected, CanonicalNumber.IsNonNegativeLong(Encoding.UTF8.GetBytes(text)));
    }
}

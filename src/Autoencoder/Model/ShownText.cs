using System.Text;

namespace Autoencoder.Model;

/// <summary>
/// Text from a file as an error message quotes it: at most 64 characters, with the full length
/// when cut, so a hostile value of megabytes never makes a message of megabytes.
/// </summary>
internal static class ShownText
{
    /// <summary>The most characters a message quotes.</summary>
    private const int MaxCharacters = 64;

    /// <summary>Bytes quoted in a message: decoded leniently (invalid UTF-8 becomes U+FFFD) and cut at 64 characters.</summary>
    public static string Of(ReadOnlySpan<byte> utf8)
    {
        string text = Encoding.UTF8.GetString(utf8[..Math.Min(utf8.Length, 4 * MaxCharacters)]);
        return Of(text, utf8.Length);
    }

    /// <summary>Text quoted in a message: at most 64 characters, with the full length (<paramref name="length"/> bytes when given) when cut.</summary>
    public static string Of(string text, long length = -1)
    {
        length = length < 0 ? text.Length : length;
        return text.Length <= MaxCharacters && length <= 4 * MaxCharacters ? text : Invariant($"{text[..Math.Min(text.Length, MaxCharacters)]}… ({length} bytes)");
    }
}

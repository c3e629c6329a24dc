using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Autoencoder.Serialization;

/// <summary>
/// A tensor name a model file may hold, recognised from its UTF-8 bytes without building a string:
/// <c>{encoder|decoder}.{i}.{weight|bias}</c> with <c>i</c> in canonical decimal, or one of a
/// schema's extra names (by its index in <see cref="ModelFileSchema.TensorNames"/>).
/// </summary>
internal readonly record struct TensorName(bool IsExtra, bool Decoder, int Index, bool Weight)
{
    /// <summary>The longest name this type can recognise, in bytes: longer names are never valid.</summary>
    public const int MaxBytes = 256;

    private static ReadOnlySpan<byte> EncoderPrefix => "encoder."u8;

    private static ReadOnlySpan<byte> DecoderPrefix => "decoder."u8;

    /// <summary>
    /// For a network tensor whose layer index is below <see cref="Model.NetworkSpec.MaxLayers"/>, a
    /// distinct number in [0, 4·MaxLayers): the stack, then the index, then weight or bias.
    /// </summary>
    public int NetworkSlot => (((Decoder ? Model.NetworkSpec.MaxLayers : 0) + Index) * 2) + (Weight ? 0 : 1);

    public static TensorName Extra(int index) => new(true, false, index, false);

    /// <summary>Recognises <paramref name="utf8"/> as a network tensor or one of <paramref name="schema"/>'s extras.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a load runs it for every entry or layer, before tiering would optimise it
    public static bool TryParse(ReadOnlySpan<byte> utf8, ModelFileSchema schema, out TensorName name)
    {
        for (int i = 0; i < schema.TensorNameBytes.Count; i++)
        {
            if (utf8.SequenceEqual(schema.TensorNameBytes[i]))
            {
                name = Extra(i);
                return true;
            }
        }

        name = default;
        bool decoder = utf8.StartsWith(DecoderPrefix);
        if (!decoder && !utf8.StartsWith(EncoderPrefix))
        {
            return false;
        }

        ReadOnlySpan<byte> rest = utf8[EncoderPrefix.Length..];
        int dot = rest.IndexOf((byte)'.');
        if (dot <= 0 || (dot > 1 && rest[0] == (byte)'0')
            || !int.TryParse(rest[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            return false;
        }

        ReadOnlySpan<byte> kind = rest[(dot + 1)..];
        bool weight = kind.SequenceEqual("weight"u8);
        if (!weight && !kind.SequenceEqual("bias"u8))
        {
            return false;
        }

        name = new TensorName(false, decoder, index, weight);
        return true;
    }

    /// <summary>The name as text (for messages, and for extras' dictionary keys).</summary>
    public string ToString(ModelFileSchema schema) =>
        IsExtra ? schema.TensorNames[Index] : Invariant($"{(Decoder ? "decoder" : "encoder")}.{Index}.{(Weight ? "weight" : "bias")}");

    /// <summary>Bytes shown in a message: decoded leniently (invalid UTF-8 becomes U+FFFD) and cut at 64 characters.</summary>
    public static string Shown(ReadOnlySpan<byte> utf8)
    {
        string text = Encoding.UTF8.GetString(utf8[..Math.Min(utf8.Length, 4 * 64)]);
        return Shown(text, utf8.Length);
    }

    /// <summary>Text shown in a message: at most 64 characters, with the full length when cut.</summary>
    public static string Shown(string text, long length = -1)
    {
        length = length < 0 ? text.Length : length;
        return text.Length <= 64 && length <= 4 * 64 ? text : Invariant($"{text[..Math.Min(text.Length, 64)]}… ({length} bytes)");
    }
}

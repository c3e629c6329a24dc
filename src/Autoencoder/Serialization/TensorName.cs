using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Autoencoder.Model;

namespace Autoencoder.Serialization;

/// <summary>
/// The tensors one layer of the spec may own in a model file, in the order its values sit in the
/// buffers: the dense layer's <c>weight</c> and <c>bias</c>, then, with batch normalization, the
/// <c>batch_norm</c> step's <c>weight</c> (γ) and <c>bias</c> (β) in the parameter buffer and its
/// <c>running_mean</c> and <c>running_var</c> in the state buffer. A new kind of step adds its
/// tensors at the end.
/// </summary>
internal enum LayerTensorKind : byte
{
    /// <summary><c>.weight</c>: the dense layer's <c>[inputs, units]</c> matrix.</summary>
    Weight,

    /// <summary><c>.bias</c>: the dense layer's <c>[units]</c> bias.</summary>
    Bias,

    /// <summary><c>.batch_norm.weight</c>: the scale γ, <c>[units]</c>.</summary>
    BatchNormWeight,

    /// <summary><c>.batch_norm.bias</c>: the shift β, <c>[units]</c>.</summary>
    BatchNormBias,

    /// <summary><c>.batch_norm.running_mean</c>: state, <c>[units]</c>.</summary>
    RunningMean,

    /// <summary><c>.batch_norm.running_var</c>: state, <c>[units]</c>, never negative.</summary>
    RunningVar,
}

/// <summary>
/// A tensor name a model file may hold, recognised from its UTF-8 bytes without building a string:
/// <c>{encoder|decoder}.{i}.{suffix}</c> with <c>i</c> in canonical decimal and the suffix one of
/// <see cref="LayerTensorKind"/>'s (<c>weight</c>, <c>bias</c>, <c>batch_norm.weight</c>, …), or
/// one of a schema's extra names (by its index in <see cref="ModelFileSchema.TensorNames"/>).
/// </summary>
/// <param name="IsExtra">True for one of the schema's extra tensors.</param>
/// <param name="Decoder">For a network tensor, true when it belongs to a decoder layer.</param>
/// <param name="Index">The layer's index in its stack, or the extra's index in the schema.</param>
/// <param name="Kind">For a network tensor, which of its layer's tensors it is.</param>
internal readonly record struct TensorName(bool IsExtra, bool Decoder, int Index, LayerTensorKind Kind)
{
    /// <summary>The longest name this type can recognise, in bytes: longer names are never valid.</summary>
    public const int MaxBytes = 256;

    /// <summary>How many tensors one layer may have: the kinds of <see cref="LayerTensorKind"/>.</summary>
    public const int KindsPerLayer = 6;

    /// <summary>Each kind's name after <c>{stack}.{i}.</c>, by <see cref="LayerTensorKind"/>.</summary>
    private static readonly string[] Suffixes = ["weight", "bias", "batch_norm.weight", "batch_norm.bias", "batch_norm.running_mean", "batch_norm.running_var"];

    private static readonly byte[][] SuffixBytes = Suffixes.Select(Encoding.UTF8.GetBytes).ToArray();

    private static ReadOnlySpan<byte> EncoderPrefix => "encoder."u8;

    private static ReadOnlySpan<byte> DecoderPrefix => "decoder."u8;

    /// <summary>
    /// For a network tensor whose layer index is below <see cref="Model.NetworkSpec.MaxLayers"/>, a
    /// distinct number in [0, 2·MaxLayers·<see cref="KindsPerLayer"/>): the stack, then the index, then the kind.
    /// </summary>
    public int NetworkSlot => (((Decoder ? Model.NetworkSpec.MaxLayers : 0) + Index) * KindsPerLayer) + (int)Kind;

    /// <summary>Extra tensor <paramref name="index"/> of a schema (see <see cref="ModelFileSchema.TensorNames"/>).</summary>
    public static TensorName Extra(int index) => new(true, false, index, default);

    /// <summary>The name of tensor <paramref name="kind"/> of layer <paramref name="index"/> of its stack.</summary>
    public static string Network(bool decoder, int index, LayerTensorKind kind) =>
        Invariant($"{(decoder ? "decoder" : "encoder")}.{index}.{Suffixes[(int)kind]}");

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

        ReadOnlySpan<byte> suffix = rest[(dot + 1)..];
        for (int kind = 0; kind < SuffixBytes.Length; kind++)
        {
            if (suffix.SequenceEqual(SuffixBytes[kind]))
            {
                name = new TensorName(false, decoder, index, (LayerTensorKind)kind);
                return true;
            }
        }

        return false;
    }

    /// <summary>The name as text (for messages, and for extras' dictionary keys).</summary>
    public string ToString(ModelFileSchema schema) => IsExtra ? schema.TensorNames[Index] : Network(Decoder, Index, Kind);

    /// <summary>Bytes shown in a message: decoded leniently (invalid UTF-8 becomes U+FFFD) and cut at 64 characters.</summary>
    public static string Shown(ReadOnlySpan<byte> utf8) => ShownText.Of(utf8);

    /// <summary>Text shown in a message: at most 64 characters, with the full length when cut.</summary>
    public static string Shown(string text, long length = -1) => ShownText.Of(text, length);
}

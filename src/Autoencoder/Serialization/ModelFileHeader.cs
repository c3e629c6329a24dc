using System.Collections;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Autoencoder.Model;

namespace Autoencoder.Serialization;

/// <summary>
/// A model file's JSON header, read in one forward-only pass over its UTF-8 bytes, so the work is
/// linear in its size and nothing grows with what a hostile header repeats: the pass (<see cref="Read"/>)
/// keeps the metadata's positions, one bit per tensor a model can have (to refuse a name given
/// twice), allocated once, and each tensor entry's values in a table of fixed-size rows
/// (<see cref="TensorEntries"/>) whose length is capped before any row is added; metadata values
/// are decoded only on request, each against a length cap, or (values as long as the header)
/// returned as their UTF-8 bytes. Refused at the first token that shows
/// it: nesting deeper than a model file has, a tensor entry past the most a model has (the
/// <see cref="TensorName.KindsPerLayer"/> tensors a layer may have, a weight and a bias and batch
/// normalization's four, for each of <see cref="NetworkSpec.MaxLayers"/> layers, plus the schema's extras), a
/// top-level key that names no tensor (or a layer index at or past that limit), a metadata key
/// outside the vocabulary, a non-string metadata value, a tensor key other than dtype, shape and
/// data_offsets, a shape of more than <see cref="MaxRank"/> dimensions, a third data offset, a
/// top-level or metadata key given twice. Text that is not valid UTF-8, or escapes a lone
/// surrogate, is a format error wherever it is.
/// </summary>
internal sealed class ModelFileHeader
{
    /// <summary>The most dimensions a tensor's shape may have.</summary>
    public const int MaxRank = 8;

    /// <summary>The header object, a tensor entry or the metadata object, a shape or offsets array.</summary>
    private const int MaxDepth = 3;

    /// <summary>
    /// The most tensor entries of the network a header holds: for each of at most
    /// <see cref="NetworkSpec.MaxLayers"/> layers, its <see cref="TensorName.KindsPerLayer"/> (a weight
    /// and a bias, and batch normalization's scale, shift, running mean and running variance).
    /// </summary>
    private const int MaxNetworkTensors = TensorName.KindsPerLayer * NetworkSpec.MaxLayers;

    private readonly ReadOnlyMemory<byte> _json;
    private readonly Dictionary<string, (int Start, int Length, bool Escaped)> _metadata;
    private readonly bool[] _extras;
    private readonly TensorEntries _entries;

    private ModelFileHeader(ReadOnlyMemory<byte> json, Dictionary<string, (int, int, bool)> metadata, int tensorCount, bool[] extras, TensorEntries entries)
    {
        _json = json;
        _metadata = metadata;
        TensorCount = tensorCount;
        _extras = extras;
        _entries = entries;
    }

    /// <summary>Top-level entries other than <c>__metadata__</c>.</summary>
    public int TensorCount { get; }

    /// <summary>Whether extra tensor <paramref name="index"/> of the schema (see <see cref="ModelFileSchema.TensorNames"/>) is in the header.</summary>
    public bool HasExtra(int index) => _extras[index];

    public int ExtraCount => _extras.Count(e => e);

    public IEnumerable<string> MetadataKeys => _metadata.Keys;

    public bool HasMetadata(string key) => _metadata.ContainsKey(key);

    /// <summary>
    /// Reads the header's structure. <paramref name="vocabulary"/> is every metadata key any version
    /// of the format allows (with the schema's); which apply to the file's version is checked later.
    /// </summary>
    public static ModelFileHeader Read(ReadOnlyMemory<byte> json, ModelFileSchema schema, IReadOnlyList<string> vocabulary)
    {
        try
        {
            return ReadStructure(json, schema, vocabulary);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException(Invariant($"Header is not valid JSON: {e.Message}"), e);
        }
    }

    /// <summary>The text of metadata <paramref name="key"/>, refused when longer than <paramref name="maxLength"/> characters.</summary>
    public string Metadata(string key, long maxLength)
    {
        var (start, length, escaped) = _metadata[key];
        long bytes = length - 2;
        if (bytes > maxLength * (escaped ? 6 : 1))
        {
            throw TooLong(key, bytes, maxLength);
        }

        var reader = new Utf8JsonReader(_json.Span.Slice(start, length));
        reader.Read();
        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw NotUtf8(key, e);
        }

        return text.Length <= maxLength ? text : throw TooLong(key, text.Length, maxLength);
    }

    /// <summary>
    /// The UTF-8 bytes of metadata <paramref name="key"/>, never decoded to text: the header's own
    /// bytes when the JSON string has no escapes (checked to be valid UTF-8), else one copy unescaped.
    /// </summary>
    public ReadOnlyMemory<byte> MetadataUtf8(string key)
    {
        var (start, length, escaped) = _metadata[key];
        ReadOnlyMemory<byte> value = _json.Slice(start + 1, length - 2);
        if (escaped)
        {
            var reader = new Utf8JsonReader(_json.Span.Slice(start, length));
            reader.Read();
            var unescaped = new byte[length - 2]; // unescaping never lengthens the text
            try
            {
                value = unescaped.AsMemory(0, reader.CopyString(unescaped));
            }
            catch (InvalidOperationException e)
            {
                throw NotUtf8(key, e);
            }
        }

        return Utf8.IsValid(value.Span) ? value : throw NotUtf8(key, null);
    }

    /// <summary>
    /// The UTF-8 bytes of metadata <paramref name="key"/> (see <see cref="MetadataUtf8(string)"/>),
    /// refused when longer than <paramref name="maxBytes"/> bytes: as written, before any copy, when
    /// even its escapes could not make it short enough (an escape of 6 bytes stands for at least one).
    /// </summary>
    public ReadOnlyMemory<byte> MetadataUtf8(string key, long maxBytes)
    {
        var (_, length, escaped) = _metadata[key];
        long bytes = length - 2;
        if (bytes > maxBytes * (escaped ? 6 : 1))
        {
            throw TooLong(key, bytes, maxBytes, "bytes");
        }

        ReadOnlyMemory<byte> value = MetadataUtf8(key);
        return value.Length <= maxBytes ? value : throw TooLong(key, value.Length, maxBytes, "bytes");
    }

    /// <summary>How many <paramref name="separator"/>-separated items metadata <paramref name="key"/> holds, counted without decoding it when it has no escapes.</summary>
    public long CountItems(string key, char separator, long maxLength)
    {
        var (start, length, escaped) = _metadata[key];
        return escaped
            ? Metadata(key, maxLength).AsSpan().Count(separator) + 1
            : _json.Span.Slice(start + 1, length - 2).Count((byte)separator) + 1;
    }

    /// <summary>Passes every tensor entry to <paramref name="handler"/> in file order (see <see cref="TensorEntries.ForEach"/>).</summary>
    public void ReadTensors(TensorEntries.Handler handler) => _entries.ForEach(handler);

    private static ModelFormatException NotUtf8(string key, Exception? inner)
    {
        string message = Invariant($"Metadata '{key}' holds JSON text that is not valid UTF-8 (or escapes a lone surrogate).");
        return inner is null ? new ModelFormatException(message) : new ModelFormatException(message, inner);
    }

    private static ModelFormatException TooLong(string key, long length, long maxLength, string unit = "characters") =>
        new(Invariant($"Metadata '{key}' is {length} {unit} long; at most {maxLength} can be valid here."));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a load runs it for every entry or layer, before tiering would optimise it
    private static ModelFileHeader ReadStructure(ReadOnlyMemory<byte> json, ModelFileSchema schema, IReadOnlyList<string> vocabulary)
    {
        var reader = new Utf8JsonReader(json.Span, new JsonReaderOptions { MaxDepth = MaxDepth });
        if (!reader.Read())
        {
            throw new ModelFormatException("Header is empty; it must be a JSON object.");
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ModelFormatException(Invariant($"Header must be a JSON object; got {Kind(reader.TokenType)}."));
        }

        byte[][] vocabularyBytes = vocabulary.Select(Encoding.UTF8.GetBytes).ToArray();
        byte[] scratch = new byte[TensorName.MaxBytes];
        int maxTensors = MaxNetworkTensors + schema.TensorNames.Count;
        Dictionary<string, (int, int, bool)>? metadata = null;
        var seen = new BitArray(2 * MaxNetworkTensors); // both stacks (see TensorName.NetworkSlot)
        var extras = new bool[schema.TensorNames.Count];
        var entries = new TensorEntries();
        int tensors = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (tensors == maxTensors && !reader.ValueTextEquals("__metadata__"u8))
            {
                throw new ModelFormatException(Invariant(
                    $"Header has more than {maxTensors} tensor entries; a model file holds at most {TensorName.KindsPerLayer} (a weight, a bias and batch normalization's four) for each of at most {NetworkSpec.MaxLayers} layers{(maxTensors > MaxNetworkTensors ? Invariant($", and {schema.TensorNames.Count} extra tensors") : "")}."));
            }

            ReadOnlySpan<byte> name = Unescaped(ref reader, scratch, "Header");
            if (name.SequenceEqual("__metadata__"u8))
            {
                if (metadata is not null)
                {
                    throw new ModelFormatException("Header has the key '__metadata__' twice.");
                }

                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw NoMetadata();
                }

                metadata = ReadMetadata(ref reader, vocabulary, vocabularyBytes, scratch);
                continue;
            }

            if (!TensorName.TryParse(name, schema, out TensorName tensor) || (!tensor.IsExtra && tensor.Index >= NetworkSpec.MaxLayers))
            {
                throw new ModelFormatException(Invariant($"Header has an unexpected tensor '{TensorName.Shown(name)}'."));
            }

            if (tensor.IsExtra ? extras[tensor.Index] : seen[tensor.NetworkSlot])
            {
                throw new ModelFormatException(Invariant($"Header has the key '{tensor.ToString(schema)}' twice."));
            }

            if (tensor.IsExtra)
            {
                extras[tensor.Index] = true;
            }
            else
            {
                seen[tensor.NetworkSlot] = true;
            }

            tensors++;
            entries.Read(ref reader, tensor, schema, scratch);
        }

        reader.Read(); // throws on anything but white space after the header object
        return new ModelFileHeader(json, metadata ?? throw NoMetadata(), tensors, extras, entries);
    }

    internal static ModelFormatException UnexpectedKey(string name, ReadOnlySpan<byte> field) =>
        new(Invariant($"Tensor '{name}' has an unexpected key '{TensorName.Shown(field)}'; a tensor has only dtype, shape, data_offsets."));

    internal static ModelFormatException TooManyItems(string name, string field) => new(field == "shape"
        ? Invariant($"Tensor '{name}' has a shape of more than {MaxRank} dimensions; a tensor here has at most {MaxRank}.")
        : Invariant($"Tensor '{name}' has more than two data_offsets; a tensor has data_offsets [begin, end]."));

    private static ModelFormatException NoMetadata() =>
        new("Header has no '__metadata__' object; this is not a model file written by this library.");

    private static Dictionary<string, (int, int, bool)> ReadMetadata(ref Utf8JsonReader reader, IReadOnlyList<string> vocabulary, byte[][] vocabularyBytes, byte[] scratch)
    {
        var result = new Dictionary<string, (int, int, bool)>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ReadOnlySpan<byte> key = Unescaped(ref reader, scratch, "Metadata");
            int index = vocabularyBytes.Length - 1;
            while (index >= 0 && !key.SequenceEqual(vocabularyBytes[index]))
            {
                index--;
            }

            if (index < 0)
            {
                throw new ModelFormatException(
                    Invariant($"Metadata has an unexpected key '{TensorName.Shown(key)}'; a model file's metadata holds only {string.Join(", ", vocabulary)}."));
            }

            string name = vocabulary[index];
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new ModelFormatException(Invariant($"Metadata '{name}' must be a string; got {Kind(reader.TokenType)}."));
            }

            if (!result.TryAdd(name, ((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2, reader.ValueIsEscaped)))
            {
                throw new ModelFormatException(Invariant($"Metadata has the key '{name}' twice."));
            }
        }

        return result;
    }

    /// <summary>The current property name's bytes, unescaped when needed (names past <see cref="TensorName.MaxBytes"/> as written: none is valid).</summary>
    internal static ReadOnlySpan<byte> Unescaped(ref Utf8JsonReader reader, byte[] scratch, string what) =>
        TryUnescape(ref reader, scratch, out ReadOnlySpan<byte> name) ? name : throw InvalidKey(what);

    private static ModelFormatException InvalidKey(string what) =>
        new(Invariant($"{what} has a key whose JSON text is not valid UTF-8 (or escapes a lone surrogate)."));

    private static bool TryUnescape(ref Utf8JsonReader reader, byte[] scratch, out ReadOnlySpan<byte> name)
    {
        name = reader.ValueSpan;
        if (!reader.ValueIsEscaped || name.Length > scratch.Length)
        {
            return true;
        }

        try
        {
            name = scratch.AsSpan(0, reader.CopyString(scratch));
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>A token's kind in the words of JSON values.</summary>
    internal static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "Object",
        JsonTokenType.StartArray => "Array",
        _ => token.ToString(),
    };
}

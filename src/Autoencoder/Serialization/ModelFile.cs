using System.Buffers.Binary;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Autoencoder.Layers;
using Autoencoder.Model;

namespace Autoencoder.Serialization;

/// <summary>
/// Model files in the safetensors layout: an 8-byte little-endian header length, a UTF-8 JSON
/// header, then the raw little-endian float32 tensors back to back. The header's
/// <c>__metadata__</c> holds the architecture as plain strings from a closed vocabulary
/// (<c>format</c>, <c>format_version</c>, <c>library_version</c>, <c>input_size</c>,
/// <c>encoder</c>, <c>decoder</c>, <c>seed</c>, <c>pipeline</c>, the checksums and the variant
/// keys); each step of the network's pipeline stores its tensors under its own name (see
/// <see cref="Layer.Tensors"/>): a dense layer <c>{encoder|decoder}.{i}.weight</c> (shape
/// <c>[inputs, units]</c>, row-major, so <c>z = x·W + b</c>) and <c>.bias</c> (shape
/// <c>[units]</c>), a batch-normalized one also <c>{…}.{i}.batch_norm.weight</c> (γ),
/// <c>.batch_norm.bias</c> (β), <c>.batch_norm.running_mean</c> and <c>.batch_norm.running_var</c>
/// (each <c>[units]</c>, PyTorch's <c>BatchNorm1d</c> names). Any safetensors reader can read the weights.
/// </summary>
/// <remarks>
/// <para>
/// The data section holds the parameter buffer (every trainable tensor, in the order of the
/// pipeline), then the state buffer (every running mean and variance, likewise), then the extras
/// (<see cref="ModelFileExtras"/>) in ordinal name order; each tensor's <c>data_offsets</c> are
/// exactly where that puts it, so a model without batch normalization has the same tensors and
/// data in every version.
/// </para>
/// <para>
/// Format version 3 (written today) describes the pipeline twice, on purpose. The keys of the
/// spec (<c>input_size</c>, <c>encoder</c>, <c>decoder</c>, and the variant keys: see
/// <see cref="VariantMetadataKeys"/>, whose <c>layer_options</c> entries gained a fifth field,
/// <c>batch_norm</c>, <c>0</c> or <c>1</c>) are what the reader builds the network from, as
/// <c>AutoencoderBuilder</c> does. <c>pipeline</c> lists the steps that spec compiles to, in
/// order, comma-separated, each its kind then what it computes with: <c>dense:{activation}</c>
/// (the activation fused, <c>identity</c> when batch normalization follows),
/// <c>tied_dense:{activation}</c>, <c>gaussian_head</c>, <c>batch_norm:{momentum}:{epsilon}</c>,
/// <c>activation:{activation}</c> and <c>dropout:{rate}</c> (numbers in round-trip text). The
/// reader compiles the spec and refuses a file whose <c>pipeline</c> is not exactly what it gets.
/// That keeps one source of truth (the spec, which the builder validates) while making the
/// computation explicit: a reader outside this library sees where batch normalization and
/// dropout sit without knowing how a spec compiles, and if a later version compiled a spec
/// differently, its files (and this version's, read by it) would be refused rather than
/// silently computed another way. A new kind of step (convolution, pooling) is an addition: a
/// kind of token in <c>pipeline</c>, the spec text that produces it, and its tensors' names.
/// </para>
/// <para>
/// Format version 4 (written for networks with layers other than dense ones, or on images) keeps
/// every key of version 3 and widens two: <c>encoder</c> and <c>decoder</c> list layers of any
/// kind in the words of <see cref="LayerText"/> (<c>conv2d:16:3x3:1x1:same:relu</c>,
/// <c>max_pool2d:2x2:2x2:valid</c>, <c>flatten</c>, dense layers as before), and the optional
/// <c>input_shape</c> (<c>{height}x{width}x{channels}</c>) says the input rows are channels-last
/// images. A layer's tensors keep their names (<c>{encoder|decoder}.{i}.weight</c>, <c>.bias</c>,
/// <c>.batch_norm.…</c>); a convolution's weight is Keras' <c>[kh, kw, in, out]</c> (a transposed
/// one <c>[kh, kw, out, in]</c>, a 1-D one <c>[k, in, out]</c>), and pooling, upsampling and
/// reshapes own none. Dense networks on vectors are still written as version 3, readable by earlier releases.
/// </para>
/// <para>
/// Format version 2 added two checksums to the metadata: <c>data_sha256</c>, the SHA-256 of the
/// data section (every byte after the header, so <c>tail -c +N file | sha256sum</c> reproduces
/// it), and <c>metadata_sha256</c>, the SHA-256 of every other metadata entry in ordinal key
/// order, each written as <c>{key length}:{key}={value length}:{value}\n</c> (lengths in UTF-16
/// code units, as .NET strings count them; every key and value the library writes is ASCII, where
/// that equals the byte count) and encoded in UTF-8. Together
/// they make any change to the architecture or the weights detectable; tensor shapes and offsets
/// are checked against the architecture instead. Version 2 and 3 files may also carry extra metadata
/// keys and tensors (<see cref="ModelFileExtras"/>), stored after the network's tensors in
/// ordinal name order. Version 2 files (no <c>pipeline</c>, four-field <c>layer_options</c>,
/// so no batch normalization) and version 1 files (no checksums, no variants, no extras) still load;
/// each version is read with exactly its own keys.
/// </para>
/// <para>
/// The reader trusts nothing in a file and reads no more than it declares: see
/// <see cref="Read(Stream, ModelFileSchema, out ModelFileExtras, ModelFileLimits?)"/>.
/// </para>
/// </remarks>
internal static partial class ModelFile
{
    public const string FormatName = "autoencoder";
    /// <summary>The newest format version, written for networks with layers other than dense ones or image inputs (see <see cref="NetworkSpec.Layered"/>).</summary>
    public const int FormatVersion = 4;

    /// <summary>The version written for networks of dense layers on feature vectors, whose files are then readable by earlier releases.</summary>
    public const int DenseFormatVersion = 3;

    /// <summary>The metadata key of an image input's shape, <c>{height}x{width}x{channels}</c> (format version 4).</summary>
    public const string InputShapeKey = "input_shape";

    /// <summary>The safetensors reference implementation's header cap.</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    public const string DataHashKey = "data_sha256";
    public const string MetadataHashKey = "metadata_sha256";

    /// <summary>
    /// Optional metadata keys (versions 2 and 3) describing variants, present only when they differ
    /// from a plain network: <c>variational</c> and <c>tied_weights</c> (<c>true</c>),
    /// <c>sparsity</c> (<c>target:weight</c>), <c>contractive</c> (the weight) and
    /// <c>layer_options</c> (for each layer with options, comma-separated,
    /// <c>layer:dropout:l1:l2:batch_norm</c> in version 3 with <c>batch_norm</c> <c>0</c> or
    /// <c>1</c>, <c>layer:dropout:l1:l2</c> in version 2). Numbers are invariant round-trip
    /// decimals; the reader accepts only the canonical text.
    /// </summary>
    private static readonly string[] VariantMetadataKeys = ["variational", "tied_weights", "sparsity", "contractive", LayerOptionsKey];

    /// <summary>The variant key of the layers' options (see <see cref="VariantMetadataKeys"/>).</summary>
    private const string LayerOptionsKey = "layer_options";

    /// <summary>The metadata keys of a version-1 file, all required.</summary>
    private static readonly string[] CoreMetadataKeys = ["format", "format_version", "library_version", "input_size", "encoder", "decoder", "seed"];

    /// <summary>Writes the file atomically (see <see cref="AtomicFile"/>): a crash leaves the old file or the new one.</summary>
    public static void Save(AutoencoderModel model, string path, ModelFileExtras? extras = null) =>
        AtomicFile.Write(path, stream => Write(model, stream, extras));

    public static void Write(AutoencoderModel model, Stream stream, ModelFileExtras? extras = null)
    {
        Network network = model.Network;
        extras ??= new ModelFileExtras();
        CheckExtras(extras);

        // The data section: the parameter buffer (already W₀, b₀, γ₀, β₀, W₁, … back to back in
        // pipeline order, so tensor offsets are the layers' own offsets in bytes), then the state
        // buffer (μ₀, σ²₀, …), then the extra tensors by ordinal name.
        var sections = new List<float[]> { network.Parameters, network.State };
        var tensors = new Dictionary<string, TensorHeader>(StringComparer.Ordinal);
        foreach (LayerTensor tensor in network.Layers.SelectMany(l => l.Tensors))
        {
            tensors[tensor.Name] = Tensor(tensor.Shape, (tensor.IsState ? network.Parameters.Length : 0L) + tensor.Offset, tensor.Count);
        }

        long offset = (long)network.Parameters.Length + network.State.Length;
        foreach (var (name, tensor) in extras.Tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            tensors[name] = Tensor(tensor.Shape, offset, tensor.Values.Length);
            sections.Add(tensor.Values);
            offset += tensor.Values.Length;
        }

        using var dataHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (float[] section in sections)
        {
            dataHash.AppendData(LittleEndianBytes(section));
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = FormatName,
            ["format_version"] = (network.Spec.Layered ? FormatVersion : DenseFormatVersion).ToString(CultureInfo.InvariantCulture),
            ["library_version"] = LibraryVersion,
            ["input_size"] = network.InputSize.ToString(CultureInfo.InvariantCulture),
            ["encoder"] = string.Join(",", network.Spec.Encoder.Select(LayerText.Format)),
            ["decoder"] = string.Join(",", network.Spec.Decoder.Select(LayerText.Format)),
            ["seed"] = model.Seed.ToString(CultureInfo.InvariantCulture),
            [PipelineKey] = PipelineText(network),
        };
        foreach (var (key, value) in VariantMetadata(network.Spec))
        {
            metadata[key] = value;
        }

        if (!network.Spec.InputShape.IsVector)
        {
            LayerShape shape = network.Spec.InputShape;
            metadata[InputShapeKey] = Invariant($"{shape.Height}x{shape.Width}x{shape.Channels}");
        }

        foreach (var (key, value) in extras.Metadata)
        {
            metadata[key] = value;
        }

        metadata[DataHashKey] = Convert.ToHexStringLower(dataHash.GetHashAndReset());
        metadata[MetadataHashKey] = MetadataHash(metadata);

        byte[] json = HeaderJson(metadata, tensors);
        int padding = (8 - (json.Length % 8)) % 8; // the format allows trailing spaces; keeps data 8-byte aligned
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)(json.Length + padding));
        stream.Write(length);
        stream.Write(json);
        for (int i = 0; i < padding; i++)
        {
            stream.WriteByte((byte)' ');
        }

        foreach (float[] section in sections)
        {
            stream.Write(LittleEndianBytes(section));
        }
    }

    /// <summary>Throws unless <paramref name="key"/> may name an extra metadata entry.</summary>
    public static void CheckExtraMetadataKey(string key, string parameterName)
    {
        if (string.IsNullOrEmpty(key) || CoreMetadataKeys.Contains(key) || VariantMetadataKeys.Contains(key) || key is DataHashKey or MetadataHashKey or PipelineKey or InputShapeKey)
        {
            throw new ArgumentException(Invariant(
                $"An extra metadata key must be non-empty and not one of the network's own keys ({string.Join(", ", CoreMetadataKeys)}, {DataHashKey}, {MetadataHashKey}, {PipelineKey}, {InputShapeKey}, {string.Join(", ", VariantMetadataKeys)}); got '{key}'."), parameterName);
        }
    }

    /// <summary>Throws unless <paramref name="name"/> may name an extra tensor.</summary>
    public static void CheckExtraTensorName(string name, string parameterName)
    {
        if (string.IsNullOrEmpty(name) || name == "__metadata__" || name.StartsWith("encoder.", StringComparison.Ordinal) || name.StartsWith("decoder.", StringComparison.Ordinal))
        {
            throw new ArgumentException(Invariant($"An extra tensor name must be non-empty, not '__metadata__' and not start with 'encoder.' or 'decoder.'; got '{name}'."), parameterName);
        }
    }

    private static void CheckExtras(ModelFileExtras extras)
    {
        foreach (string key in extras.Metadata.Keys)
        {
            CheckExtraMetadataKey(key, nameof(extras));
        }

        foreach (var (name, tensor) in extras.Tensors)
        {
            CheckExtraTensorName(name, nameof(extras));
            if (tensor.Shape.Length > ModelFileHeader.MaxRank)
            {
                throw new ArgumentException(Invariant($"Extra tensor '{name}' must have at most {ModelFileHeader.MaxRank} dimensions, as readers accept; got {tensor.Shape.Length}."), nameof(extras));
            }

            long count = 1;
            foreach (int dimension in tensor.Shape)
            {
                if (dimension < 0)
                {
                    throw new ArgumentException(Invariant($"Extra tensor '{name}' must have non-negative dimensions; got [{string.Join(", ", tensor.Shape)}]."), nameof(extras));
                }

                count *= dimension;
            }

            if (count != tensor.Values.Length)
            {
                throw new ArgumentException(Invariant($"Extra tensor '{name}' must hold as many values as its shape [{string.Join(", ", tensor.Shape)}] says ({count}); got {tensor.Values.Length}."), nameof(extras));
            }

            int bad = Array.FindIndex(tensor.Values, v => !float.IsFinite(v));
            if (bad >= 0)
            {
                throw new ArgumentException(Invariant($"Extra tensor '{name}' must hold only finite values; got {tensor.Values[bad]} at index {bad}."), nameof(extras));
            }
        }
    }

    /// <summary>
    /// SHA-256 of every metadata entry but <see cref="MetadataHashKey"/>, in lower-case hex (see the
    /// type's remarks): the text is encoded and hashed piece by piece, so a long value is not copied.
    /// The entries of <paramref name="utf8Values"/> (keys not in <paramref name="metadata"/>) are
    /// valid UTF-8 as read, hashed as they are: the bytes their text would encode to.
    /// </summary>
    private static string MetadataHash(IReadOnlyDictionary<string, string> metadata, IReadOnlyDictionary<string, ReadOnlyMemory<byte>>? utf8Values = null)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Encoder utf8 = Encoding.UTF8.GetEncoder();
        byte[] buffer = new byte[Encoding.UTF8.GetMaxByteCount(HashChunkChars)];
        IEnumerable<string> keys = utf8Values is null ? metadata.Keys : metadata.Keys.Concat(utf8Values.Keys);
        foreach (string key in keys.Where(k => k != MetadataHashKey).Order(StringComparer.Ordinal))
        {
            HashText(hash, utf8, buffer, Invariant($"{key.Length}:"));
            HashText(hash, utf8, buffer, key);
            if (metadata.TryGetValue(key, out string? value))
            {
                HashText(hash, utf8, buffer, Invariant($"={value.Length}:"));
                HashText(hash, utf8, buffer, value);
            }
            else
            {
                // The encoder holds nothing after the length's ASCII, so the bytes go straight in.
                ReadOnlySpan<byte> bytes = utf8Values![key].Span;
                HashText(hash, utf8, buffer, Invariant($"={Encoding.UTF8.GetCharCount(bytes)}:"));
                hash.AppendData(bytes);
            }

            HashText(hash, utf8, buffer, "\n");
        }

        HashText(hash, utf8, buffer, "", flush: true);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Characters encoded at a time by <see cref="HashText"/>.</summary>
    private const int HashChunkChars = 1 << 16;

    /// <summary>Appends the UTF-8 of <paramref name="text"/> to <paramref name="hash"/>; one encoder throughout, so the bytes are those of the whole text encoded at once.</summary>
    private static void HashText(IncrementalHash hash, Encoder utf8, byte[] buffer, ReadOnlySpan<char> text, bool flush = false)
    {
        do
        {
            ReadOnlySpan<char> chunk = text[..Math.Min(text.Length, HashChunkChars)];
            text = text[chunk.Length..];
            int bytes = utf8.GetBytes(chunk, buffer, flush && text.IsEmpty);
            hash.AppendData(buffer, 0, bytes);
        }
        while (!text.IsEmpty);
    }

    /// <summary>The optional variant entries of <paramref name="spec"/> (see <see cref="VariantMetadataKeys"/>).</summary>
    private static Dictionary<string, string> VariantMetadata(NetworkSpec spec)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        if (spec.Variational)
        {
            entries["variational"] = "true";
        }

        if (spec.TiedWeights)
        {
            entries["tied_weights"] = "true";
        }

        if (spec.SparsityWeight > 0)
        {
            entries["sparsity"] = Invariant($"{Number(spec.SparsityTarget)}:{Number(spec.SparsityWeight)}");
        }

        if (spec.ContractiveWeight > 0)
        {
            entries["contractive"] = Number(spec.ContractiveWeight);
        }

        var layers = spec.Encoder.Concat(spec.Decoder)
            .Select((l, i) => (Index: i, l.Options))
            .Where(l => l.Options != LayerOptions.None)
            .Select(l => Invariant($"{l.Index}:{Number(l.Options.Dropout)}:{Number(l.Options.ActivityL1)}:{Number(l.Options.ActivityL2)}:{(l.Options.BatchNormalization ? 1 : 0)}"))
            .ToArray();
        if (layers.Length > 0)
        {
            entries[LayerOptionsKey] = string.Join(",", layers);
        }

        return entries;
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The values as little-endian bytes: the array's own memory on little-endian machines, else a copy.</summary>
    private static ReadOnlySpan<byte> LittleEndianBytes(float[] values)
    {
        if (BitConverter.IsLittleEndian)
        {
            return MemoryMarshal.AsBytes(values.AsSpan());
        }

        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return bytes;
    }

    private static string LibraryVersion =>
        typeof(ModelFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
}

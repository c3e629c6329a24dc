using System.Globalization;
using System.Runtime.CompilerServices;
using Autoencoder.Activations;
using Autoencoder.Layers;
using Autoencoder.Model;

namespace Autoencoder.Serialization;

internal static partial class ModelFile
{
    /// <summary>The longest canonical layer, <c>2147483647:leaky_relu,</c>, is 22 characters.</summary>
    private const int MaxLayerTextLength = 24;

    /// <summary>
    /// <c>{layer}:{dropout}:{l1}:{l2}:{batch_norm},</c> with round-trip doubles of at most 24
    /// characters each (version 2 has no <c>:{batch_norm}</c>, so it is shorter still).
    /// </summary>
    private const int MaxLayerOptionsTextLength = 11 + (3 * 25) + 2 + 4;

    /// <summary>The longest text each fixed-size metadata key can validly hold.</summary>
    private static readonly Dictionary<string, int> MetadataLengthCaps = new(StringComparer.Ordinal)
    {
        ["format"] = 64, ["format_version"] = 16, ["library_version"] = 256, ["input_size"] = 16, ["seed"] = 16,
        [DataHashKey] = 64, [MetadataHashKey] = 64, ["variational"] = 16, ["tied_weights"] = 16, ["sparsity"] = 64, ["contractive"] = 32, [InputShapeKey] = 40,
    };

    private static readonly Activation[] Activations = Enum.GetValues<Activation>();

    /// <summary>
    /// Decodes the metadata, each value against a cap (see <see cref="MetadataLengthCaps"/>; extra
    /// keys' by <paramref name="schema"/>, see <see cref="ModelFileSchema.MaxValueLength"/>; the layer
    /// lists by their layer count, which is counted in the raw text and checked first against
    /// <see cref="NetworkSpec.MaxLayers"/>, then against the header's tensor count: every layer has
    /// at least its bias tensor). The values of <paramref name="schema"/>'s long keys, bounded by the
    /// header alone, and of <see cref="PipelineKey"/> and <see cref="LayerOptionsKey"/>, bounded by
    /// the layer count, are not decoded: <paramref name="longValues"/> holds their UTF-8 bytes.
    /// </summary>
    private static Dictionary<string, string> DecodeMetadata(ModelFileHeader header, ModelFileSchema schema, int version, out Dictionary<string, ReadOnlyMemory<byte>> longValues)
    {
        // Version 4 layers may own no tensor (pooling, reshapes), and their text is longer.
        int layerText = version >= 4 ? LayerText.MaxLength : MaxLayerTextLength;
        long maxLayerText = (long)layerText * (version >= 4 ? NetworkSpec.MaxLayers : Math.Min(header.TensorCount, NetworkSpec.MaxLayers));
        long encoderLayers = header.CountItems("encoder", ',', maxLayerText);
        long decoderLayers = header.CountItems("decoder", ',', maxLayerText);
        if (encoderLayers + decoderLayers > NetworkSpec.MaxLayers)
        {
            throw new ModelFormatException(Invariant(
                $"The architecture has {encoderLayers + decoderLayers} layers ({encoderLayers} encoder, {decoderLayers} decoder); a model has at most {NetworkSpec.MaxLayers}."));
        }

        if (version < 4 && encoderLayers + decoderLayers > header.TensorCount)
        {
            throw new ModelFormatException(Invariant(
                $"The architecture has {encoderLayers + decoderLayers} layers but the header lists only {header.TensorCount} tensors; every layer needs at least its bias."));
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        longValues = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        foreach (string key in header.MetadataKeys)
        {
            if (schema.LongMetadataKeys.Contains(key))
            {
                longValues[key] = header.MetadataUtf8(key);
                continue;
            }

            if (key is PipelineKey or LayerOptionsKey)
            {
                // Read as UTF-8 entry by entry (see CheckPipeline and ReadLayerOptions), never decoded.
                int perLayer = key == PipelineKey ? MaxPipelineTextPerLayer : MaxLayerOptionsTextLength;
                longValues[key] = header.MetadataUtf8(key, perLayer * (encoderLayers + decoderLayers));
                continue;
            }

            long cap = key switch
            {
                "encoder" => layerText * encoderLayers,
                "decoder" => layerText * decoderLayers,
                _ when MetadataLengthCaps.TryGetValue(key, out int fixedCap) => fixedCap,
                _ => ModelFileSchema.MaxValueLength,
            };
            metadata[key] = header.Metadata(key, cap);
        }

        return metadata;
    }

    /// <summary>The architecture <paramref name="metadata"/> and the UTF-8 values (<paramref name="utf8Values"/>, see <see cref="DecodeMetadata"/>) describe.</summary>
    private static Architecture ReadArchitecture(Dictionary<string, string> metadata, Dictionary<string, ReadOnlyMemory<byte>> utf8Values, int version)
    {
        int inputSize = ParseInt(metadata["input_size"], "input_size");
        if (inputSize <= 0)
        {
            throw new ModelFormatException(Invariant($"Metadata 'input_size' must be positive; got {inputSize}."));
        }

        int seed = ParseInt(metadata["seed"], "seed");
        if (version >= 4)
        {
            return ReadLayeredArchitecture(metadata, utf8Values, version, inputSize, seed);
        }

        var encoder = ParseStack(metadata["encoder"], "encoder");
        var decoder = ParseStack(metadata["decoder"], "decoder");
        if (decoder[^1].Units != inputSize)
        {
            throw new ModelFormatException(Invariant($"The decoder's last layer must have input_size = {inputSize} units; got {decoder[^1].Units}."));
        }

        NetworkSpec spec = ReadVariants(
            metadata,
            utf8Values,
            version,
            encoder.Count,
            decoder.Count,
            (i, options) => i < encoder.Count ? new LayerSpec(encoder[i].Units, encoder[i].Activation, options) : new LayerSpec(decoder[i - encoder.Count].Units, decoder[i - encoder.Count].Activation, options),
            LayerShape.Vector(inputSize));

        // Sizes in long: each layer's counts are below 2^63, and each sum stops as soon as it passes
        // what one buffer can hold, so nothing overflows.
        var all = spec.Encoder.Concat(spec.Decoder).ToArray();
        var layers = new LayerLayout[all.Length];
        long parameters = 0, state = 0;
        int l = 0;
        foreach (var (inputs, outputs, tied) in spec.LayerShapes())
        {
            layers[l] = LayerLayout.Dense(inputs, outputs, tied, all[l].Options.BatchNormalization, parameters, state);
            parameters += layers[l].ParameterCount;
            state += layers[l].StateCount;
            if (parameters > Array.MaxLength || state > Array.MaxLength)
            {
                throw new ModelFormatException(Invariant(
                    $"The architecture declares more than {Array.MaxLength} {(parameters > Array.MaxLength ? "parameters" : "state values")}, more than one buffer can hold."));
            }

            l++;
        }

        return new Architecture(spec, seed, parameters, state, layers);
    }

    /// <summary>Reads the optional variant keys (canonical text only) and checks that the whole spec is consistent.</summary>
    private static NetworkSpec ReadVariants(
        Dictionary<string, string> metadata,
        Dictionary<string, ReadOnlyMemory<byte>> utf8Values,
        int version,
        int encoderCount,
        int decoderCount,
        Func<int, LayerOptions, LayerSpec> layer,
        LayerShape inputShape)
    {
        int inputSize = inputShape.Size;
        var options = new LayerOptions[encoderCount + decoderCount];
        Array.Fill(options, LayerOptions.None);
        if (utf8Values.TryGetValue(LayerOptionsKey, out ReadOnlyMemory<byte> text))
        {
            ReadLayerOptions(text.Span, options, version);
        }

        double sparsityTarget = 0, sparsityWeight = 0;
        if (metadata.TryGetValue("sparsity", out string? sparsity))
        {
            string[] fields = sparsity.Split(':');
            if (fields.Length != 2)
            {
                throw new ModelFormatException(Invariant($"Metadata 'sparsity' must be target:weight; got '{sparsity}'."));
            }

            sparsityTarget = ReadNumber(fields[0], "sparsity");
            sparsityWeight = ReadNumber(fields[1], "sparsity");
        }

        var spec = new NetworkSpec(
            inputSize,
            Enumerable.Range(0, encoderCount).Select(i => layer(i, options[i])).ToArray(),
            Enumerable.Range(encoderCount, decoderCount).Select(i => layer(i, options[i])).ToArray())
        {
            InputShape = inputShape,
            Variational = ReadFlag(metadata, "variational"),
            TiedWeights = ReadFlag(metadata, "tied_weights"),
            SparsityTarget = sparsityTarget,
            SparsityWeight = sparsityWeight,
            ContractiveWeight = metadata.TryGetValue("contractive", out string? contractive) ? ReadNumber(contractive, "contractive") : 0,
        };
        if (spec.Problem() is { } problem)
        {
            throw new ModelFormatException(Invariant($"The architecture is inconsistent: {problem}."));
        }

        if ((metadata.ContainsKey("sparsity") && sparsityWeight == 0) || (metadata.ContainsKey("contractive") && spec.ContractiveWeight == 0))
        {
            throw new ModelFormatException("Metadata 'sparsity' and 'contractive' are written only with positive weights.");
        }

        return spec;
    }

    /// <summary>
    /// Reads <c>layer:dropout:l1:l2:batch_norm,…</c> (version 3; version 2 has no <c>batch_norm</c>
    /// field) from its UTF-8 bytes, entry by entry, into <paramref name="options"/>: no string per layer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a load runs it for every entry or layer, before tiering would optimise it
    private static void ReadLayerOptions(ReadOnlySpan<byte> utf8, LayerOptions[] options, int version)
    {
        Span<Range> fields = stackalloc Range[6];
        int expectedFields = version >= 3 ? 5 : 4;
        int previous = -1;
        foreach (Range range in utf8.Split((byte)','))
        {
            ReadOnlySpan<byte> entry = utf8[range];
            int count = 0;
            foreach (Range field in entry.Split((byte)':'))
            {
                fields[Math.Min(count++, fields.Length - 1)] = field; // past five fields, only the count matters
            }

            ReadOnlySpan<byte> index = entry[fields[0]];
            ReadOnlySpan<byte> batchNorm = count == 5 ? entry[fields[4]] : "0"u8;
            if (count != expectedFields || index.Length == 0 || (index.Length > 1 && index[0] == (byte)'0')
                || !int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out int layer) || layer >= options.Length || layer <= previous
                || !(batchNorm.SequenceEqual("0"u8) || batchNorm.SequenceEqual("1"u8)))
            {
                string form = version >= 3
                    ? "layer:dropout:l1:l2:batch_norm (batch_norm 0 or 1)"
                    : "layer:dropout:l1:l2 (no batch_norm field: batch normalization needs format version 3)";
                throw new ModelFormatException(Invariant(
                    $"Metadata '{LayerOptionsKey}' of format version {version} must list layers below {options.Length} in increasing order as {form}; got '{TensorName.Shown(utf8)}'."));
            }

            previous = layer;
            options[layer] = new LayerOptions
            {
                Dropout = ReadNumber(entry[fields[1]], LayerOptionsKey),
                ActivityL1 = ReadNumber(entry[fields[2]], LayerOptionsKey),
                ActivityL2 = ReadNumber(entry[fields[3]], LayerOptionsKey),
                BatchNormalization = batchNorm[0] == (byte)'1',
            };
            if (options[layer] == LayerOptions.None)
            {
                throw new ModelFormatException(Invariant($"Metadata '{LayerOptionsKey}' lists layer {layer} with no option set; got '{TensorName.Shown(utf8)}'."));
            }
        }
    }

    private static bool ReadFlag(Dictionary<string, string> metadata, string key)
    {
        if (!metadata.TryGetValue(key, out string? value))
        {
            return false;
        }

        return value == "true" ? true : throw new ModelFormatException(Invariant($"Metadata '{key}' is written only as 'true'; got '{value}'."));
    }

    /// <summary>A finite number in its canonical UTF-8 text (the shortest that round-trips), compared without building a string.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a load runs it for every entry or layer, before tiering would optimise it
    private static double ReadNumber(ReadOnlySpan<byte> utf8, string key)
    {
        Span<byte> canonical = stackalloc byte[32];
        if (!double.TryParse(utf8, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value)
            || !value.TryFormat(canonical, out int written, "R", CultureInfo.InvariantCulture) || !canonical[..written].SequenceEqual(utf8))
        {
            throw new ModelFormatException(Invariant($"Metadata '{key}' must hold finite numbers in canonical form; got '{TensorName.Shown(utf8)}'."));
        }

        return value;
    }

    /// <summary>A finite number in its canonical text (the shortest that round-trips), compared without building a string.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a load runs it for every entry or layer, before tiering would optimise it
    private static double ReadNumber(ReadOnlySpan<char> text, string key)
    {
        Span<char> canonical = stackalloc char[32];
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value)
            || !value.TryFormat(canonical, out int written, "R", CultureInfo.InvariantCulture) || !canonical[..written].SequenceEqual(text))
        {
            throw new ModelFormatException(Invariant($"Metadata '{key}' must hold finite numbers in canonical form; got '{TensorName.Shown(text.ToString())}'."));
        }

        return value;
    }

    /// <summary>Reads <c>units:activation,…</c> span by span: no string per layer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a load runs it for every entry or layer, before tiering would optimise it
    private static List<(int Units, Activation Activation)> ParseStack(string text, string key)
    {
        var layers = new List<(int, Activation)>();
        ReadOnlySpan<char> all = text;
        foreach (Range range in all.Split(','))
        {
            ReadOnlySpan<char> part = all[range];
            int colon = part.IndexOf(':');
            ReadOnlySpan<char> digits = colon < 0 ? part : part[..colon];
            int match = -1;
            for (int a = 0; a < Activations.Length && colon >= 0; a++)
            {
                match = part[(colon + 1)..].SequenceEqual(ActivationFunctions.Name(Activations[a])) ? a : match;
            }

            if (match < 0 || digits.Length == 0 || (digits.Length > 1 && digits[0] == '0')
                || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int units) || units <= 0)
            {
                throw new ModelFormatException(Invariant($"Metadata '{key}' must be a comma-separated list of units:activation (e.g. '128:relu'); got '{TensorName.Shown(text)}'."));
            }

            layers.Add((units, Activations[match]));
        }

        return layers;
    }

    private static int ParseInt(string text, string key) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && text == value.ToString(CultureInfo.InvariantCulture)
            ? value
            : throw new ModelFormatException(Invariant($"Metadata '{key}' must be an integer in canonical form; got '{TensorName.Shown(text)}'."));
}

using System.Globalization;
using System.Runtime.CompilerServices;
using Autoencoder.Activations;
using Autoencoder.Model;

namespace Autoencoder.Serialization;

internal static partial class ModelFile
{
    /// <summary>The longest canonical layer, <c>2147483647:leaky_relu,</c>, is 22 characters.</summary>
    private const int MaxLayerTextLength = 24;

    /// <summary><c>{layer}:{dropout}:{l1}:{l2},</c> with round-trip doubles of at most 24 characters each.</summary>
    private const int MaxLayerOptionsTextLength = 11 + (3 * 25) + 4;

    /// <summary>The longest text each fixed-size metadata key can validly hold.</summary>
    private static readonly Dictionary<string, int> MetadataLengthCaps = new(StringComparer.Ordinal)
    {
        ["format"] = 64, ["format_version"] = 16, ["library_version"] = 256, ["input_size"] = 16, ["seed"] = 16,
        [DataHashKey] = 64, [MetadataHashKey] = 64, ["variational"] = 16, ["tied_weights"] = 16, ["sparsity"] = 64, ["contractive"] = 32,
    };

    private static readonly Activation[] Activations = Enum.GetValues<Activation>();

    /// <summary>The network a header describes and where the writer puts each layer's tensors.</summary>
    private sealed record Architecture(NetworkSpec Spec, int Seed, long ParameterCount, (int Inputs, int Outputs, bool Tied)[] Layers, long[] LayerOffsets)
    {
        public Network Build() => new(Spec);
    }

    /// <summary>
    /// Decodes the metadata, each value against a cap (see <see cref="MetadataLengthCaps"/>; extra
    /// keys' by <paramref name="schema"/>, see <see cref="ModelFileSchema.MaxValueLength"/>; the layer
    /// lists by their layer count, which is counted in the raw text and checked first against
    /// <see cref="NetworkSpec.MaxLayers"/>, then against the header's tensor count: every layer has
    /// at least its bias tensor). The values of <paramref name="schema"/>'s long keys, bounded by the
    /// header alone, are not decoded: <paramref name="longValues"/> holds their UTF-8 bytes.
    /// </summary>
    private static Dictionary<string, string> DecodeMetadata(ModelFileHeader header, ModelFileSchema schema, out Dictionary<string, ReadOnlyMemory<byte>> longValues)
    {
        long maxLayerText = (long)MaxLayerTextLength * Math.Min(header.TensorCount, NetworkSpec.MaxLayers);
        long encoderLayers = header.CountItems("encoder", ',', maxLayerText);
        long decoderLayers = header.CountItems("decoder", ',', maxLayerText);
        if (encoderLayers + decoderLayers > NetworkSpec.MaxLayers)
        {
            throw new ModelFormatException(Invariant(
                $"The architecture has {encoderLayers + decoderLayers} layers ({encoderLayers} encoder, {decoderLayers} decoder); a model has at most {NetworkSpec.MaxLayers}."));
        }

        if (encoderLayers + decoderLayers > header.TensorCount)
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

            long cap = key switch
            {
                "encoder" => MaxLayerTextLength * encoderLayers,
                "decoder" => MaxLayerTextLength * decoderLayers,
                "layer_options" => MaxLayerOptionsTextLength * (encoderLayers + decoderLayers),
                _ when MetadataLengthCaps.TryGetValue(key, out int fixedCap) => fixedCap,
                _ => ModelFileSchema.MaxValueLength,
            };
            metadata[key] = header.Metadata(key, cap);
        }

        return metadata;
    }

    private static Architecture ReadArchitecture(Dictionary<string, string> metadata)
    {
        int inputSize = ParseInt(metadata["input_size"], "input_size");
        if (inputSize <= 0)
        {
            throw new ModelFormatException(Invariant($"Metadata 'input_size' must be positive; got {inputSize}."));
        }

        int seed = ParseInt(metadata["seed"], "seed");
        var encoder = ParseStack(metadata["encoder"], "encoder");
        var decoder = ParseStack(metadata["decoder"], "decoder");
        if (decoder[^1].Units != inputSize)
        {
            throw new ModelFormatException(Invariant($"The decoder's last layer must have input_size = {inputSize} units; got {decoder[^1].Units}."));
        }

        NetworkSpec spec = ReadVariants(metadata, encoder, decoder, inputSize);

        // Sizes in long: each layer's count is below 2^62, and the sum stops as soon as it passes
        // what one buffer can hold, so nothing overflows.
        var layers = spec.LayerShapes().ToArray();
        var offsets = new long[layers.Length];
        long parameters = 0;
        for (int l = 0; l < layers.Length; l++)
        {
            var (inputs, outputs, tied) = layers[l];
            offsets[l] = parameters;
            parameters += (tied ? 0 : (long)inputs * outputs) + outputs;
            if (parameters > Array.MaxLength)
            {
                throw new ModelFormatException(Invariant($"The architecture declares more than {Array.MaxLength} parameters, more than one buffer can hold."));
            }
        }

        return new Architecture(spec, seed, parameters, layers, offsets);
    }

    /// <summary>Reads the optional variant keys (canonical text only) and checks that the whole spec is consistent.</summary>
    private static NetworkSpec ReadVariants(Dictionary<string, string> metadata, List<(int Units, Activation Activation)> encoder, List<(int Units, Activation Activation)> decoder, int inputSize)
    {
        var options = new LayerOptions[encoder.Count + decoder.Count];
        Array.Fill(options, LayerOptions.None);
        if (metadata.TryGetValue("layer_options", out string? text))
        {
            ReadLayerOptions(text, options);
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
            encoder.Select((l, i) => new LayerSpec(l.Units, l.Activation, options[i])).ToArray(),
            decoder.Select((l, i) => new LayerSpec(l.Units, l.Activation, options[encoder.Count + i])).ToArray())
        {
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

    /// <summary>Reads <c>layer:dropout:l1:l2,…</c> span by span into <paramref name="options"/>: no string per layer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a load runs it for every entry or layer, before tiering would optimise it
    private static void ReadLayerOptions(string text, LayerOptions[] options)
    {
        ReadOnlySpan<char> all = text;
        Span<Range> fields = stackalloc Range[5];
        int previous = -1;
        foreach (Range range in all.Split(','))
        {
            ReadOnlySpan<char> entry = all[range];
            int count = entry.Split(fields, ':');
            ReadOnlySpan<char> index = entry[fields[0]];
            if (count != 4 || index.Length == 0 || (index.Length > 1 && index[0] == '0')
                || !int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out int layer) || layer >= options.Length || layer <= previous)
            {
                throw new ModelFormatException(Invariant($"Metadata 'layer_options' must list layers below {options.Length} in increasing order as layer:dropout:l1:l2; got '{TensorName.Shown(text)}'."));
            }

            previous = layer;
            options[layer] = new LayerOptions
            {
                Dropout = ReadNumber(entry[fields[1]], "layer_options"),
                ActivityL1 = ReadNumber(entry[fields[2]], "layer_options"),
                ActivityL2 = ReadNumber(entry[fields[3]], "layer_options"),
            };
            if (options[layer] == LayerOptions.None)
            {
                throw new ModelFormatException(Invariant($"Metadata 'layer_options' lists layer {layer} with no option set; got '{TensorName.Shown(text)}'."));
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

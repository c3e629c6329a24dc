using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Autoencoder.Activations;
using Autoencoder.Model;

namespace Autoencoder.Serialization;

internal static partial class ModelFile
{
    private static readonly string[] TensorKeys = ["dtype", "shape", "data_offsets"];

    /// <summary>
    /// Reads a whole model file, trusting nothing in it. In order: the header length is at most
    /// <see cref="MaxHeaderBytes"/> and within the file; the header is a JSON object whose objects
    /// have no key twice; the metadata has exactly the keys of its format version (plus those
    /// <paramref name="schema"/> allows), all strings, and a valid architecture whose size fits
    /// one buffer; every tensor has exactly <c>dtype</c> (F32), <c>shape</c> (the one the
    /// architecture or the schema gives) and <c>data_offsets</c> (in range, the right byte
    /// count); the tensors tile the data section with no gap or overlap, end exactly at the end of
    /// the file and sit where the writer puts them; the checksums match (version 2); every value
    /// is finite. Nothing is allocated from a declared size before it is checked against the file.
    /// Every failure is a <see cref="ModelFormatException"/> naming what is wrong.
    /// </summary>
    public static AutoencoderModel Parse(byte[] bytes, ModelFileSchema schema, out ModelFileExtras extras)
    {
        if (bytes.Length < 8)
        {
            throw new ModelFormatException($"File too short for a model file: {bytes.Length} bytes, the 8-byte header length alone needs 8.");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        long available = bytes.LongLength - 8;
        if (headerLength > (ulong)MaxHeaderBytes || headerLength > (ulong)available)
        {
            throw new ModelFormatException($"Declared header length {headerLength} exceeds the {Math.Min(MaxHeaderBytes, available)} bytes available.");
        }

        int dataStart = 8 + (int)headerLength;
        ReadOnlyMemory<byte> data = bytes.AsMemory(dataStart);
        Dictionary<string, JsonElement> entries = ReadHeader(bytes.AsMemory(8, (int)headerLength));
        Dictionary<string, string> metadata = ReadMetadata(entries);
        int version = ReadVersion(metadata);
        CheckMetadataKeys(metadata, version, schema);
        Architecture architecture = ReadArchitecture(metadata, tensorEntries: entries.Count - 1);

        // The tensors the file must hold, where the writer puts them: the network's, then the
        // schema's extras present in the file, by ordinal name.
        var expected = new Dictionary<string, (long[] Shape, long Begin, long End)>(StringComparer.Ordinal);
        long offset = 0;
        foreach (var (name, shape) in architecture.Tensors)
        {
            long count = shape.Aggregate(1L, (a, b) => checked(a * b));
            expected[name] = (shape, offset * sizeof(float), checked(offset + count) * sizeof(float));
            offset += count;
        }

        Network? network = null;
        var extraShapes = new List<(string Name, long[] Shape)>();
        foreach (string name in entries.Keys.Where(k => k != "__metadata__" && !expected.ContainsKey(k)).Order(StringComparer.Ordinal))
        {
            if (version < 2 || !schema.Tensors.TryGetValue(name, out Func<Network, IReadOnlyDictionary<string, string>, int[]>? shapeOf))
            {
                throw new ModelFormatException($"Header has an unexpected tensor '{name}'.");
            }

            // The network is allocated only once its size is known to match the file.
            CheckDataLength(architecture.ParameterCount, data.Length, allowMore: true);
            network ??= architecture.Build();
            long[] shape = shapeOf(network, metadata).Select(d => (long)d).ToArray();
            long count = shape.Aggregate(1L, (a, b) => checked(a * b));
            expected[name] = (shape, offset * sizeof(float), checked(offset + count) * sizeof(float));
            offset += count;
            extraShapes.Add((name, shape));
        }

        var declared = new List<(string Name, long Begin, long End)>();
        foreach (var (name, (shape, _, _)) in expected)
        {
            if (!entries.TryGetValue(name, out JsonElement tensor))
            {
                throw new ModelFormatException($"Tensor '{name}' is missing from the header.");
            }

            var (begin, end) = ReadTensorEntry(tensor, name, shape, data.Length);
            declared.Add((name, begin, end));
        }

        CheckTiling(declared, data.Length);
        foreach (var (name, begin, end) in declared)
        {
            var (_, expectedBegin, expectedEnd) = expected[name];
            if (begin != expectedBegin || end != expectedEnd)
            {
                throw new ModelFormatException($"Tensor '{name}' must occupy bytes [{expectedBegin}, {expectedEnd}) of the data section; got [{begin}, {end}).");
            }
        }

        if (version >= 2)
        {
            CheckHashes(metadata, data.Span);
        }

        CheckDataLength(architecture.ParameterCount, data.Length, allowMore: extraShapes.Count > 0);
        network ??= architecture.Build();
        ReadFloats(data.Span[..(network.Parameters.Length * sizeof(float))], network.Parameters, architecture.Tensors, 0);

        extras = new ModelFileExtras();
        foreach (var (name, shape) in extraShapes)
        {
            var (_, begin, end) = expected[name];
            var values = new float[(end - begin) / sizeof(float)];
            ReadFloats(data.Span[(int)begin..(int)end], values, [(name, shape)], 0);
            extras.Tensors[name] = new ExtraTensor(shape.Select(d => (int)d).ToArray(), values);
        }

        foreach (string key in schema.MetadataKeys.Where(metadata.ContainsKey))
        {
            extras.Metadata[key] = metadata[key];
        }

        return new AutoencoderModel(network, architecture.Seed);
    }

    private static Dictionary<string, JsonElement> ReadHeader(ReadOnlyMemory<byte> header)
    {
        JsonElement root;
        try
        {
            using JsonDocument document = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 });
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ModelFormatException($"Header is not valid JSON: {e.Message}", e);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ModelFormatException($"Header must be a JSON object; got {root.ValueKind}.");
        }

        return Properties(root, "Header");
    }

    /// <summary>The properties of a JSON object, rejecting a key given twice (JSON parsers differ on which copy wins).</summary>
    private static Dictionary<string, JsonElement> Properties(JsonElement element, string what)
    {
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            string name = Text(() => property.Name, what);
            if (!result.TryAdd(name, property.Value))
            {
                throw new ModelFormatException($"{what} has the key '{name}' twice.");
            }
        }

        return result;
    }

    /// <summary>Reads a JSON string, turning the parser's complaint about malformed text into a format error.</summary>
    private static string Text(Func<string?> read, string what)
    {
        try
        {
            return read() ?? throw new ModelFormatException($"{what} has a null where text belongs.");
        }
        catch (InvalidOperationException e)
        {
            throw new ModelFormatException($"{what} holds text that is not valid UTF-8: {e.Message}", e);
        }
    }

    private static Dictionary<string, string> ReadMetadata(Dictionary<string, JsonElement> entries)
    {
        if (!entries.TryGetValue("__metadata__", out JsonElement element) || element.ValueKind != JsonValueKind.Object)
        {
            throw new ModelFormatException("Header has no '__metadata__' object; this is not a model file written by this library.");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Properties(element, "Metadata"))
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                throw new ModelFormatException($"Metadata '{key}' must be a string; got {value.ValueKind}.");
            }

            values[key] = Text(value.GetString, $"Metadata '{key}'");
        }

        return values;
    }

    private static int ReadVersion(Dictionary<string, string> metadata)
    {
        string format = Required(metadata, "format");
        if (format != FormatName)
        {
            throw new ModelFormatException($"Metadata 'format' must be '{FormatName}'; got '{format}'.");
        }

        int version = ParseInt(Required(metadata, "format_version"), "format_version");
        if (version < 1 || version > FormatVersion)
        {
            throw new ModelFormatException($"Model file format version {version} is not supported; this library reads versions 1 to {FormatVersion}.");
        }

        return version;
    }

    private static void CheckMetadataKeys(Dictionary<string, string> metadata, int version, ModelFileSchema schema)
    {
        var required = new List<string>(CoreMetadataKeys);
        if (version >= 2)
        {
            required.Add(DataHashKey);
            required.Add(MetadataHashKey);
        }

        foreach (string key in required)
        {
            Required(metadata, key);
        }

        foreach (string key in metadata.Keys.Order(StringComparer.Ordinal))
        {
            if (!required.Contains(key) && !(version >= 2 && (schema.MetadataKeys.Contains(key) || VariantMetadataKeys.Contains(key))))
            {
                throw new ModelFormatException($"Metadata has an unexpected key '{key}' for format version {version}.");
            }
        }
    }

    private sealed record Architecture(NetworkSpec Spec, int Seed, long ParameterCount, List<(string Name, long[] Shape)> Tensors)
    {
        public Network Build() => new(Spec);
    }

    /// <remarks>Every layer has at least its bias tensor, so a file listing fewer tensors than layers is refused before any per-layer table is built.</remarks>
    private static Architecture ReadArchitecture(Dictionary<string, string> metadata, int tensorEntries)
    {
        int inputSize = ParseInt(metadata["input_size"], "input_size");
        if (inputSize <= 0)
        {
            throw new ModelFormatException($"Metadata 'input_size' must be positive; got {inputSize}.");
        }

        int seed = ParseInt(metadata["seed"], "seed");
        var encoder = ParseStack(metadata["encoder"], "encoder");
        var decoder = ParseStack(metadata["decoder"], "decoder");
        if (decoder[^1].Units != inputSize)
        {
            throw new ModelFormatException($"The decoder's last layer must have input_size = {inputSize} units; got {decoder[^1].Units}.");
        }

        if (encoder.Count + decoder.Count > tensorEntries)
        {
            throw new ModelFormatException(
                $"The architecture has {encoder.Count + decoder.Count} layers but the header lists only {tensorEntries} tensors; every layer needs at least its bias.");
        }

        NetworkSpec spec = ReadVariants(metadata, inputSize, encoder, decoder);

        // Sizes in long: each layer's count is below 2^62, and the sum stops as soon as it passes
        // what one buffer can hold, so nothing overflows.
        long parameters = 0;
        var tensors = new List<(string, long[])>();
        int index = 0;
        foreach (var (inputs, outputs, tied) in spec.LayerShapes())
        {
            string prefix = index < encoder.Count ? $"encoder.{index}" : $"decoder.{index - encoder.Count}";
            parameters += (tied ? 0 : (long)inputs * outputs) + outputs;
            if (parameters > Array.MaxLength)
            {
                throw new ModelFormatException($"The architecture declares more than {Array.MaxLength} parameters, more than one buffer can hold.");
            }

            if (!tied)
            {
                tensors.Add(($"{prefix}.weight", [inputs, outputs]));
            }

            tensors.Add(($"{prefix}.bias", [outputs]));
            index++;
        }

        return new Architecture(spec, seed, parameters, tensors);
    }

    /// <summary>Reads the optional variant keys (canonical text only) and checks that the whole spec is consistent.</summary>
    private static NetworkSpec ReadVariants(Dictionary<string, string> metadata, int inputSize, List<(int Units, Activation Activation)> encoder, List<(int Units, Activation Activation)> decoder)
    {
        var options = new LayerOptions[encoder.Count + decoder.Count];
        Array.Fill(options, LayerOptions.None);
        if (metadata.TryGetValue("layer_options", out string? text))
        {
            int previous = -1;
            foreach (string entry in text.Split(','))
            {
                string[] fields = entry.Split(':');
                if (fields.Length != 4 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int layer)
                    || fields[0] != layer.ToString(CultureInfo.InvariantCulture) || layer >= options.Length || layer <= previous)
                {
                    throw new ModelFormatException($"Metadata 'layer_options' must list layers below {options.Length} in increasing order as layer:dropout:l1:l2; got '{text}'.");
                }

                previous = layer;

                options[layer] = new LayerOptions
                {
                    Dropout = ReadNumber(fields[1], "layer_options"),
                    ActivityL1 = ReadNumber(fields[2], "layer_options"),
                    ActivityL2 = ReadNumber(fields[3], "layer_options"),
                };
                if (options[layer] == LayerOptions.None)
                {
                    throw new ModelFormatException($"Metadata 'layer_options' lists layer {layer} with no option set; got '{text}'.");
                }
            }
        }

        double sparsityTarget = 0, sparsityWeight = 0;
        if (metadata.TryGetValue("sparsity", out string? sparsity))
        {
            string[] fields = sparsity.Split(':');
            if (fields.Length != 2)
            {
                throw new ModelFormatException($"Metadata 'sparsity' must be target:weight; got '{sparsity}'.");
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
            throw new ModelFormatException($"The architecture is inconsistent: {problem}.");
        }

        if ((metadata.ContainsKey("sparsity") && sparsityWeight == 0) || (metadata.ContainsKey("contractive") && spec.ContractiveWeight == 0))
        {
            throw new ModelFormatException("Metadata 'sparsity' and 'contractive' are written only with positive weights.");
        }

        return spec;
    }

    private static bool ReadFlag(Dictionary<string, string> metadata, string key)
    {
        if (!metadata.TryGetValue(key, out string? value))
        {
            return false;
        }

        return value == "true" ? true : throw new ModelFormatException($"Metadata '{key}' is written only as 'true'; got '{value}'.");
    }

    private static double ReadNumber(string text, string key)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value)
            || value.ToString("R", CultureInfo.InvariantCulture) != text)
        {
            throw new ModelFormatException($"Metadata '{key}' must hold finite numbers in canonical form; got '{text}'.");
        }

        return value;
    }

    private static List<(int Units, Activation Activation)> ParseStack(string text, string key)
    {
        var layers = new List<(int, Activation)>();
        foreach (string part in text.Split(','))
        {
            string[] pieces = part.Split(':');
            if (pieces.Length != 2 || !int.TryParse(pieces[0], NumberStyles.None, CultureInfo.InvariantCulture, out int units) || units <= 0
                || pieces[0] != units.ToString(CultureInfo.InvariantCulture) || !ActivationFunctions.TryParse(pieces[1], out Activation activation))
            {
                throw new ModelFormatException($"Metadata '{key}' must be a comma-separated list of units:activation (e.g. '128:relu'); got '{text}'.");
            }

            layers.Add((units, activation));
        }

        return layers;
    }

    private static void CheckDataLength(long parameterCount, long dataLength, bool allowMore)
    {
        long needed = parameterCount * sizeof(float);
        if (dataLength < needed || (!allowMore && dataLength != needed))
        {
            throw new ModelFormatException($"Data section holds {dataLength} bytes; the architecture needs {needed}.");
        }
    }

    /// <summary>Checks one tensor's entry and returns its byte range in the data section.</summary>
    private static (long Begin, long End) ReadTensorEntry(JsonElement tensor, string name, long[] shape, long dataLength)
    {
        if (tensor.ValueKind != JsonValueKind.Object)
        {
            throw new ModelFormatException($"Tensor '{name}' must be a JSON object; got {tensor.ValueKind}.");
        }

        var fields = Properties(tensor, $"Tensor '{name}'");
        foreach (string key in fields.Keys.Order(StringComparer.Ordinal))
        {
            if (!TensorKeys.Contains(key))
            {
                throw new ModelFormatException($"Tensor '{name}' has an unexpected key '{key}'; a tensor has only {string.Join(", ", TensorKeys)}.");
            }
        }

        if (!fields.TryGetValue("dtype", out JsonElement dtype) || dtype.ValueKind != JsonValueKind.String)
        {
            throw new ModelFormatException($"Tensor '{name}' has no 'dtype' string.");
        }

        string type = Text(dtype.GetString, $"Tensor '{name}' dtype");
        if (type != "F32")
        {
            throw new ModelFormatException($"Tensor '{name}' has dtype '{type}'; only F32 is supported.");
        }

        long[] declaredShape = ReadIntegers(fields, "shape", name);
        if (!declaredShape.SequenceEqual(shape))
        {
            throw new ModelFormatException($"Tensor '{name}' must have shape [{string.Join(", ", shape)}]; got [{string.Join(", ", declaredShape)}].");
        }

        long[] offsets = ReadIntegers(fields, "data_offsets", name);
        if (offsets.Length != 2 || offsets[0] > offsets[1] || offsets[1] > dataLength)
        {
            throw new ModelFormatException($"Tensor '{name}' must have data_offsets [begin, end] with begin ≤ end ≤ {dataLength} (the data section's size); got [{string.Join(", ", offsets)}].");
        }

        long bytes = shape.Aggregate(1L, (a, b) => a * b) * sizeof(float);
        if (offsets[1] - offsets[0] != bytes)
        {
            throw new ModelFormatException($"Tensor '{name}' of shape [{string.Join(", ", shape)}] needs {bytes} bytes; its data_offsets [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]}.");
        }

        return (offsets[0], offsets[1]);
    }

    private static long[] ReadIntegers(Dictionary<string, JsonElement> fields, string property, string name)
    {
        if (!fields.TryGetValue(property, out JsonElement array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new ModelFormatException($"Tensor '{name}' has no '{property}' array.");
        }

        var result = new List<long>();
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long value) || value < 0)
            {
                throw new ModelFormatException($"Tensor '{name}' has a '{property}' entry that is not a non-negative integer: {item.GetRawText()}.");
            }

            result.Add(value);
        }

        return result.ToArray();
    }

    /// <summary>The tensors, in file order, must cover the data section exactly once.</summary>
    private static void CheckTiling(List<(string Name, long Begin, long End)> tensors, long dataLength)
    {
        long position = 0;
        string previous = "the start of the data section";
        foreach (var (name, begin, end) in tensors.OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (begin < position)
            {
                throw new ModelFormatException($"Tensor '{name}' (bytes [{begin}, {end})) overlaps {previous}, which ends at byte {position}.");
            }

            if (begin > position)
            {
                throw new ModelFormatException($"The data section has a gap: bytes [{position}, {begin}) between {previous} and tensor '{name}' belong to no tensor.");
            }

            position = end;
            previous = $"tensor '{name}'";
        }

        if (position != dataLength)
        {
            throw new ModelFormatException($"Data section holds {dataLength} bytes; the tensors cover {position}.");
        }
    }

    private static void CheckHashes(Dictionary<string, string> metadata, ReadOnlySpan<byte> data)
    {
        string dataHash = Convert.ToHexStringLower(SHA256.HashData(data));
        if (metadata[DataHashKey] != dataHash)
        {
            throw new ModelFormatException($"Metadata '{DataHashKey}' is {metadata[DataHashKey]} but the data section hashes to {dataHash}: the weights are corrupt.");
        }

        string metadataHash = MetadataHash(metadata);
        if (metadata[MetadataHashKey] != metadataHash)
        {
            throw new ModelFormatException($"Metadata '{MetadataHashKey}' is {metadata[MetadataHashKey]} but the metadata hashes to {metadataHash}: the architecture or metadata is corrupt.");
        }
    }

    /// <summary>Decodes little-endian floats tensor by tensor, rejecting NaN and infinity with the tensor's name and index.</summary>
    private static void ReadFloats(ReadOnlySpan<byte> source, float[] destination, List<(string Name, long[] Shape)> tensors, int start)
    {
        int position = start;
        foreach (var (name, shape) in tensors)
        {
            int count = (int)shape.Aggregate(1L, (a, b) => a * b);
            for (int i = 0; i < count; i++)
            {
                float value = BinaryPrimitives.ReadSingleLittleEndian(source.Slice((position + i) * sizeof(float), sizeof(float)));
                if (!float.IsFinite(value))
                {
                    throw new ModelFormatException($"Tensor '{name}' holds a non-finite value ({value}) at index {i}.");
                }

                destination[position + i] = value;
            }

            position += count;
        }
    }

    private static string Required(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out string? value) ? value : throw new ModelFormatException($"Metadata '{key}' is missing.");

    private static int ParseInt(string text, string key) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && text == value.ToString(CultureInfo.InvariantCulture)
            ? value
            : throw new ModelFormatException($"Metadata '{key}' must be an integer in canonical form; got '{text}'.");
}

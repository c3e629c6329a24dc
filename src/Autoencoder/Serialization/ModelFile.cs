using System.Buffers.Binary;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Autoencoder.Activations;
using Autoencoder.Model;

namespace Autoencoder.Serialization;

/// <summary>
/// Model files in the safetensors layout: an 8-byte little-endian header length, a UTF-8 JSON
/// header, then the raw little-endian float32 tensors back to back. The header's
/// <c>__metadata__</c> holds the architecture as plain strings from a closed vocabulary
/// (<c>format</c>, <c>format_version</c>, <c>library_version</c>, <c>input_size</c>,
/// <c>encoder</c>, <c>decoder</c>, <c>seed</c>); every layer contributes
/// <c>{encoder|decoder}.{i}.weight</c> (shape <c>[inputs, units]</c>, row-major, so
/// <c>z = x·W + b</c>) and <c>.bias</c> (shape <c>[units]</c>). Any safetensors reader can read the weights.
/// </summary>
internal static class ModelFile
{
    public const string FormatName = "autoencoder";
    public const int FormatVersion = 1;

    /// <summary>The safetensors reference implementation's header cap.</summary>
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    public static void Save(AutoencoderModel model, string path)
    {
        // Write beside the target, flush to disk, then rename over it: a crash leaves either the
        // old file or the new one, never a torn mix.
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? ".";
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Write(model, stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    public static void Write(AutoencoderModel model, Stream stream)
    {
        Network network = model.Network;
        var header = new Dictionary<string, object>
        {
            ["__metadata__"] = new Dictionary<string, string>
            {
                ["format"] = FormatName,
                ["format_version"] = FormatVersion.ToString(CultureInfo.InvariantCulture),
                ["library_version"] = LibraryVersion,
                ["input_size"] = network.InputSize.ToString(CultureInfo.InvariantCulture),
                ["encoder"] = Network.Format(network.Describe(0, network.EncoderLayerCount)),
                ["decoder"] = Network.Format(network.Describe(network.EncoderLayerCount, network.Layers.Count)),
                ["seed"] = model.Seed.ToString(CultureInfo.InvariantCulture),
            },
        };

        // The parameter buffer is already W₀, b₀, W₁, b₁, … back to back, so tensor offsets are
        // the layers' own offsets in bytes and the data section is the buffer itself.
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            string name = TensorPrefix(network, l);
            header[name + ".weight"] = Tensor([layer.Inputs, layer.Outputs], layer.WeightOffset, layer.WeightCount);
            header[name + ".bias"] = Tensor([layer.Outputs], layer.BiasOffset, layer.Outputs);
        }

        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header);
        int padding = (8 - (json.Length % 8)) % 8; // the format allows trailing spaces; keeps data 8-byte aligned
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)(json.Length + padding));
        stream.Write(length);
        stream.Write(json);
        for (int i = 0; i < padding; i++)
        {
            stream.WriteByte((byte)' ');
        }

        WriteLittleEndian(stream, network.Parameters);
    }

    public static AutoencoderModel Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new FileNotFoundException($"No model file at '{path}'.", path);
        }

        try
        {
            return Parse(bytes);
        }
        catch (ModelFormatException e)
        {
            throw new ModelFormatException($"'{path}': {e.Message}", e);
        }
    }

    public static AutoencoderModel Read(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(buffer.ToArray());
    }

    private static AutoencoderModel Parse(byte[] bytes)
    {
        if (bytes.Length < 8)
        {
            throw new ModelFormatException($"File too short for a model file: {bytes.Length} bytes, the 8-byte header length alone needs 8.");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)MaxHeaderBytes || headerLength > (ulong)(bytes.Length - 8))
        {
            throw new ModelFormatException($"Declared header length {headerLength} exceeds the {Math.Min(MaxHeaderBytes, bytes.Length - 8)} bytes available.");
        }

        int dataStart = 8 + (int)headerLength;
        JsonElement root;
        try
        {
            using JsonDocument document = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
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

        var entries = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (!entries.TryAdd(property.Name, property.Value))
            {
                throw new ModelFormatException($"Header has the key '{property.Name}' twice.");
            }
        }

        Network network = ReadArchitecture(entries, out int seed);
        long dataLength = bytes.LongLength - dataStart;
        if (dataLength != (long)network.Parameters.Length * sizeof(float))
        {
            throw new ModelFormatException($"Data section holds {dataLength} bytes; the architecture needs {(long)network.Parameters.Length * sizeof(float)}.");
        }

        int tensorCount = 0;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            string name = TensorPrefix(network, l);
            ReadTensor(entries, name + ".weight", [layer.Inputs, layer.Outputs], layer.WeightOffset, bytes.AsSpan(dataStart), network.Parameters);
            ReadTensor(entries, name + ".bias", [layer.Outputs], layer.BiasOffset, bytes.AsSpan(dataStart), network.Parameters);
            tensorCount += 2;
        }

        if (entries.Count != tensorCount + 1)
        {
            string extra = entries.Keys.First(k => k != "__metadata__" && !IsExpectedTensor(network, k));
            throw new ModelFormatException($"Header has an unexpected entry '{extra}'.");
        }

        return new AutoencoderModel(network, seed);
    }

    private static Network ReadArchitecture(Dictionary<string, JsonElement> entries, out int seed)
    {
        if (!entries.TryGetValue("__metadata__", out JsonElement metadata) || metadata.ValueKind != JsonValueKind.Object)
        {
            throw new ModelFormatException("Header has no '__metadata__' object; this is not a model file written by this library.");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty property in metadata.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                throw new ModelFormatException($"Metadata '{property.Name}' must be a string; got {property.Value.ValueKind}.");
            }

            if (!values.TryAdd(property.Name, property.Value.GetString()!))
            {
                throw new ModelFormatException($"Metadata has the key '{property.Name}' twice.");
            }
        }

        string format = Required(values, "format");
        if (format != FormatName)
        {
            throw new ModelFormatException($"Metadata 'format' must be '{FormatName}'; got '{format}'.");
        }

        int version = ParseInt(Required(values, "format_version"), "format_version");
        if (version < 1 || version > FormatVersion)
        {
            throw new ModelFormatException($"Model file format version {version} is not supported; this library reads versions 1 to {FormatVersion}.");
        }

        int inputSize = ParseInt(Required(values, "input_size"), "input_size");
        if (inputSize <= 0)
        {
            throw new ModelFormatException($"Metadata 'input_size' must be positive; got {inputSize}.");
        }

        seed = ParseInt(Required(values, "seed"), "seed");
        var encoder = ParseStack(Required(values, "encoder"), "encoder");
        var decoder = ParseStack(Required(values, "decoder"), "decoder");
        if (decoder[^1].Units != inputSize)
        {
            throw new ModelFormatException($"The decoder's last layer must have input_size = {inputSize} units; got {decoder[^1].Units}.");
        }

        long parameters = 0;
        int inputs = inputSize;
        foreach (var (units, _) in encoder.Concat(decoder))
        {
            parameters += (long)inputs * units + units;
            inputs = units;
        }

        if (parameters > Array.MaxLength)
        {
            throw new ModelFormatException($"The architecture declares {parameters} parameters, more than one buffer can hold.");
        }

        return new Network(inputSize, encoder, decoder);
    }

    private static List<(int Units, Activation Activation)> ParseStack(string text, string key)
    {
        var layers = new List<(int, Activation)>();
        foreach (string part in text.Split(','))
        {
            string[] pieces = part.Split(':');
            if (pieces.Length != 2 || !int.TryParse(pieces[0], NumberStyles.None, CultureInfo.InvariantCulture, out int units) || units <= 0
                || !ActivationFunctions.TryParse(pieces[1], out Activation activation))
            {
                throw new ModelFormatException($"Metadata '{key}' must be a comma-separated list of units:activation (e.g. '128:relu'); got '{text}'.");
            }

            layers.Add((units, activation));
        }

        return layers;
    }

    private static void ReadTensor(Dictionary<string, JsonElement> entries, string name, int[] shape, int offset, ReadOnlySpan<byte> data, float[] parameters)
    {
        if (!entries.TryGetValue(name, out JsonElement tensor) || tensor.ValueKind != JsonValueKind.Object)
        {
            throw new ModelFormatException($"Tensor '{name}' is missing from the header.");
        }

        if (!tensor.TryGetProperty("dtype", out JsonElement dtype) || dtype.ValueKind != JsonValueKind.String || dtype.GetString() != "F32")
        {
            throw new ModelFormatException($"Tensor '{name}' must have dtype F32.");
        }

        long[] declaredShape = ReadIntegers(tensor, "shape", name);
        if (!declaredShape.SequenceEqual(shape.Select(s => (long)s)))
        {
            throw new ModelFormatException($"Tensor '{name}' must have shape [{string.Join(", ", shape)}]; got [{string.Join(", ", declaredShape)}].");
        }

        long[] offsets = ReadIntegers(tensor, "data_offsets", name);
        long count = shape.Aggregate(1L, (a, b) => a * b);
        long begin = (long)offset * sizeof(float), end = begin + count * sizeof(float);
        if (offsets.Length != 2 || offsets[0] != begin || offsets[1] != end)
        {
            throw new ModelFormatException($"Tensor '{name}' must occupy bytes [{begin}, {end}) of the data section; got [{string.Join(", ", offsets)}].");
        }

        Span<float> target = parameters.AsSpan(offset, (int)count);
        ReadLittleEndian(data.Slice((int)begin, (int)(end - begin)), target);
        for (int i = 0; i < target.Length; i++)
        {
            if (!float.IsFinite(target[i]))
            {
                throw new ModelFormatException($"Tensor '{name}' holds a non-finite value ({target[i]}) at index {i}.");
            }
        }
    }

    private static long[] ReadIntegers(JsonElement tensor, string property, string name)
    {
        if (!tensor.TryGetProperty(property, out JsonElement array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new ModelFormatException($"Tensor '{name}' has no '{property}' array.");
        }

        var result = new List<long>();
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long value) || value < 0)
            {
                throw new ModelFormatException($"Tensor '{name}' has a '{property}' entry that is not a non-negative integer: {item}.");
            }

            result.Add(value);
        }

        return result.ToArray();
    }

    private static string Required(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out string? value) ? value : throw new ModelFormatException($"Metadata '{key}' is missing.");

    private static int ParseInt(string text, string key) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new ModelFormatException($"Metadata '{key}' must be an integer; got '{text}'.");

    private static string TensorPrefix(Network network, int layer) =>
        layer < network.EncoderLayerCount ? $"encoder.{layer}" : $"decoder.{layer - network.EncoderLayerCount}";

    private static bool IsExpectedTensor(Network network, string key) =>
        Enumerable.Range(0, network.Layers.Count).Any(l => key == TensorPrefix(network, l) + ".weight" || key == TensorPrefix(network, l) + ".bias");

    private static Dictionary<string, object> Tensor(int[] shape, int offset, int count) => new()
    {
        ["dtype"] = "F32",
        ["shape"] = shape,
        ["data_offsets"] = new long[] { (long)offset * sizeof(float), ((long)offset + count) * sizeof(float) },
    };

    private static void WriteLittleEndian(Stream stream, float[] values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }

        Span<byte> four = stackalloc byte[4];
        foreach (float v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(four, v);
            stream.Write(four);
        }
    }

    private static void ReadLittleEndian(ReadOnlySpan<byte> source, Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source.Slice(i * 4, 4));
        }
    }

    private static string LibraryVersion =>
        typeof(ModelFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
}

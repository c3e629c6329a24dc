using System.Buffers.Binary;
using Autoencoder.Model;

namespace Autoencoder.Serialization;

internal static partial class ModelFile
{
    public static AutoencoderModel Load(string path) => Load(path, ModelFileSchema.Core, out _);

    /// <summary>
    /// Reads the model file at <paramref name="path"/> (see <see cref="Read(Stream, ModelFileSchema, out ModelFileExtras, ModelFileLimits?)"/>),
    /// after <see cref="ModelFileInput.OpenRead"/> has checked that the path names a regular file no
    /// larger than a model file can be; every format error names the path.
    /// </summary>
    public static AutoencoderModel Load(string path, ModelFileSchema schema, out ModelFileExtras extras, ModelFileLimits? limits = null)
    {
        limits ??= ModelFileLimits.Default;
        using FileStream stream = ModelFileInput.OpenRead(path, limits.MaxFileBytes(schema));
        try
        {
            return Read(stream, stream.Length, schema, limits, out extras);
        }
        catch (ModelFormatException e)
        {
            throw new ModelFormatException(Invariant($"'{path}': {e.Message}"), e);
        }
    }

    public static AutoencoderModel Read(Stream stream) => Read(stream, ModelFileSchema.Core, out _);

    /// <summary>
    /// Reads one model file from <paramref name="stream"/>, trusting nothing in it and reading no
    /// more than it declares: the 8-byte header length (at most <see cref="ModelFileLimits.MaxHeaderBytes"/>,
    /// and within the stream when its length is known), the header (see <see cref="ModelFileHeader"/>),
    /// then exactly the data its tensors declare (see <see cref="DataSection"/>). A stream must end
    /// with the file: trailing bytes are refused. In order: the metadata has exactly the keys of its
    /// format version (plus those <paramref name="schema"/> allows), all strings of plausible length,
    /// and a valid architecture whose size fits one buffer, with no more layers than the header has
    /// tensors; every tensor has exactly <c>dtype</c> (F32), <c>shape</c> (the one the architecture
    /// or the schema gives) and <c>data_offsets</c> (in range, the right byte count); the tensors
    /// tile the data section with no gap or overlap, end exactly at its end and sit where the writer
    /// puts them; the checksums match (version 2); every value is finite. Nothing is allocated from a
    /// declared size before it is checked against the stream's length, or received when the length is
    /// unknown. Every failure is a <see cref="ModelFormatException"/> naming what is wrong.
    /// </summary>
    public static AutoencoderModel Read(Stream stream, ModelFileSchema schema, out ModelFileExtras extras, ModelFileLimits? limits = null) =>
        Read(stream, RemainingLength(stream), schema, limits ?? ModelFileLimits.Default, out extras);

    private static AutoencoderModel Read(Stream stream, long? available, ModelFileSchema schema, ModelFileLimits limits, out ModelFileExtras extras)
    {
        Span<byte> prefix = stackalloc byte[8];
        int prefixBytes = stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false);
        if (prefixBytes < 8)
        {
            throw new ModelFormatException(Invariant($"File too short for a model file: {prefixBytes} bytes, the 8-byte header length alone needs 8."));
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        long afterPrefix = available is long length ? length - 8 : long.MaxValue;
        if (headerLength > (ulong)limits.MaxHeaderBytes || headerLength > (ulong)afterPrefix)
        {
            throw new ModelFormatException(Invariant($"Declared header length {headerLength} exceeds the {Math.Min(limits.MaxHeaderBytes, afterPrefix)} bytes available."));
        }

        byte[] json = ReadHeaderBytes(stream, (int)headerLength, lengthKnown: available is not null);
        long? dataLength = available - 8 - (long)headerLength;
        ModelFileHeader header = ModelFileHeader.Read(json, schema, Vocabulary(schema));
        int version = ReadVersion(header);
        CheckMetadataKeys(header, version, schema);
        Dictionary<string, string> metadata = DecodeMetadata(header, schema, out Dictionary<string, ReadOnlyMemory<byte>> longValues);
        Architecture architecture = ReadArchitecture(metadata);
        ExtraLayout[] extraLayout = ExtraTensors(header, schema, version, architecture, metadata);
        long totalFloats = architecture.ParameterCount + extraLayout.Sum(e => e.Count);
        CheckTensors(header, schema, architecture, extraLayout, dataLength ?? (totalFloats * sizeof(float)));
        if (version >= 2)
        {
            CheckMetadataHash(metadata, longValues);
        }

        using var data = new DataSection(stream, totalFloats * sizeof(float), lengthKnown: dataLength is not null);
        Network network = architecture.Build();
        data.Read(network.Parameters);
        extras = new ModelFileExtras();
        var values = new float[extraLayout.Length][];
        for (int i = 0; i < extraLayout.Length; i++)
        {
            values[i] = new float[extraLayout[i].Count];
            data.Read(values[i]);
        }

        if (version >= 2 && data.Hash() is var dataHash && metadata[DataHashKey] != dataHash)
        {
            throw new ModelFormatException(Invariant($"Metadata '{DataHashKey}' is {metadata[DataHashKey]} but the data section hashes to {dataHash}: the weights are corrupt."));
        }

        if (data.FirstNonFinite >= 0)
        {
            var (name, index) = TensorAt(network, extraLayout, architecture.ParameterCount, data.FirstNonFinite);
            throw new ModelFormatException(Invariant($"Tensor '{name}' holds a non-finite value ({data.NonFiniteValue}) at index {index}."));
        }

        for (int i = 0; i < extraLayout.Length; i++)
        {
            extras.Tensors[extraLayout[i].Name] = new ExtraTensor(extraLayout[i].Shape.Select(d => (int)d).ToArray(), values[i]);
        }

        foreach (string key in schema.MetadataKeys.Where(metadata.ContainsKey))
        {
            extras.Metadata[key] = metadata[key];
        }

        foreach (var (key, value) in longValues)
        {
            extras.Utf8Metadata[key] = value;
        }

        return new AutoencoderModel(network, architecture.Seed);
    }

    /// <summary>An extra tensor present in the file: its name, shape, value count and first value's index in the data section.</summary>
    private sealed record ExtraLayout(string Name, long[] Shape, long Count, long Offset);

    /// <summary>The bytes left in <paramref name="stream"/> when it can tell, else null.</summary>
    private static long? RemainingLength(Stream stream)
    {
        try
        {
            return stream.CanSeek ? Math.Max(0, stream.Length - stream.Position) : null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads the header: into one buffer of its size when the stream's length (already checked) is
    /// known, else into a buffer that grows with what arrives, so a short stream declaring a large
    /// header costs what it sent.
    /// </summary>
    private static byte[] ReadHeaderBytes(Stream stream, int length, bool lengthKnown)
    {
        var buffer = new byte[lengthKnown ? length : Math.Min(length, 1 << 16)];
        int received = 0;
        while (true)
        {
            received += stream.ReadAtLeast(buffer.AsSpan(received), buffer.Length - received, throwOnEndOfStream: false);
            if (received == length)
            {
                return buffer;
            }

            if (received < buffer.Length)
            {
                throw new ModelFormatException(Invariant($"Declared header length {length} exceeds the {received} bytes available."));
            }

            Array.Resize(ref buffer, (int)Math.Min(length, 2L * buffer.Length));
        }
    }

    /// <summary>Every metadata key a file read with <paramref name="schema"/> may hold, in any format version.</summary>
    private static string[] Vocabulary(ModelFileSchema schema) =>
        [.. CoreMetadataKeys, DataHashKey, MetadataHashKey, .. VariantMetadataKeys, .. schema.MetadataKeys.Order(StringComparer.Ordinal)];

    private static int ReadVersion(ModelFileHeader header)
    {
        string format = header.Metadata(Required(header, "format"), MetadataLengthCaps["format"]);
        if (format != FormatName)
        {
            throw new ModelFormatException(Invariant($"Metadata 'format' must be '{FormatName}'; got '{format}'."));
        }

        int version = ParseInt(header.Metadata(Required(header, "format_version"), MetadataLengthCaps["format_version"]), "format_version");
        if (version < 1 || version > FormatVersion)
        {
            throw new ModelFormatException(Invariant($"Model file format version {version} is not supported; this library reads versions 1 to {FormatVersion}."));
        }

        return version;
    }

    private static void CheckMetadataKeys(ModelFileHeader header, int version, ModelFileSchema schema)
    {
        var required = new List<string>(CoreMetadataKeys);
        if (version >= 2)
        {
            required.Add(DataHashKey);
            required.Add(MetadataHashKey);
        }

        foreach (string key in required)
        {
            Required(header, key);
        }

        foreach (string key in header.MetadataKeys.Order(StringComparer.Ordinal))
        {
            if (!required.Contains(key) && !(version >= 2 && (schema.MetadataKeys.Contains(key) || VariantMetadataKeys.Contains(key))))
            {
                throw new ModelFormatException(Invariant($"Metadata has an unexpected key '{key}' for format version {version}."));
            }
        }
    }

    private static string Required(ModelFileHeader header, string key) =>
        header.HasMetadata(key) ? key : throw new ModelFormatException(Invariant($"Metadata '{key}' is missing."));

    /// <summary>The schema's extra tensors present in the file, with their shapes and places after the network's values.</summary>
    private static ExtraLayout[] ExtraTensors(ModelFileHeader header, ModelFileSchema schema, int version, Architecture architecture, Dictionary<string, string> metadata)
    {
        var layout = new List<ExtraLayout>();
        long offset = architecture.ParameterCount;
        var shape = new ModelShape(architecture.Spec.InputSize, (int)architecture.ParameterCount);
        for (int i = 0; i < schema.TensorNames.Count; i++)
        {
            if (!header.HasExtra(i))
            {
                continue;
            }

            string name = schema.TensorNames[i];
            if (version < 2)
            {
                throw new ModelFormatException(Invariant($"Header has an unexpected tensor '{name}'."));
            }

            long[] dimensions = schema.Tensors[name](shape, metadata).Select(d => (long)d).ToArray();
            long count = dimensions.Aggregate(1L, (a, b) => checked(a * b));
            layout.Add(new ExtraLayout(name, dimensions, count, offset));
            offset += count;
        }

        return layout.ToArray();
    }

    /// <summary>
    /// Checks every tensor entry against the architecture as the header is read, then that none is
    /// missing and that each sits where the writer puts it (which tiles the data section exactly).
    /// </summary>
    private static void CheckTensors(ModelFileHeader header, ModelFileSchema schema, Architecture architecture, ExtraLayout[] extras, long dataLength)
    {
        var layers = architecture.Layers;
        // Declared byte ranges, −1 until seen: per layer its weight and bias, then per extra.
        var begins = new long[(2 * layers.Length) + extras.Length];
        var ends = new long[begins.Length];
        Array.Fill(begins, -1);
        int extraIndex = 0;
        var extraSlots = new int[schema.TensorNames.Count];
        for (int i = 0; i < extraSlots.Length; i++)
        {
            extraSlots[i] = header.HasExtra(i) ? extraIndex++ : -1;
        }

        header.ReadTensors((name, shape, offsets) =>
        {
            int slot = Slot(name, architecture, extraSlots);
            if (slot < 0)
            {
                throw new ModelFormatException(Invariant($"Header has an unexpected tensor '{name.ToString(schema)}'."));
            }

            ReadOnlySpan<long> expected = ExpectedShape(slot, architecture, extras, stackalloc long[2]);
            if (!shape.SequenceEqual(expected) || offsets.Length != 2 || offsets[0] > offsets[1] || offsets[1] > dataLength
                || offsets[1] - offsets[0] != Count(expected) * sizeof(float))
            {
                throw EntryProblem(name.ToString(schema), shape, offsets, expected, dataLength);
            }
            begins[slot] = offsets[0];
            ends[slot] = offsets[1];
        });

        bool inPlace = true;
        long total = 0;
        for (int slot = 0; slot < begins.Length; slot++)
        {
            bool exists = slot >= 2 * layers.Length || slot % 2 == 1 || !layers[slot / 2].Tied;
            if (!exists)
            {
                continue;
            }

            if (begins[slot] < 0)
            {
                throw new ModelFormatException(Invariant($"Tensor '{SlotName(slot, architecture, extras)}' is missing from the header."));
            }

            long expectedBegin = ExpectedBegin(slot, architecture, extras) * sizeof(float);
            inPlace &= begins[slot] == expectedBegin;
            total += ends[slot] - begins[slot];
        }

        if (!inPlace || total != dataLength)
        {
            DiagnoseLayout(begins, ends, dataLength, architecture, extras);
        }
    }

    /// <summary>What is wrong with a tensor entry that is not as the architecture needs, in the order shape, offsets, size.</summary>
    private static ModelFormatException EntryProblem(string text, ReadOnlySpan<long> shape, ReadOnlySpan<long> offsets, ReadOnlySpan<long> expected, long dataLength)
    {
        if (!shape.SequenceEqual(expected))
        {
            return new ModelFormatException(Invariant($"Tensor '{text}' must have shape [{string.Join(", ", expected.ToArray())}]; got [{string.Join(", ", shape.ToArray())}]."));
        }

        if (offsets.Length != 2 || offsets[0] > offsets[1] || offsets[1] > dataLength)
        {
            return new ModelFormatException(Invariant(
                $"Tensor '{text}' must have data_offsets [begin, end] with begin ≤ end ≤ {dataLength} (the data section's size); got [{string.Join(", ", offsets.ToArray())}]."));
        }

        long bytes = Count(expected) * sizeof(float);
        return new ModelFormatException(Invariant(
            $"Tensor '{text}' of shape [{string.Join(", ", expected.ToArray())}] needs {bytes} bytes; its data_offsets [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]}."));
    }

    /// <summary>
    /// Says what is wrong with a layout that is not the writer's: an overlap, a gap, a data section
    /// of another length, or a tensor out of its place (sorting, so only for files already refused).
    /// </summary>
    private static void DiagnoseLayout(long[] begins, long[] ends, long dataLength, Architecture architecture, ExtraLayout[] extras)
    {
        var slots = Enumerable.Range(0, begins.Length).Where(s => begins[s] >= 0).OrderBy(s => begins[s]).ThenBy(s => ends[s]).ToArray();
        long position = 0;
        string previous = "the start of the data section";
        foreach (int slot in slots)
        {
            string name = SlotName(slot, architecture, extras);
            if (begins[slot] < position)
            {
                throw new ModelFormatException(Invariant($"Tensor '{name}' (bytes [{begins[slot]}, {ends[slot]})) overlaps {previous}, which ends at byte {position}."));
            }

            if (begins[slot] > position)
            {
                throw new ModelFormatException(Invariant($"The data section has a gap: bytes [{position}, {begins[slot]}) between {previous} and tensor '{name}' belong to no tensor."));
            }

            position = ends[slot];
            previous = Invariant($"tensor '{name}'");
        }

        if (position != dataLength)
        {
            throw new ModelFormatException(Invariant($"Data section holds {dataLength} bytes; the tensors cover {position}."));
        }

        foreach (int slot in slots)
        {
            long begin = ExpectedBegin(slot, architecture, extras) * sizeof(float);
            if (begins[slot] != begin)
            {
                long end = begin + (ends[slot] - begins[slot]);
                throw new ModelFormatException(Invariant(
                    $"Tensor '{SlotName(slot, architecture, extras)}' must occupy bytes [{begin}, {end}) of the data section; got [{begins[slot]}, {ends[slot]})."));
            }
        }
    }

    /// <summary>Where <paramref name="name"/>'s range is recorded, or −1 when the architecture has no such tensor.</summary>
    private static int Slot(TensorName name, Architecture architecture, int[] extraSlots)
    {
        if (name.IsExtra)
        {
            return extraSlots[name.Index] < 0 ? -1 : (2 * architecture.Layers.Length) + extraSlots[name.Index];
        }

        int encoderLayers = architecture.Spec.Encoder.Count;
        int count = name.Decoder ? architecture.Layers.Length - encoderLayers : encoderLayers;
        if (name.Index >= count)
        {
            return -1;
        }

        int layer = name.Decoder ? encoderLayers + name.Index : name.Index;
        return name.Weight && architecture.Layers[layer].Tied ? -1 : (2 * layer) + (name.Weight ? 0 : 1);
    }

    private static ReadOnlySpan<long> ExpectedShape(int slot, Architecture architecture, ExtraLayout[] extras, Span<long> buffer)
    {
        int networkSlots = 2 * architecture.Layers.Length;
        if (slot >= networkSlots)
        {
            return extras[slot - networkSlots].Shape;
        }

        var (inputs, outputs, _) = architecture.Layers[slot / 2];
        if (slot % 2 == 1)
        {
            buffer[0] = outputs;
            return buffer[..1];
        }

        buffer[0] = inputs;
        buffer[1] = outputs;
        return buffer;
    }

    /// <summary>The index of a slot's first value in the data section, as the writer lays it out.</summary>
    private static long ExpectedBegin(int slot, Architecture architecture, ExtraLayout[] extras)
    {
        int networkSlots = 2 * architecture.Layers.Length;
        if (slot >= networkSlots)
        {
            return extras[slot - networkSlots].Offset;
        }

        var (inputs, outputs, tied) = architecture.Layers[slot / 2];
        long start = architecture.LayerOffsets[slot / 2];
        return slot % 2 == 0 || tied ? start : start + ((long)inputs * outputs);
    }

    private static string SlotName(int slot, Architecture architecture, ExtraLayout[] extras)
    {
        int networkSlots = 2 * architecture.Layers.Length;
        if (slot >= networkSlots)
        {
            return extras[slot - networkSlots].Name;
        }

        int layer = slot / 2, encoderLayers = architecture.Spec.Encoder.Count;
        string prefix = layer < encoderLayers ? Invariant($"encoder.{layer}") : Invariant($"decoder.{layer - encoderLayers}");
        return prefix + (slot % 2 == 0 ? ".weight" : ".bias");
    }

    private static long Count(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (long d in shape)
        {
            count *= d;
        }

        return count;
    }

    /// <summary>The tensor holding value <paramref name="index"/> of the data section, and the index within it.</summary>
    private static (string Name, long Index) TensorAt(Network network, ExtraLayout[] extras, long parameters, long index)
    {
        if (index >= parameters)
        {
            ExtraLayout extra = extras.Last(e => e.Offset <= index);
            return (extra.Name, index - extra.Offset);
        }

        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            string prefix = TensorPrefix(network, l);
            if (!layer.TransposedWeights && index >= layer.WeightOffset && index < layer.WeightOffset + (long)layer.WeightCount)
            {
                return (prefix + ".weight", index - layer.WeightOffset);
            }

            if (index >= layer.BiasOffset && index < layer.BiasOffset + layer.Outputs)
            {
                return (prefix + ".bias", index - layer.BiasOffset);
            }
        }

        throw new InvalidOperationException("Every parameter belongs to a layer.");
    }

    private static void CheckMetadataHash(Dictionary<string, string> metadata, Dictionary<string, ReadOnlyMemory<byte>> longValues)
    {
        string metadataHash = MetadataHash(metadata, longValues);
        if (metadata[MetadataHashKey] != metadataHash)
        {
            throw new ModelFormatException(Invariant($"Metadata '{MetadataHashKey}' is {metadata[MetadataHashKey]} but the metadata hashes to {metadataHash}: the architecture or metadata is corrupt."));
        }
    }
}

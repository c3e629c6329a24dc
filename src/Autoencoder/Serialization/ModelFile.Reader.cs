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
    /// and a valid architecture whose parameters and state each fit one buffer, with no more layers
    /// than the header has tensors; every tensor has exactly <c>dtype</c> (F32), <c>shape</c> (the
    /// one the architecture or the schema gives) and <c>data_offsets</c> (in range, the right byte
    /// count); the tensors tile the data section with no gap or overlap, end exactly at its end and
    /// sit where the writer puts them; the checksums match (versions 2 and 3); the pipeline the
    /// file lists is the one its architecture compiles to (version 3); every value is finite, and
    /// every running variance at least 0. Nothing is allocated from a
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
        Dictionary<string, string> metadata = DecodeMetadata(header, schema, version, out Dictionary<string, ReadOnlyMemory<byte>> longValues);
        Architecture architecture = ReadArchitecture(metadata, longValues, version);
        ExtraLayout[] extraLayout = ExtraTensors(header, schema, version, architecture, metadata);
        long totalFloats = architecture.ParameterCount + architecture.StateCount + extraLayout.Sum(e => e.Count);
        CheckTensors(header, schema, architecture, extraLayout, dataLength ?? (totalFloats * sizeof(float)));
        if (version >= 2)
        {
            CheckMetadataHash(metadata, longValues);
        }

        using var data = new DataSection(stream, totalFloats * sizeof(float), lengthKnown: dataLength is not null);
        Network network = architecture.Build();
        if (network.Parameters.Length != architecture.ParameterCount || network.State.Length != architecture.StateCount)
        {
            throw new InvalidOperationException(Invariant(
                $"The file's layout has {architecture.ParameterCount} parameters and {architecture.StateCount} state values; the network built from it has {network.Parameters.Length} and {network.State.Length}."));
        }

        if (longValues.TryGetValue(PipelineKey, out ReadOnlyMemory<byte> pipeline))
        {
            CheckPipeline(pipeline.Span, network);
        }

        data.Read(network.Parameters);
        data.Read(network.State);
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
            var (name, index) = TensorAt(architecture, extraLayout, data.FirstNonFinite);
            throw new ModelFormatException(Invariant($"Tensor '{name}' holds a non-finite value ({data.NonFiniteValue}) at index {index}."));
        }

        CheckRunningVariances(architecture, network.State);
        for (int i = 0; i < extraLayout.Length; i++)
        {
            extras.Tensors[extraLayout[i].Name] = new ExtraTensor(extraLayout[i].Shape.Select(d => (int)d).ToArray(), values[i]);
        }

        foreach (string key in schema.MetadataKeys.Where(metadata.ContainsKey))
        {
            extras.Metadata[key] = metadata[key];
        }

        foreach (var (key, value) in longValues.Where(v => schema.LongMetadataKeys.Contains(v.Key)))
        {
            extras.Utf8Metadata[key] = value;
        }

        return new AutoencoderModel(network, architecture.Seed);
    }

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
        [.. CoreMetadataKeys, DataHashKey, MetadataHashKey, PipelineKey, InputShapeKey, .. VariantMetadataKeys, .. schema.MetadataKeys.Order(StringComparer.Ordinal)];

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

        if (version >= 3)
        {
            required.Add(PipelineKey);
        }

        foreach (string key in required)
        {
            Required(header, key);
        }

        foreach (string key in header.MetadataKeys.Order(StringComparer.Ordinal))
        {
            if (!required.Contains(key) && !(version >= 2 && (schema.MetadataKeys.Contains(key) || VariantMetadataKeys.Contains(key))) && !(version >= 4 && key == InputShapeKey))
            {
                throw new ModelFormatException(Invariant($"Metadata has an unexpected key '{key}' for format version {version}."));
            }
        }
    }

    private static string Required(ModelFileHeader header, string key) =>
        header.HasMetadata(key) ? key : throw new ModelFormatException(Invariant($"Metadata '{key}' is missing."));

    private static void CheckMetadataHash(Dictionary<string, string> metadata, Dictionary<string, ReadOnlyMemory<byte>> longValues)
    {
        string metadataHash = MetadataHash(metadata, longValues);
        if (metadata[MetadataHashKey] != metadataHash)
        {
            throw new ModelFormatException(Invariant($"Metadata '{MetadataHashKey}' is {metadata[MetadataHashKey]} but the metadata hashes to {metadataHash}: the architecture or metadata is corrupt."));
        }
    }
}

using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Autoencoder.Benchmarks.Peers;

/// <summary>A float32 tensor from a safetensors file: its shape and its row-major values.</summary>
internal sealed record NamedTensor(long[] Shape, float[] Values);

/// <summary>
/// Reads and writes the subset of the safetensors layout that our model files use: an 8-byte
/// little-endian header length, a JSON header (an optional <c>__metadata__</c> map of strings and
/// one entry per tensor with <c>dtype</c>, <c>shape</c> and <c>data_offsets</c>), then the raw
/// little-endian data. Only F32 tensors are supported.
/// </summary>
internal sealed class SafetensorsFile
{
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>Tensors by name, in the order of their data.</summary>
    public Dictionary<string, NamedTensor> Tensors { get; } = new(StringComparer.Ordinal);

    public static SafetensorsFile Read(byte[] bytes)
    {
        if (bytes.Length < 8)
        {
            throw new InvalidDataException($"A safetensors file needs at least 8 bytes; got {bytes.Length}.");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
        {
            throw new InvalidDataException($"Header length {headerLength} exceeds the {bytes.Length - 8} bytes after it.");
        }

        int dataStart = 8 + (int)headerLength;
        var file = new SafetensorsFile();
        using JsonDocument header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        foreach (JsonProperty entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                foreach (JsonProperty item in entry.Value.EnumerateObject())
                {
                    file.Metadata[item.Name] = item.Value.GetString() ?? "";
                }

                continue;
            }

            string dtype = entry.Value.GetProperty("dtype").GetString() ?? "";
            if (dtype != "F32")
            {
                throw new InvalidDataException($"Tensor '{entry.Name}' has dtype {dtype}; only F32 is supported.");
            }

            long[] shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            long[] offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            long count = shape.Aggregate(1L, (a, b) => a * b);
            if (offsets.Length != 2 || offsets[1] - offsets[0] != count * sizeof(float) || dataStart + offsets[1] > bytes.Length)
            {
                throw new InvalidDataException($"Tensor '{entry.Name}' has data offsets [{string.Join(", ", offsets)}] that do not fit its shape or the file.");
            }

            var values = new float[count];
            ReadOnlySpan<byte> data = bytes.AsSpan(dataStart + (int)offsets[0], (int)(count * sizeof(float)));
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(data.Slice(i * sizeof(float)));
            }

            file.Tensors[entry.Name] = new NamedTensor(shape, values);
        }

        return file;
    }

    /// <remarks>
    /// When the metadata carries the library's checksums (<c>data_sha256</c>, <c>metadata_sha256</c>),
    /// they are recomputed for the tensors written, as the library's format documents them: the
    /// SHA-256 of the data section, and of every other metadata entry in ordinal key order written as
    /// <c>{key length}:{key}={value length}:{value}\n</c>.
    /// </remarks>
    public byte[] ToBytes()
    {
        if (Metadata.ContainsKey("data_sha256"))
        {
            var data = new byte[Tensors.Values.Sum(t => (long)t.Values.Length * sizeof(float))];
            int at = 0;
            foreach (NamedTensor tensor in Tensors.Values)
            {
                foreach (float value in tensor.Values)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(at), value);
                    at += sizeof(float);
                }
            }

            Metadata["data_sha256"] = Convert.ToHexStringLower(SHA256.HashData(data));
        }

        if (Metadata.ContainsKey("metadata_sha256"))
        {
            var text = new StringBuilder();
            foreach (var (key, value) in Metadata.Where(m => m.Key != "metadata_sha256").OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"{key.Length}:{key}={value.Length}:{value}\n");
            }

            Metadata["metadata_sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        }

        var header = new JsonObject();
        if (Metadata.Count > 0)
        {
            var metadata = new JsonObject();
            foreach (var (key, value) in Metadata)
            {
                metadata[key] = value;
            }

            header["__metadata__"] = metadata;
        }

        long offset = 0;
        foreach (var (name, tensor) in Tensors)
        {
            long end = offset + (long)tensor.Values.Length * sizeof(float);
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(tensor.Shape.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
                ["data_offsets"] = new JsonArray(JsonValue.Create(offset), JsonValue.Create(end)),
            };
            offset = end;
        }

        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padding = (8 - (json.Length % 8)) % 8;
        var bytes = new byte[8 + json.Length + padding + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)(json.Length + padding));
        json.CopyTo(bytes, 8);
        bytes.AsSpan(8 + json.Length, padding).Fill((byte)' ');
        int position = 8 + json.Length + padding;
        foreach (NamedTensor tensor in Tensors.Values)
        {
            foreach (float value in tensor.Values)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(position), value);
                position += sizeof(float);
            }
        }

        return bytes;
    }
}

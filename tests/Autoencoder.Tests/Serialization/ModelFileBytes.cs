using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Autoencoder.Tests.Serialization;

/// <summary>
/// A model file taken apart for editing: the JSON header as a mutable tree and the data section
/// as bytes. <see cref="ToBytes"/> puts it back together, by default with both checksums
/// recomputed from the documented definitions (written here independently of the library), so
/// that an edit reaches the checks behind the checksums.
/// </summary>
internal sealed class ModelFileBytes
{
    private ModelFileBytes(JsonObject header, byte[] data)
    {
        Header = header;
        Data = data;
    }

    public JsonObject Header { get; }

    public byte[] Data { get; set; }

    public JsonObject Metadata => Header["__metadata__"]!.AsObject();

    public static ModelFileBytes Parse(byte[] file)
    {
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(file, 8, headerLength))!.AsObject();
        return new ModelFileBytes(header, file[(8 + headerLength)..]);
    }

    public byte[] ToBytes(bool rehash = true)
    {
        if (rehash && Metadata.ContainsKey("data_sha256"))
        {
            Metadata["data_sha256"] = Convert.ToHexStringLower(SHA256.HashData(Data));
            Metadata["metadata_sha256"] = MetadataHash(Metadata);
        }

        return Assemble(Header.ToJsonString(), Data);
    }

    /// <summary>SHA-256 over every metadata entry but metadata_sha256, by ordinal key: "{len}:{key}={len}:{value}\n".</summary>
    public static string MetadataHash(JsonObject metadata)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in metadata.Where(p => p.Key != "metadata_sha256").OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            string v = value!.GetValue<string>();
            text.Append($"{key.Length}:{key}={v.Length}:{v}\n");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static byte[] Assemble(string json, byte[] data)
    {
        byte[] header = Encoding.UTF8.GetBytes(json);
        var result = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)header.Length);
        header.CopyTo(result, 8);
        data.CopyTo(result, 8 + header.Length);
        return result;
    }
}

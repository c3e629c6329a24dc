using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Autoencoder.Benchmarks.Serialization;

/// <summary>
/// Model files whose header fills the reader's cap (<c>ModelFile.MaxHeaderBytes</c>, 100 MiB) with
/// what makes a naive reader work hardest: each is either refused or, for <c>deep-valid</c>, a
/// real model with as many layers as such a header can describe.
/// </summary>
public static class HostileHeaders
{
    /// <summary>The cases, by name.</summary>
    public static readonly string[] Cases =
    [
        "unknown-entry-array",  // an unknown tensor holding 50 M array tokens
        "long-shape",           // a known tensor whose shape holds 50 M tokens
        "metadata-keys",        // 4 M metadata keys
        "encoder-layers",       // a 12 M-layer encoder description
        "many-tensors",         // 1.5 M tensor entries for a 2-layer network
        "deep-valid",           // a valid network of as many width-1 layers as the cap allows
    ];

    private const long Cap = 100L * 1024 * 1024;

    /// <summary>The whole file for <paramref name="name"/>.</summary>
    public static byte[] Build(string name)
    {
        if (name == "deep-valid")
        {
            return DeepValid();
        }

        var (metadata, tensors, data) = Small();
        var text = new StringBuilder((int)Cap);
        switch (name)
        {
            case "unknown-entry-array":
                text.Append("{\"__metadata__\":").Append(metadata).Append(',').Append(tensors).Append(",\"junk\":[0");
                Fill(text, ",0", 1);
                text.Append("]}");
                break;
            case "long-shape":
                text.Append("{\"__metadata__\":").Append(metadata).Append(",\"encoder.0.weight\":{\"dtype\":\"F32\",\"data_offsets\":[0,0],\"shape\":[0");
                Fill(text, ",0", 2);
                text.Append("]}}");
                break;
            case "metadata-keys":
                text.Append("{\"__metadata__\":{");
                for (int i = 0; text.Length < Cap - tensors.Length - 64; i++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"\"k{i}\":\"\",");
                }

                text.Append("\"end\":\"\"},").Append(tensors).Append('}');
                break;
            case "encoder-layers":
                var node = JsonNode.Parse(metadata)!.AsObject();
                string padding = string.Concat(Enumerable.Repeat("1:relu,", (int)((Cap - metadata.Length - tensors.Length - 64) / 7)));
                node["encoder"] = padding + node["encoder"]!.GetValue<string>();
                text.Append("{\"__metadata__\":").Append(node.ToJsonString()).Append(',').Append(tensors).Append('}');
                break;
            case "many-tensors":
                text.Append("{\"__metadata__\":").Append(metadata).Append(',').Append(tensors);
                for (int i = 2; text.Length < Cap - 128; i++)
                {
                    text.Append(CultureInfo.InvariantCulture, $",\"encoder.{i}.bias\":{{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}");
                }

                text.Append('}');
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "unknown case");
        }

        return Assemble(Encoding.UTF8.GetBytes(text.ToString()), data);
    }

    /// <summary>The metadata object, the tensor entries (without braces) and the data of a small valid model.</summary>
    private static (string Metadata, string Tensors, byte[] Data) Small()
    {
        using var stream = new MemoryStream();
        new AutoencoderBuilder(3).WithLatent(2).WithSeed(1).Build().Save(stream);
        byte[] file = stream.ToArray();
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(file, 8, length))!.AsObject();
        string metadata = header["__metadata__"]!.ToJsonString();
        string tensors = string.Join(",", header.Where(p => p.Key != "__metadata__").Select(p => $"\"{p.Key}\":{p.Value!.ToJsonString()}"));
        return (metadata, tensors, file[(8 + length)..]);
    }

    private static void Fill(StringBuilder text, string item, int closing)
    {
        int count = (int)((Cap - text.Length - closing - 2) / item.Length);
        text.Insert(text.Length, item, count);
    }

    /// <summary>A model of width-1 layers whose header is just under the cap (the writer's own output).</summary>
    private static byte[] DeepValid()
    {
        byte[] Save(int hidden)
        {
            var builder = new AutoencoderBuilder(1).WithSeed(1);
            for (int i = 0; i < hidden; i++)
            {
                builder.AddEncoderLayer(1, Activation.Tanh);
            }

            using var stream = new MemoryStream();
            builder.WithLatent(1).Build().Save(stream);
            return stream.ToArray();
        }

        int probe = 10_000;
        long probeHeader = (long)BinaryPrimitives.ReadUInt64LittleEndian(Save(probe));
        int hidden = (int)(probe * (Cap * 0.97 / probeHeader));
        byte[] file = Save(hidden);
        while ((long)BinaryPrimitives.ReadUInt64LittleEndian(file) > Cap)
        {
            hidden = (int)(hidden * 0.99);
            file = Save(hidden);
        }

        return file;
    }

    private static byte[] Assemble(byte[] header, byte[] data)
    {
        var result = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)header.Length);
        header.CopyTo(result, 8);
        data.CopyTo(result, 8 + header.Length);
        return result;
    }
}

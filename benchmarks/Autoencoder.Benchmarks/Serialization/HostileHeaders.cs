using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Autoencoder.Model;
using Autoencoder.Serialization;

namespace Autoencoder.Benchmarks.Serialization;

/// <summary>
/// Model files whose header fills the reader's cap (<c>ModelFile.MaxHeaderBytes</c>, 100 MiB) with
/// what makes a naive reader work hardest: each is either refused or, for the <c>max-valid</c>
/// cases, a real model as large as the format allows (10,000 layers, the most metadata); the
/// <c>checkpoint-</c> cases are training checkpoints (see <see cref="HostileCheckpoints"/>).
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
        "deep",                 // the writer's own file for as many width-1 layers as the cap allows, far past the layer limit
        "max-valid",            // the writer's own file for 10,000 layers with options on every layer but the output
        "max-valid-padded",     // the same with white space before the header's closing brace, up to the cap
        "detector-long-score",  // a detector file, correctly hashed, whose anomaly_score fills the cap
        .. HostileCheckpoints.Cases, // checkpoints whose history fills the cap: valid, or refused at its last entry or by its count
    ];

    private const long Cap = 100L * 1024 * 1024;

    /// <summary>The whole file for <paramref name="name"/>.</summary>
    public static byte[] Build(string name)
    {
        if (name.StartsWith("checkpoint-", StringComparison.Ordinal))
        {
            return HostileCheckpoints.Build(name, Cap);
        }

        switch (name)
        {
            case "deep":
                return Deep();
            case "max-valid":
                return MaxValid(padded: false);
            case "max-valid-padded":
                return MaxValid(padded: true);
            case "detector-long-score":
                return LongExtraMetadata("anomaly_score");
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

    /// <summary>
    /// A network of width-1 tanh layers whose header is just under the cap, as the writer saves it
    /// (built without the builder, which refuses more than 10,000 layers).
    /// </summary>
    private static byte[] Deep()
    {
        byte[] Save(int hidden)
        {
            var encoder = Enumerable.Repeat(new LayerSpec(1, Activation.Tanh), hidden).Append(new LayerSpec(1, Activation.Identity)).ToArray();
            var decoder = Enumerable.Repeat(new LayerSpec(1, Activation.Tanh), hidden).Append(new LayerSpec(1, Activation.Identity)).ToArray();
            using var stream = new MemoryStream();
            new AutoencoderModel(new Network(new NetworkSpec(1, encoder, decoder)), 1).Save(stream);
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

    /// <summary>
    /// The largest valid model: 10,000 width-1 leaky-ReLU layers (the longest activation name), an
    /// explicit decoder, and on every layer but the output options whose numbers have the longest
    /// round-trip text. Padded, the header is filled with spaces up to the cap before its closing brace.
    /// </summary>
    private static byte[] MaxValid(bool padded)
    {
        var options = new LayerOptions { Dropout = 0.12345678901234568, ActivityL1 = 1.2345678901234567E-300, ActivityL2 = 9.8765432109876543E-200 };
        var builder = new AutoencoderBuilder(1).WithLatent(1, Activation.LeakyRelu, options).WithSeed(1);
        for (int i = 0; i < (NetworkSpec.MaxLayers / 2) - 1; i++)
        {
            builder.AddEncoderLayer(1, Activation.LeakyRelu, options).AddDecoderLayer(1, Activation.LeakyRelu, options);
        }

        using var stream = new MemoryStream();
        builder.Build().Save(stream);
        byte[] file = stream.ToArray();
        if (!padded)
        {
            return file;
        }

        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        byte[] header = file.AsSpan(8, length).TrimEnd((byte)' ').ToArray();
        var filled = new byte[Cap];
        filled.AsSpan().Fill((byte)' ');
        header.AsSpan(0, header.Length - 1).CopyTo(filled);
        filled[^1] = (byte)'}';
        return Assemble(filled, file[(8 + length)..]);
    }

    /// <summary>A small model written with extra metadata <paramref name="key"/> as long as the cap allows (the writer hashes it).</summary>
    private static byte[] LongExtraMetadata(string key)
    {
        var extras = new ModelFileExtras();
        extras.Metadata[key] = new string('x', (int)Cap - 4096);
        using var stream = new MemoryStream();
        ModelFile.Write(new AutoencoderBuilder(3).WithLatent(2).WithSeed(1).Build(), stream, extras);
        return stream.ToArray();
    }

    /// <summary>Loads <paramref name="file"/> with the loader its case is for; returns what it loaded.</summary>
    public static string Load(string name, byte[] file) =>
        name.StartsWith("detector-", StringComparison.Ordinal) ? string.Create(CultureInfo.InvariantCulture, $"detector of {AnomalyDetector.Load(new MemoryStream(file, writable: false)).Model.Layers.Count} layers")
        : name.StartsWith("checkpoint-", StringComparison.Ordinal) ? HostileCheckpoints.Load(file)
        : string.Create(CultureInfo.InvariantCulture, $"{AutoencoderModel.Load(new MemoryStream(file, writable: false)).Layers.Count} layers");

    private static byte[] Assemble(byte[] header, byte[] data)
    {
        var result = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)header.Length);
        header.CopyTo(result, 8);
        data.CopyTo(result, 8 + header.Length);
        return result;
    }
}

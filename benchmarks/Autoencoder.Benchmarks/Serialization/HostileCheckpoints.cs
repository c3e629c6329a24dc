using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Benchmarks.Serialization;

/// <summary>
/// Training checkpoints whose <c>history</c>, the one metadata value a checkpoint may make as long
/// as its header, fills the header up to the cap: with the shortest entries (<c>{epoch}:0:-:0:0</c>),
/// so the most of them, or with numbers that are costlier to check. Each is a real checkpoint of a
/// run that far along, every position consistent and both checksums right, so only the history's
/// own checks can refuse it.
/// </summary>
public static class HostileCheckpoints
{
    /// <summary>The cases, by name.</summary>
    public static readonly string[] Cases =
    [
        "checkpoint-long-history",     // positions consistent, but more epochs than a checkpointed run may have: refused by the epoch limit
        "checkpoint-history-bad-last", // the same with the last entry's learning rate not in canonical form ("00")
        "checkpoint-history-overlong", // the same history in a checkpoint written after the first epoch
        "checkpoint-history-17-digits", // valid, the most epochs a run may have, entries as a run writes them: 17-digit losses, a duration, a short rate
        "checkpoint-history-subnormal", // valid, the most epochs a run may have, every number a distinct subnormal: checked by round trip
    ];

    private const string Placeholder = "@history@";

    /// <summary>The whole file for <paramref name="name"/>, its header <paramref name="cap"/> bytes long.</summary>
    public static byte[] Build(string name, long cap)
    {
        var (header, data, rows) = Checkpoint();
        var metadata = header["__metadata__"]!.AsObject();
        metadata["history"] = Placeholder;
        metadata["metadata_sha256"] = new string('0', 64);
        long rest = Encoding.UTF8.GetByteCount(header.ToJsonString()) - Placeholder.Length + 16; // room for a longer epoch and samples_seen

        var history = new StringBuilder();
        var random = new Random(1);
        int entries = 0;
        while (true)
        {
            int e = entries + 1;
            string entry = name switch
            {
                "checkpoint-history-17-digits" => string.Create(CultureInfo.InvariantCulture, $"{e}:{Digits17(random)}:{Digits17(random)}:{random.Next(1_000_000, 100_000_000)}:0.001"),
                "checkpoint-history-subnormal" => string.Create(CultureInfo.InvariantCulture, $"{e}:{Subnormal(3L * e)}:{Subnormal((3L * e) + 1)}:0:{Subnormal((3L * e) + 2)}"),
                _ => string.Create(CultureInfo.InvariantCulture, $"{e}:0:-:0:0"),
            };
            bool valid = name is "checkpoint-history-17-digits" or "checkpoint-history-subnormal";
            if (rest + history.Length + 1 + entry.Length > cap || (valid && entries == Autoencoder.Serialization.CheckpointFile.MaxEpochs))
            {
                break;
            }

            history.Append(entries == 0 ? "" : ";").Append(entry);
            entries++;
        }

        if (name == "checkpoint-history-bad-last")
        {
            history.Append('0'); // the last learning rate becomes "00"
        }
        else if (!Cases.Contains(name))
        {
            throw new ArgumentOutOfRangeException(nameof(name), name, "unknown case");
        }

        int completed = name == "checkpoint-history-overlong" ? 1 : entries;
        metadata["epoch"] = (completed + 1).ToString(CultureInfo.InvariantCulture);
        metadata["samples_seen"] = ((long)completed * rows).ToString(CultureInfo.InvariantCulture);
        string text = history.ToString();
        metadata["metadata_sha256"] = MetadataHash(metadata, text);
        string json = header.ToJsonString().Replace(Placeholder, text, StringComparison.Ordinal);
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        if (bytes.Length > cap)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"the header is {bytes.Length} bytes, past the cap of {cap}"));
        }

        var filled = new byte[cap]; // spaces before the closing brace up to the cap
        filled.AsSpan().Fill((byte)' ');
        bytes.AsSpan(0, bytes.Length - 1).CopyTo(filled);
        filled[^1] = (byte)'}';
        var file = new byte[8 + filled.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)filled.Length);
        filled.CopyTo(file, 8);
        data.CopyTo(file, 8 + filled.Length);
        return file;
    }

    /// <summary>The round-trip text of a double in [0.1, 1) that needs all 17 digits.</summary>
    private static string Digits17(Random random)
    {
        while (true)
        {
            string text = (0.1 + (0.9 * random.NextDouble())).ToString("R", CultureInfo.InvariantCulture);
            if (text.Length == 19)
            {
                return text;
            }
        }
    }

    /// <summary>The round-trip text of <paramref name="n"/> times the smallest double.</summary>
    private static string Subnormal(long n) => BitConverter.Int64BitsToDouble(n).ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Loads <paramref name="file"/> as a checkpoint; returns what it loaded.</summary>
    public static string Load(byte[] file)
    {
        TrainingCheckpoint checkpoint = TrainingCheckpoint.Read(new MemoryStream(file, writable: false));
        return string.Create(CultureInfo.InvariantCulture, $"checkpoint at epoch {checkpoint.Epoch}, {checkpoint.History.Count} epochs of history");
    }

    /// <summary>The header and data of a checkpoint written after one epoch of a small run, and its training rows.</summary>
    private static (JsonObject Header, byte[] Data, int Rows) Checkpoint()
    {
        const int rows = 8;
        string folder = Directory.CreateTempSubdirectory("autoencoder-hostile-checkpoint-").FullName;
        try
        {
            string path = Path.Combine(folder, "run.ckpt");
            var x = Matrix<float>.Build.Dense(rows, 3, (i, j) => (float)Math.Sin(i + (3 * j)));
            new AutoencoderBuilder(3).WithLatent(2).WithSeed(1).Build().Fit(x, new TrainingOptions { Epochs = 1, Seed = 1, CheckpointPath = path });
            byte[] file = File.ReadAllBytes(path);
            int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
            var header = JsonNode.Parse(Encoding.UTF8.GetString(file, 8, length))!.AsObject();
            return (header, file[(8 + length)..], rows);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The documented metadata hash, with <paramref name="history"/> in place of the placeholder.</summary>
    private static string MetadataHash(JsonObject metadata, string history)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (key, node) in metadata.Where(p => p.Key != "metadata_sha256").OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            string value = key == "history" ? history : node!.GetValue<string>();
            hash.AppendData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{key.Length}:{key}={value.Length}:")));
            hash.AppendData(Encoding.UTF8.GetBytes(value));
            hash.AppendData("\n"u8);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

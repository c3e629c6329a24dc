using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Autoencoder.Serialization;

namespace Autoencoder.Tests.Serialization;

/// <summary>
/// The reader's budget with the header cap made small: headers that fill it with what costs a
/// reader most, refused or (the largest valid model, padded to the cap) loaded, allocate little
/// beyond the header's own buffer, and nothing but that buffer grows with the header; so do
/// checkpoints whose history fills the header, loaded or refused. Allocation
/// is counted on the reading thread, so the figures are exact; the time is the benchmark's to measure.
/// </summary>
public sealed class HeaderBudgetTests
{
    private const int SmallCap = 3 << 20, LargeCap = 6 << 20;

    private static readonly Lazy<byte[]> LargestValidModel = new(() => LargestModel(batchNormalization: false));

    /// <summary>The same with batch normalization on every layer but the output: six tensors a layer, the most a header can hold.</summary>
    private static readonly Lazy<byte[]> LargestValidNormalizedModel = new(() => LargestModel(batchNormalization: true));

    private static byte[] LargestModel(bool batchNormalization)
    {
        var options = new LayerOptions
        {
            Dropout = 0.12345678901234568, ActivityL1 = 1.2345678901234567E-300, ActivityL2 = 9.8765432109876543E-200, BatchNormalization = batchNormalization,
        };
        var builder = new AutoencoderBuilder(1).WithLatent(1, Activation.LeakyRelu, options).WithSeed(1);
        for (int i = 0; i < 4_999; i++)
        {
            builder.AddEncoderLayer(1, Activation.LeakyRelu, options).AddDecoderLayer(1, Activation.LeakyRelu, options);
        }

        using var stream = new MemoryStream();
        builder.Build().Save(stream);
        return stream.ToArray();
    }

    /// <summary>A checkpoint written after the first epoch of a small run, and its training rows.</summary>
    private static readonly Lazy<(byte[] File, int Rows)> SmallCheckpoint = new(() =>
    {
        string folder = Directory.CreateTempSubdirectory("autoencoder-budget-").FullName;
        try
        {
            string path = Path.Combine(folder, "run.ckpt");
            new AutoencoderBuilder(3).WithLatent(2).WithSeed(1).Build().Fit(TestData.Matrix(8, 3, seed: 1), new TrainingOptions { Epochs = 1, Seed = 1, CheckpointPath = path });
            return (File.ReadAllBytes(path), 8);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    });

    public static TheoryData<string> Cases() => ["many-tensors", "encoder-layers", "max-valid-padded", "many-batch-norm-tensors", "max-valid-batch-norm-padded"];

    /// <summary>
    /// The two header caps a case is read at: both hold the largest batch-normalized model (about
    /// 7 MB of header), or more rank-8 entries than the header's tensor cap (60,000 of 100 bytes), for those cases.
    /// </summary>
    private static (int Small, int Large) CapsOf(string name) => name switch
    {
        "max-valid-batch-norm-padded" => (8 << 20, 11 << 20),
        "many-batch-norm-tensors" => (7 << 20, 10 << 20),
        _ => (SmallCap, LargeCap),
    };

    public static TheoryData<string> CheckpointCases() =>
        ["checkpoint-long-history", "checkpoint-history-bad-last", "checkpoint-history-overlong", "checkpoint-history-17-digits"];

    /// <summary>A file whose header is <paramref name="cap"/> bytes long, of the kind <paramref name="name"/>.</summary>
    private static byte[] Build(string name, int cap)
    {
        if (name is "max-valid-padded" or "max-valid-batch-norm-padded")
        {
            var valid = ModelFileBytes.Parse(name == "max-valid-padded" ? LargestValidModel.Value : LargestValidNormalizedModel.Value);
            return Padded(valid.Header.ToJsonString(), valid.Data, cap);
        }

        using var stream = new MemoryStream();
        new AutoencoderBuilder(3).WithLatent(2).WithSeed(1).Build().Save(stream);
        var file = ModelFileBytes.Parse(stream.ToArray());
        if (name == "encoder-layers")
        {
            string layers = file.Metadata["encoder"]!.GetValue<string>();
            file.Metadata["encoder"] = new StringBuilder().Insert(0, "1:relu,", (cap - 2048) / 7).Append(layers).ToString();
            return Padded(file.Header.ToJsonString(), file.Data, cap);
        }

        // Distinct, well-formed entries until the header is full: more than a model can have.
        var text = new StringBuilder(file.Header.ToJsonString()[..^1]);
        if (name == "many-batch-norm-tensors")
        {
            // Every kind of a layer's tensors, with the longest shapes the table records, past the header's cap on entries.
            string[] kinds = ["weight", "bias", "batch_norm.weight", "batch_norm.bias", "batch_norm.running_mean", "batch_norm.running_var"];
            for (int i = 12; text.Length < cap - 256; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $",\"{(i % 2 == 0 ? "encoder" : "decoder")}.{i / 12}.{kinds[i / 2 % 6]}\":{{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1,1,1,1],\"data_offsets\":[0,4]}}");
            }

            return Padded(text.Append('}').ToString(), file.Data, cap);
        }

        for (int i = 2; text.Length < cap - 128; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $",\"{(i % 2 == 0 ? "encoder" : "decoder")}.{i / 2}.bias\":{{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}");
        }

        return Padded(text.Append('}').ToString(), file.Data, cap);
    }

    /// <summary>
    /// A checkpoint, re-signed, whose history of the shortest entries (<c>{epoch}:0:-:0:0</c>) fills a
    /// header of <paramref name="cap"/> bytes: valid, or with its last entry's rate not canonical, or
    /// in a checkpoint at the second epoch.
    /// </summary>
    private static byte[] BuildCheckpoint(string name, int cap)
    {
        var file = ModelFileBytes.Parse(SmallCheckpoint.Value.File);
        file.Metadata["history"] = "";
        int rest = file.Header.ToJsonString().Length + 32; // room for a longer epoch and samples_seen
        var history = new StringBuilder();
        int entries = 0;
        while (true)
        {
            // The shortest entries, or (the most a valid checkpoint can hold) 17-digit numbers in every field.
            double loss = 1.0 / (entries + 3), validation = 2.0 / (entries + 7);
            string entry = name == "checkpoint-history-17-digits"
                ? string.Create(CultureInfo.InvariantCulture, $"{entries + 1}:{loss:R}:{validation:R}:{1_234_567 + entries}:{loss / 7:R}")
                : string.Create(CultureInfo.InvariantCulture, $"{entries + 1}:0:-:0:0");
            if (rest + history.Length + 1 + entry.Length > cap || (name == "checkpoint-history-17-digits" && entries == CheckpointFile.MaxEpochs))
            {
                break;
            }

            history.Append(entries == 0 ? "" : ";").Append(entry);
            entries++;
        }

        if (name == "checkpoint-history-bad-last")
        {
            history.Append('0');
        }

        int completed = name == "checkpoint-history-overlong" ? 1 : entries;
        file.Metadata["history"] = history.ToString();
        file.Metadata["epoch"] = (completed + 1).ToString(CultureInfo.InvariantCulture);
        file.Metadata["samples_seen"] = ((long)completed * SmallCheckpoint.Value.Rows).ToString(CultureInfo.InvariantCulture);
        file.ToBytes(); // recomputes the checksums
        return Padded(file.Header.ToJsonString(), file.Data, cap);
    }

    /// <summary>The header with spaces before its closing brace, up to exactly <paramref name="cap"/> bytes.</summary>
    private static byte[] Padded(string json, byte[] data, int cap)
    {
        Assert.True(json.Length <= cap, $"a header of {json.Length} bytes fits the cap of {cap}");
        return ModelFileBytes.Assemble(json[..^1] + new string(' ', cap - json.Length) + "}", data);
    }

    /// <summary>Bytes allocated on this thread while reading <paramref name="file"/> with the header capped at <paramref name="cap"/>.</summary>
    private static long Allocated(byte[] file, int cap, out string outcome)
    {
        var stream = new MemoryStream(file, writable: false);
        var limits = new ModelFileLimits(cap);
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            outcome = string.Create(CultureInfo.InvariantCulture, $"loaded {ModelFile.Read(stream, ModelFileSchema.Core, out _, limits).Layers.Count} layers");
        }
        catch (ModelFormatException e)
        {
            outcome = e.Message;
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>Bytes allocated on this thread while loading checkpoint <paramref name="file"/> with the header capped at <paramref name="cap"/>.</summary>
    private static long AllocatedLoadingCheckpoint(byte[] file, int cap, out string outcome)
    {
        var stream = new MemoryStream(file, writable: false);
        var limits = new ModelFileLimits(cap);
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            outcome = string.Create(CultureInfo.InvariantCulture, $"loaded {TrainingCheckpoint.Read(stream, limits).History.Count} epochs");
        }
        catch (ModelFormatException e)
        {
            outcome = e.Message;
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Theory]
    [MemberData(nameof(CheckpointCases))]
    public void CheckpointRead_HistoryFillingTheCap_AllocatesLittleBeyondItsBuffer_AndOnlyTheBufferGrowsWithIt(string name)
    {
        long small = AllocatedLoadingCheckpoint(BuildCheckpoint(name, SmallCap), SmallCap, out string smallOutcome);
        long large = AllocatedLoadingCheckpoint(BuildCheckpoint(name, LargeCap), LargeCap, out string largeOutcome);

        Assert.Equal(Regex.Replace(smallOutcome, "[0-9]+", "N"), Regex.Replace(largeOutcome, "[0-9]+", "N"));
        // Past the epoch limit a history of the shortest entries is refused before it is read; 17-digit entries stay within it.
        Assert.Equal(name == "checkpoint-history-17-digits", largeOutcome.StartsWith("loaded ", StringComparison.Ordinal));
        Assert.True(large - LargeCap <= 1 << 20, $"{name}: {large} bytes allocated for a header of {LargeCap} ({largeOutcome})");
        Assert.True(large - small <= LargeCap - SmallCap + (64 << 10), $"{name}: {small} bytes at a {SmallCap}-byte header, {large} at {LargeCap}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Read_HeaderFillingTheCap_AllocatesLittleBeyondItsBuffer_AndOnlyTheBufferGrowsWithIt(string name)
    {
        var (smallCap, largeCap) = CapsOf(name);
        long small = Allocated(Build(name, smallCap), smallCap, out string smallOutcome);
        long large = Allocated(Build(name, largeCap), largeCap, out string largeOutcome);

        Assert.Equal(Regex.Replace(smallOutcome, "[0-9]+", "N"), Regex.Replace(largeOutcome, "[0-9]+", "N")); // the same refusal (or load) at both sizes
        Assert.Equal(name.StartsWith("max-valid", StringComparison.Ordinal), largeOutcome == "loaded 10000 layers");
        Assert.True(name != "many-batch-norm-tensors" || largeOutcome.Contains("more than 60000 tensor entries", StringComparison.Ordinal), largeOutcome);
        Assert.True(large - largeCap <= 16 << 20, $"{name}: {large} bytes allocated for a header of {largeCap} ({largeOutcome})");
        Assert.True(large - small <= largeCap - smallCap + (64 << 10), $"{name}: {small} bytes at a {smallCap}-byte header, {large} at {largeCap}");
    }
}

using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Autoencoder.Tests.Serialization;

/// <summary>
/// Headers written to hurt the reader: malformed text where the parser itself would complain, and
/// structures that stop being worth reading at their first wrong token. Every one is a
/// <see cref="ModelFormatException"/>; the early refusals are proven by garbage placed after the
/// offending token, which a reader that went on would report as invalid JSON instead.
/// </summary>
public sealed class HostileHeaderTests : IDisposable
{
    private const string Marker = "MARKER";

    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-hostile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static byte[] ModelBytes()
    {
        using var stream = new MemoryStream();
        new AutoencoderBuilder(3).WithLatent(2, Activation.Tanh).WithSeed(1).Build().Save(stream);
        return stream.ToArray();
    }

    /// <summary>The header text with <see cref="Marker"/> replaced by raw bytes, behind a length prefix that fits.</summary>
    private static byte[] WithRawBytes(string json, byte[] replacement, byte[] data)
    {
        byte[] text = Encoding.UTF8.GetBytes(json);
        int at = text.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Marker));
        Assert.True(at >= 0, "the marker is in the header");
        byte[] header = [.. text[..at], .. replacement, .. text[(at + Marker.Length)..]];
        var result = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)header.Length);
        header.CopyTo(result, 8);
        data.CopyTo(result, 8 + header.Length);
        return result;
    }

    public static TheoryData<string, string> InvalidTextPlaces() => new()
    {
        { "shape", "\xFF" },
        { "data_offsets", "\xFF" },
        { "shape", "\\uD800" },
        { "dtype", "\xFF" },
        { "metadata-value", "\xFF" },
        { "metadata-value", "\\uDC00" },
        { "metadata-key", "\xFF" },
        { "metadata-key", "\\uD800" },
        { "tensor-name", "\xFF" },
        { "tensor-name", "\\uD800x" },
        { "tensor-key", "\xFF" },
    };

    /// <summary>The text to place: \xFF stands for the single byte 0xFF; anything else is taken as written (JSON escapes).</summary>
    private static byte[] Raw(string text) => text == "\xFF" ? [0xFF] : Encoding.ASCII.GetBytes(text);

    private static byte[] Hostile(byte[] original, string place, string text)
    {
        var file = ModelFileBytes.Parse(original);
        switch (place)
        {
            case "shape":
            case "data_offsets":
                file.Header["encoder.0.weight"]![place] = new JsonArray(Marker);
                break;
            case "dtype":
                file.Header["encoder.0.weight"]!["dtype"] = Marker;
                break;
            case "metadata-value":
                file.Metadata["seed"] = Marker;
                break;
            case "metadata-key":
                file.Metadata[Marker] = "1";
                break;
            case "tensor-name":
                file.Header[Marker] = file.Header["encoder.0.weight"]!.DeepClone();
                break;
            default:
                file.Header["encoder.0.weight"]![Marker] = 1;
                break;
        }

        return WithRawBytes(file.Header.ToJsonString(), Raw(text), file.Data);
    }

    [Theory]
    [MemberData(nameof(InvalidTextPlaces))]
    public void Load_InvalidUtf8OrLoneSurrogateAnywhereInTheHeader_ThrowsModelFormatException(string place, string text)
    {
        byte[] bytes = Hostile(ModelBytes(), place, text);
        var error = Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new MemoryStream(bytes)));
        Assert.DoesNotContain("transcode", error.Message);
    }

    [Fact]
    public void DetectorLoad_InvalidUtf8InAShape_ThrowsModelFormatException()
    {
        var detector = new AnomalyDetector(new AutoencoderBuilder(3).WithLatent(2).WithSeed(1).Build(), AnomalyScore.MeanSquaredError);
        using var stream = new MemoryStream();
        detector.Save(stream);
        byte[] bytes = Hostile(stream.ToArray(), "shape", "\xFF");
        Assert.Throws<ModelFormatException>(() => AnomalyDetector.Load(new MemoryStream(bytes)));
        string path = Path.Combine(_folder, "detector.safetensors");
        File.WriteAllBytes(path, bytes);
        Assert.Contains(path, Assert.Throws<ModelFormatException>(() => AnomalyDetector.Load(path)).Message);
    }

    [Fact]
    public void CheckpointLoad_InvalidUtf8InDataOffsets_ThrowsModelFormatException()
    {
        string path = Path.Combine(_folder, "run.ckpt");
        new AutoencoderBuilder(4).WithLatent(2).WithSeed(1).Build().Fit(TestData.Matrix(20, 4, seed: 1), new TrainingOptions { Epochs = 1, CheckpointPath = path });
        File.WriteAllBytes(path, Hostile(File.ReadAllBytes(path), "data_offsets", "\xFF"));
        Assert.Contains(path, Assert.Throws<ModelFormatException>(() => TrainingCheckpoint.Load(path)).Message);
    }

    /// <summary>A header whose text after <paramref name="prefix"/> is not JSON at all.</summary>
    private static byte[] PrefixThenGarbage(string prefix) =>
        ModelFileBytes.Assemble(prefix + new string('[', 40) + "\"unterminated", []);

    [Fact]
    public void Load_UnknownTopLevelKey_IsRefusedAtThatKey()
    {
        var error = Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new MemoryStream(PrefixThenGarbage("{\"junk\":"))));
        Assert.Contains("unexpected tensor 'junk'", error.Message);
    }

    [Theory]
    [InlineData("encoder.2147483647.bias")]
    [InlineData("decoder.10000.weight")] // a model has at most 10,000 layers, so indices stop at 9,999
    public void Load_TensorOfALayerIndexNoModelCouldHave_IsRefusedAtThatKey(string name)
    {
        var error = Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new MemoryStream(PrefixThenGarbage($"{{\"{name}\":"))));
        Assert.Contains($"unexpected tensor '{name}'", error.Message);
    }

    /// <summary>The six tensors a layer may have, as their names end.</summary>
    private static readonly string[] LayerTensors = ["weight", "bias", "batch_norm.weight", "batch_norm.bias", "batch_norm.running_mean", "batch_norm.running_var"];

    /// <summary>
    /// Every tensor name of 10,000 layers (a weight, a bias and batch normalization's four each), as
    /// entries whose values the structure pass passes over.
    /// </summary>
    private static string NetworkEntries()
    {
        var text = new StringBuilder("{");
        for (int layer = 0; layer < 10_000; layer++)
        {
            string stack = layer < 5_000 ? "encoder" : "decoder";
            foreach (string tensor in LayerTensors)
            {
                text.Append(CultureInfo.InvariantCulture, $"\"{stack}.{layer % 5_000}.{tensor}\":{{}},");
            }
        }

        return text.ToString();
    }

    [Fact]
    public void Load_MoreTensorEntriesThanAModelCanHave_IsRefusedAtTheFirstOnePast()
    {
        var error = Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new MemoryStream(PrefixThenGarbage(NetworkEntries() + "\"__metadata__\":{},\"k\":"))));
        Assert.Contains("more than 60000 tensor entries", error.Message);
        Assert.Contains("at most 10000 layers", error.Message);
    }

    [Fact]
    public void DetectorLoad_MoreTensorEntriesThanTheNetworkAndItsExtras_IsRefusedAtTheFirstOnePast()
    {
        // The detector's two scaler tensors raise the bound by two, and only by two.
        string entries = NetworkEntries() + "\"scaler.offset\":{},\"scaler.scale\":{},";
        var error = Assert.Throws<ModelFormatException>(() => AnomalyDetector.Load(new MemoryStream(PrefixThenGarbage(entries + "\"decoder.0.bias\":"))));
        Assert.Contains("more than 60002 tensor entries", error.Message);
        Assert.Contains("and 2 extra tensors", error.Message);
    }

    [Fact]
    public void Load_MetadataKeyOutsideTheVocabulary_IsRefusedAtThatKey()
    {
        var error = Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new MemoryStream(PrefixThenGarbage("{\"__metadata__\":{\"format\":\"autoencoder\",\"k0\":"))));
        Assert.Contains("unexpected key 'k0'", error.Message);
    }

    [Theory]
    [InlineData("shape", "1,1,1,1,1,1,1,1,1,", "more than 8")]
    [InlineData("data_offsets", "0,4,8,", "data_offsets [begin, end]")]
    public void Load_ArrayLongerThanATensorEntryCanBe_IsRefusedAtTheFirstItemTooMany(string field, string items, string expected)
    {
        var error = Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new MemoryStream(PrefixThenGarbage($"{{\"encoder.0.weight\":{{\"{field}\":[{items}"))));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Load_EncoderOfMillionsOfLayers_IsRefusedBeforeTheLayersAreRead()
    {
        // Counted from the text: a layer list that long is never split into layers.
        var file = ModelFileBytes.Parse(ModelBytes());
        file.Metadata["encoder"] = string.Concat(Enumerable.Repeat("1:relu,", 3_000_000)) + "2:tanh";
        var error = Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new MemoryStream(file.ToBytes())));
        Assert.Contains("3000002 layers (3000001 encoder, 1 decoder); a model has at most 10000", error.Message);
    }

    [Fact]
    public void Load_OverlongValueOfAShortKey_IsRefusedWithoutQuotingItWhole()
    {
        var file = ModelFileBytes.Parse(ModelBytes());
        file.Metadata["seed"] = new string('1', 1_000_000);
        var error = Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new MemoryStream(file.ToBytes())));
        Assert.Contains("'seed'", error.Message);
        Assert.True(error.Message.Length < 1000, $"a message of {error.Message.Length} characters");
    }

    public static TheoryData<string, string> LaterProblems() => new()
    {
        { "format_version", "Model file format version 5 is not supported" },
        { "junk", "unexpected tensor 'junk'" },
        { "encoder.0.bias", "Tensor 'encoder.0.bias' must have shape [2]; got [99]" },
    };

    [Theory]
    [MemberData(nameof(LaterProblems))]
    public void Load_ValueProblemInAnEntry_LosesToStructureMetadataAndEarlierEntries(string other, string expected)
    {
        // decoder.0.bias, the last entry, has a dtype no tensor may have; the other problem is
        // a structure error after it, a metadata error, or an entry before it that does not fit.
        var file = ModelFileBytes.Parse(ModelBytes());
        file.Header["decoder.0.bias"]!["dtype"] = "F16";
        switch (other)
        {
            case "format_version":
                file.Metadata["format_version"] = "5";
                break;
            case "junk":
                file.Header["junk"] = new JsonObject();
                break;
            default:
                file.Header[other]!["shape"] = new JsonArray(99);
                break;
        }

        var error = Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new MemoryStream(file.ToBytes())));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Load_ValueProblemInTheLastEntry_IsReportedOnceTheEntriesBeforeItFit()
    {
        var file = ModelFileBytes.Parse(ModelBytes());
        file.Header["decoder.0.bias"]!["dtype"] = "F16";
        var error = Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new MemoryStream(file.ToBytes())));
        Assert.Contains("Tensor 'decoder.0.bias' has dtype 'F16'; only F32 is supported", error.Message);
    }

    [Fact]
    public void Load_NestingDeeperThanAModelFileHas_ThrowsModelFormatException()
    {
        var file = ModelFileBytes.Parse(ModelBytes());
        file.Header["encoder.0.weight"]!["shape"] = new JsonArray(new JsonArray(3), 2);
        Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new MemoryStream(file.ToBytes())));
    }
}

using System.Text;
using Autoencoder.Serialization;

namespace Autoencoder.Tests.Serialization;

/// <summary>
/// An extra metadata value is decoded only up to what its schema can use: 256 characters, unless
/// the schema names the key long (a checkpoint's history), whose value is read as UTF-8 bytes and
/// never decoded. Long values are hashed as documented.
/// </summary>
public sealed class ExtraMetadataLengthTests
{
    private static readonly Dictionary<string, Func<ModelShape, int[]>> NoTensors = [];

    private static byte[] Written(string key, string value)
    {
        var extras = new ModelFileExtras();
        extras.Metadata[key] = value;
        using var stream = new MemoryStream();
        ModelFile.Write(new AutoencoderBuilder(3).WithLatent(2).WithSeed(1).Build(), stream, extras);
        return stream.ToArray();
    }

    [Fact]
    public void Read_ExtraValueOfTheMostCharacters_IsAccepted()
    {
        byte[] bytes = Written("note", new string('x', ModelFileSchema.MaxValueLength));
        ModelFile.Read(new MemoryStream(bytes), new ModelFileSchema(["note"], NoTensors), out ModelFileExtras extras);
        Assert.Equal(256, extras.Metadata["note"].Length);
    }

    [Fact]
    public void Read_ExtraValueOfOneCharacterMore_IsRefusedWithTheCap()
    {
        byte[] bytes = Written("note", new string('x', ModelFileSchema.MaxValueLength + 1));
        var error = Assert.Throws<ModelFormatException>(() => ModelFile.Read(new MemoryStream(bytes), new ModelFileSchema(["note"], NoTensors), out _));
        Assert.Contains("Metadata 'note' is 257 characters long; at most 256", error.Message);
    }

    [Fact]
    public void DetectorLoad_ScoreOfAMillionCharacters_IsRefusedBeforeItIsDecoded()
    {
        byte[] bytes = Written("anomaly_score", new string('x', 1_000_000));
        var error = Assert.Throws<ModelFormatException>(() => AnomalyDetector.Load(new MemoryStream(bytes)));
        Assert.Contains("Metadata 'anomaly_score' is 1000000 characters long; at most 256", error.Message);
    }

    [Fact]
    public void CheckpointLoad_HistoryLongerThanTheCap_Loads()
    {
        string folder = Directory.CreateTempSubdirectory("autoencoder-history-").FullName;
        try
        {
            string path = Path.Combine(folder, "run.ckpt");
            new AutoencoderBuilder(4).WithLatent(2).WithSeed(1).Build().Fit(TestData.Matrix(20, 4, seed: 1), new TrainingOptions { Epochs = 20, CheckpointPath = path });
            string history = ModelFileBytes.Parse(File.ReadAllBytes(path)).Metadata["history"]!.GetValue<string>();
            Assert.True(history.Length > ModelFileSchema.MaxValueLength, $"a history of {history.Length} characters");
            Assert.Equal(20, TrainingCheckpoint.Load(path).History.Count);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Read_LongKeyOfTheSchema_HoldsAValueAsLongAsTheHeader_HashedAsDocumented()
    {
        // Past the hash's 65,536-character pieces, with a surrogate pair across the first boundary.
        string value = new string('a', 65_535) + "\U0001F600" + new string('é', 10_000);
        byte[] bytes = Written("note", value);
        var schema = new ModelFileSchema(["note"], new Dictionary<string, Func<ModelShape, IReadOnlyDictionary<string, string>, int[]>>(), longMetadataKeys: ["note"]);
        ModelFile.Read(new MemoryStream(bytes), schema, out ModelFileExtras extras);
        Assert.Equal(value, Encoding.UTF8.GetString(extras.Utf8Metadata["note"].Span)); // a long value is read as its UTF-8 bytes
        Assert.False(extras.Metadata.ContainsKey("note"));
        var file = ModelFileBytes.Parse(bytes);
        Assert.Equal(ModelFileBytes.MetadataHash(file.Metadata), file.Metadata["metadata_sha256"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(new byte[] { (byte)'a', 0xFF, (byte)'c', (byte)'d', (byte)'e', (byte)'f' })] // not UTF-8, unescaped
    [InlineData(new byte[] { (byte)'\\', (byte)'u', (byte)'d', (byte)'8', (byte)'0', (byte)'0' })] // an escaped lone surrogate
    public void Read_LongValueThatIsNotText_IsRefused(byte[] replacement)
    {
        byte[] bytes = Written("note", "abcdef");
        int at = bytes.AsSpan().IndexOf("abcdef"u8);
        replacement.CopyTo(bytes, at);
        var schema = new ModelFileSchema(["note"], new Dictionary<string, Func<ModelShape, IReadOnlyDictionary<string, string>, int[]>>(), longMetadataKeys: ["note"]);
        var error = Assert.Throws<ModelFormatException>(() => ModelFile.Read(new MemoryStream(bytes), schema, out _));
        Assert.Contains("Metadata 'note' holds JSON text that is not valid UTF-8 (or escapes a lone surrogate)", error.Message);
    }

    [Fact]
    public void Schema_LongKeyThatIsNotOneOfItsKeys_ThrowsArgumentException()
    {
        var error = Assert.Throws<ArgumentException>(() => new ModelFileSchema(["note"], new Dictionary<string, Func<ModelShape, IReadOnlyDictionary<string, string>, int[]>>(), longMetadataKeys: ["other"]));
        Assert.Contains("got 'other'", error.Message);
    }
}

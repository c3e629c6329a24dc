using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Serialization;

public sealed class ModelFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static AutoencoderModel Trained()
    {
        AutoencoderModel model = new AutoencoderBuilder(9).AddEncoderLayer(7, Activation.Gelu).AddEncoderLayer(5, Activation.LeakyRelu)
            .WithLatent(2, Activation.Tanh).AddDecoderLayer(6, Activation.Softplus).WithOutputActivation(Activation.Sigmoid).WithSeed(4).Build();
        model.Fit(TestData.Matrix(40, 9, seed: 1), new TrainingOptions { Epochs = 2, BatchSize = 8 });
        return model;
    }

    [Fact]
    public void SaveThenLoad_GivesIdenticalArchitectureWeightsAndOutputs()
    {
        AutoencoderModel model = Trained();
        string path = Path.Combine(_folder, "model.safetensors");
        model.Save(path);
        AutoencoderModel loaded = AutoencoderModel.Load(path);

        Assert.Equal(model.Layers, loaded.Layers);
        Assert.Equal(model.Seed, loaded.Seed);
        Assert.Equal(model.Network.Parameters, loaded.Network.Parameters);
        Matrix<float> x = TestData.Matrix(13, 9, seed: 2);
        Assert.Equal(model.Reconstruct(x).ToColumnMajorArray(), loaded.Reconstruct(x).ToColumnMajorArray());
        Assert.Equal(model.Encode(x).ToColumnMajorArray(), loaded.Encode(x).ToColumnMajorArray());
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp")); // no temporary file left behind
    }

    [Fact]
    public void Save_OverExistingFile_ReplacesIt()
    {
        string path = Path.Combine(_folder, "model.safetensors");
        File.WriteAllText(path, "old contents");
        AutoencoderModel model = Trained();
        model.Save(path);
        Assert.Equal(model.Network.Parameters, AutoencoderModel.Load(path).Network.Parameters);
    }

    [Fact]
    public void Save_WritesTheSafetensorsLayout()
    {
        AutoencoderModel model = Trained();
        using var stream = new MemoryStream();
        model.Save(stream);
        byte[] bytes = stream.ToArray();

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, (8 + headerLength) % 8);
        using JsonDocument header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength));
        JsonElement metadata = header.RootElement.GetProperty("__metadata__");
        Assert.Equal("autoencoder", metadata.GetProperty("format").GetString());
        Assert.Equal("9", metadata.GetProperty("input_size").GetString());
        Assert.Equal("7:gelu,5:leaky_relu,2:tanh", metadata.GetProperty("encoder").GetString());
        Assert.Equal("6:softplus,9:sigmoid", metadata.GetProperty("decoder").GetString());

        // A generic reader: the first encoder weight tensor is [9, 7] float32 little-endian at its offsets.
        JsonElement weight = header.RootElement.GetProperty("encoder.0.weight");
        Assert.Equal("F32", weight.GetProperty("dtype").GetString());
        Assert.Equal([9, 7], weight.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        int begin = weight.GetProperty("data_offsets")[0].GetInt32();
        float first = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + (int)headerLength + begin));
        Assert.Equal(model.Network.Parameters[0], first);
        Assert.Equal(8 + (long)headerLength + 4L * model.ParameterCount, bytes.LongLength);
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        string path = Path.Combine(_folder, "absent.safetensors");
        var e = Assert.Throws<FileNotFoundException>(() => AutoencoderModel.Load(path));
        Assert.Contains(path, e.Message);
    }

    public static TheoryData<string, string> Corruptions() => new()
    {
        { "truncate:4", "too short" },
        { "truncate:-4", "Data section holds" },
        { "append", "Data section holds" },
        { "header-length:huge", "exceeds" },
        { "json:{not json", "not valid JSON" },
        { "metadata:format=other", "'format' must be 'autoencoder'" },
        { "metadata:format_version=99", "version 99 is not supported" },
        { "metadata:encoder=7:swish,2:tanh", "units:activation" },
        { "metadata:input_size=-3", "must be positive" },
        { "nan", "non-finite" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Load_CorruptFile_ThrowsModelFormatException_SayingWhatIsWrong(string corruption, string expected)
    {
        using var stream = new MemoryStream();
        Trained().Save(stream);
        byte[] bytes = Corrupt(stream.ToArray(), corruption);
        var e = Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new MemoryStream(bytes)));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Load_EveryTruncation_ThrowsModelFormatException()
    {
        using var stream = new MemoryStream();
        new AutoencoderBuilder(3).WithLatent(1).WithSeed(1).Build().Save(stream);
        byte[] bytes = stream.ToArray();
        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new MemoryStream(bytes[..length])));
        }
    }

    private static byte[] Corrupt(byte[] bytes, string corruption)
    {
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        string json = Encoding.UTF8.GetString(bytes, 8, headerLength);
        byte[] data = bytes[(8 + headerLength)..];
        string[] parts = corruption.Split(':', 2);
        switch (parts[0])
        {
            case "truncate":
                int n = int.Parse(parts[1]);
                return n > 0 ? bytes[..n] : bytes[..^(-n)];
            case "append":
                return [.. bytes, 0, 0, 0, 0];
            case "header-length":
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue / 2);
                return bytes;
            case "json":
                return Assemble(parts[1], data);
            case "metadata":
                string[] kv = parts[1].Split('=', 2);
                var root = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
                var metadata = root["__metadata__"].Deserialize<Dictionary<string, string>>()!;
                metadata[kv[0]] = kv[1];
                var rebuilt = root.ToDictionary(p => p.Key, p => (object)p.Value);
                rebuilt["__metadata__"] = metadata;
                return Assemble(JsonSerializer.Serialize(rebuilt), data);
            case "nan":
                BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(12), float.NaN);
                return Assemble(json, data);
            default:
                throw new ArgumentOutOfRangeException(nameof(corruption));
        }
    }

    private static byte[] Assemble(string json, byte[] data)
    {
        byte[] header = Encoding.UTF8.GetBytes(json);
        var result = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)header.Length);
        header.CopyTo(result, 8);
        data.CopyTo(result, 8 + header.Length);
        return result;
    }
}

using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Autoencoder.Serialization;
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
        { "truncate:-4", "data section's size" },
        { "append", "Data section holds" },
        { "header-length:huge", "exceeds" },
        { "json:{not json", "not valid JSON" },
        { "metadata:format=other", "'format' must be 'autoencoder'" },
        { "metadata:format_version=99", "version 99 is not supported" },
        { "metadata:encoder=7:swish,2:tanh", "units:activation" },
        { "metadata:input_size=-3", "must be positive" },
        { "nan", "'encoder.0.weight' holds a non-finite value (NaN) at index 3" },
        { "infinity", "'decoder.1.bias' holds a non-finite value" },
        { "data-flip", "'data_sha256'" },
        { "metadata-keep-hash:decoder=6:softplus,9:relu", "'metadata_sha256'" },
        { "metadata-keep-hash:seed=5", "'metadata_sha256'" },
        { "metadata:seed=05", "canonical form" },
        { "metadata:extra=1", "unexpected key 'extra'" },
        { "metadata:encoder=2000000000:relu,2:tanh", "more than" },
        { "metadata:format_version=1", "unexpected key 'data_sha256' for format version 1" },
        { "raw-json:\"format\":\"autoencoder\"=>\"format\":\"autoencoder\",\"format\":\"autoencoder\"", "Metadata has the key 'format' twice" },
        { "raw-json:\"dtype\":\"F32\"=>\"dtype\":\"F32\",\"dtype\":\"F32\"", "has the key 'dtype' twice" },
        { "raw-json:{\"__metadata__\"=>{\"decoder.1.bias\":{},\"__metadata__\"", "Header has the key 'decoder.1.bias' twice" },
        { "raw-json:\"data_offsets\"=>\"scale\":1,\"data_offsets\"", "unexpected key 'scale'" },
        { "tensor:encoder.0.weight.dtype=\"F16\"", "dtype 'F16'; only F32" },
        { "tensor:encoder.0.weight.shape=[7,9]", "must have shape [9, 7]; got [7, 9]" },
        { "tensor:encoder.0.weight.shape=[9,-7]", "not a non-negative integer" },
        { "tensor:encoder.0.bias.data_offsets=[248,276]", "overlaps" },
        { "tensor:encoder.0.bias.data_offsets=[256,284]", "gap" },
        { "tensor:encoder.0.bias.data_offsets=[252]", "data_offsets [begin, end]" },
        { "tensor:decoder.1.bias.data_offsets=[99999999999999,100000000000035]", "data section's size" },
        { "tensor:encoder.0.bias.data_offsets=[252,284]", "needs 28 bytes" },
        { "raw-json:{\"__metadata__\"=>{\"extra\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},\"__metadata__\"", "unexpected tensor 'extra'" },
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
        var file = ModelFileBytes.Parse(bytes);
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
                return ModelFileBytes.Assemble(parts[1], file.Data);
            case "raw-json":
                // Text edits of the header (duplicate keys cannot be built through a JSON tree).
                string[] edit = parts[1].Split("=>", 2);
                string json = file.Header.ToJsonString();
                Assert.Contains(edit[0], json);
                return ModelFileBytes.Assemble(json.Replace(edit[0], edit[1]), file.Data);
            case "metadata":
                string[] kv = parts[1].Split('=', 2);
                file.Metadata[kv[0]] = kv[1];
                return file.ToBytes();
            case "metadata-keep-hash":
                string[] pair = parts[1].Split('=', 2);
                file.Metadata[pair[0]] = pair[1];
                return file.ToBytes(rehash: false);
            case "tensor":
                // tensor:name.field=json
                string[] assignment = parts[1].Split('=', 2);
                int dot = assignment[0].LastIndexOf('.');
                file.Header[assignment[0][..dot]]![assignment[0][(dot + 1)..]] = JsonNode.Parse(assignment[1]);
                return file.ToBytes();
            case "nan":
                BinaryPrimitives.WriteSingleLittleEndian(file.Data.AsSpan(12), float.NaN);
                return file.ToBytes();
            case "infinity":
                BinaryPrimitives.WriteSingleLittleEndian(file.Data.AsSpan(file.Data.Length - 4), float.NegativeInfinity);
                return file.ToBytes();
            case "data-flip":
                file.Data[17] ^= 0x04;
                return file.ToBytes(rehash: false);
            default:
                throw new ArgumentOutOfRangeException(nameof(corruption));
        }
    }
}

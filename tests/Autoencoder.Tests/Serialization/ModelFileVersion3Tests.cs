using System.Buffers.Binary;
using System.Text.Json.Nodes;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Serialization;

/// <summary>
/// Format version 3: batch-normalized models keep their running statistics and their flag through
/// a save, every layer's tensors are named and shaped as the pipeline gives them, and files that
/// say anything else about batch normalization are refused, naming what is wrong.
/// </summary>
public sealed class ModelFileVersion3Tests
{
    /// <summary>
    /// 12 → 8 relu (batch normalization, dropout 0.25) → 4 tanh (batch normalization) → 6 elu
    /// (batch normalization) → 12 sigmoid, seed 21, trained two epochs so the running statistics
    /// have moved from their start (mean 0, variance 1).
    /// </summary>
    private static AutoencoderModel Normalized()
    {
        AutoencoderModel model = new AutoencoderBuilder(12)
            .AddEncoderLayer(8, Activation.Relu, new LayerOptions { BatchNormalization = true, Dropout = 0.25 })
            .WithLatent(4, Activation.Tanh, new LayerOptions { BatchNormalization = true })
            .AddDecoderLayer(6, Activation.Elu, new LayerOptions { BatchNormalization = true })
            .WithOutputActivation(Activation.Sigmoid)
            .WithSeed(21)
            .Build();
        model.Fit(TestData.Matrix(40, 12, seed: 3), new TrainingOptions { Epochs = 2, BatchSize = 8 });
        return model;
    }

    private static readonly Lazy<byte[]> NormalizedFile = new(() =>
    {
        using var stream = new MemoryStream();
        Normalized().Save(stream);
        return stream.ToArray();
    });

    private static int[] Bits(Matrix<float> values) => values.ToRowMajorArray().Select(BitConverter.SingleToInt32Bits).ToArray();

    [Fact]
    public void SaveThenLoad_TrainedBatchNormalizedModel_GivesTheSameParametersStateLayersAndOutputs()
    {
        AutoencoderModel model = Normalized();
        float[] initialState = [.. Enumerable.Repeat(0f, 8), .. Enumerable.Repeat(1f, 8), .. Enumerable.Repeat(0f, 4), .. Enumerable.Repeat(1f, 4), .. Enumerable.Repeat(0f, 6), .. Enumerable.Repeat(1f, 6)];
        Assert.Equal(initialState.Length, model.Network.State.Length);
        Assert.NotEqual(initialState, model.Network.State); // training moved the running statistics

        using var stream = new MemoryStream();
        model.Save(stream);
        AutoencoderModel loaded = AutoencoderModel.Load(new MemoryStream(stream.ToArray()));

        Assert.Equal(model.Network.Parameters, loaded.Network.Parameters);
        Assert.Equal(model.Network.State, loaded.Network.State);
        Assert.Equal(model.Layers, loaded.Layers);
        Assert.True(loaded.Layers[0].Options.BatchNormalization);
        Assert.Equal(model.Network.Layers.Select(l => (l.Name, l.Kind)), loaded.Network.Layers.Select(l => (l.Name, l.Kind)));
        Assert.Equal(model.Network.Spec.Encoder.Concat(model.Network.Spec.Decoder), loaded.Network.Spec.Encoder.Concat(loaded.Network.Spec.Decoder));
        Matrix<float> x = TestData.Matrix(9, 12, seed: 4);
        Assert.Equal(Bits(model.Reconstruct(x)), Bits(loaded.Reconstruct(x)));
        Assert.Equal(Bits(model.Encode(x)), Bits(loaded.Encode(x)));

        using var again = new MemoryStream();
        loaded.Save(again);
        Assert.Equal(stream.ToArray(), again.ToArray()); // nothing lost or reordered
    }

    [Fact]
    public void Save_BatchNormalizedModel_NamesAndShapesEveryTensorAndStoresTheStateAfterTheParameters()
    {
        AutoencoderModel model = Normalized();
        var file = ModelFileBytes.Parse(NormalizedFile.Value);

        Assert.Equal("3", file.Metadata["format_version"]!.GetValue<string>());
        Assert.Equal("0:0.25:0:0:1,1:0:0:0:1,2:0:0:0:1", file.Metadata["layer_options"]!.GetValue<string>());
        Assert.Equal(
            "dense:identity,batch_norm:0.1:1E-05,activation:relu,dropout:0.25,dense:identity,batch_norm:0.1:1E-05,activation:tanh,"
            + "dense:identity,batch_norm:0.1:1E-05,activation:elu,dense:sigmoid",
            file.Metadata["pipeline"]!.GetValue<string>());

        var expected = new List<(string Name, int[] Shape)>();
        foreach (var (layer, inputs, units, normalized) in new[] { ("encoder.0", 12, 8, true), ("encoder.1", 8, 4, true), ("decoder.0", 4, 6, true), ("decoder.1", 6, 12, false) })
        {
            expected.Add(($"{layer}.weight", [inputs, units]));
            expected.Add(($"{layer}.bias", [units]));
            if (normalized)
            {
                expected.AddRange([($"{layer}.batch_norm.weight", [units]), ($"{layer}.batch_norm.bias", [units]), ($"{layer}.batch_norm.running_mean", [units]), ($"{layer}.batch_norm.running_var", [units])]);
            }
        }

        var tensors = file.Header.Where(p => p.Key != "__metadata__").ToArray();
        Assert.Equal(expected.Select(e => e.Name).Order(StringComparer.Ordinal), tensors.Select(t => t.Key).Order(StringComparer.Ordinal));
        foreach (var (name, shape) in expected)
        {
            Assert.Equal(shape, file.Header[name]!["shape"]!.AsArray().Select(d => d!.GetValue<int>()));
        }

        // The data section: the parameter buffer, then the state buffer; a running mean sits where its layer's state starts.
        float[] data = Enumerable.Range(0, file.Data.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(file.Data.AsSpan(4 * i))).ToArray();
        Assert.Equal([.. model.Network.Parameters, .. model.Network.State], data);
        long parameterBytes = 4L * model.Network.Parameters.Length;
        Assert.Equal($"[{parameterBytes},{parameterBytes + 32}]", file.Header["encoder.0.batch_norm.running_mean"]!["data_offsets"]!.ToJsonString());
        Assert.Equal($"[{parameterBytes + 32},{parameterBytes + 64}]", file.Header["encoder.0.batch_norm.running_var"]!["data_offsets"]!.ToJsonString());
        Assert.Equal($"[{file.Data.Length - 24},{file.Data.Length}]", file.Header["decoder.0.batch_norm.running_var"]!["data_offsets"]!.ToJsonString());
    }

    [Fact]
    public void Save_ModelWithoutBatchNormalization_HasTheTensorsAndDataOfVersion2()
    {
        // A version-2 fixture saved again as version 3: the same tensor entries, the same bytes of data.
        string path = Path.Combine(AppContext.BaseDirectory, "Serialization", "Files", "v2-6-4-2-4-6-sparse.safetensors");
        var version2 = ModelFileBytes.Parse(File.ReadAllBytes(path));
        using var stream = new MemoryStream();
        AutoencoderModel.Load(path).Save(stream);
        var version3 = ModelFileBytes.Parse(stream.ToArray());

        Assert.Equal("3", version3.Metadata["format_version"]!.GetValue<string>());
        Assert.Equal(version2.Data, version3.Data);
        Assert.Equal(version2.Header.Where(p => p.Key != "__metadata__").Select(p => p.Key), version3.Header.Where(p => p.Key != "__metadata__").Select(p => p.Key));
        Assert.All(version2.Header.Where(p => p.Key != "__metadata__"), p => Assert.True(JsonNode.DeepEquals(p.Value, version3.Header[p.Key]), p.Key));
        Assert.Equal(version2.Metadata["layer_options"]!.GetValue<string>().Split(',').Select(e => e + ":0"), version3.Metadata["layer_options"]!.GetValue<string>().Split(','));
    }

    /// <summary>
    /// Written by the format-version-3 writer: 6 → 4 relu (batch normalization, dropout 0.25) → 2 tanh
    /// (batch normalization) → 4 relu (batch normalization) → 6 sigmoid, seed 14, two epochs of batches
    /// of 8 with binary cross-entropy on the 16 × 6 pattern <c>((3i + 5j) mod 11) / 11</c>.
    /// </summary>
    private static readonly string Version3File = Path.Combine(AppContext.BaseDirectory, "Serialization", "Files", "v3-6-4-2-4-6-batch-norm.safetensors");

    /// <summary>The fixture's reconstructions of three rows of six features, <c>((5i + j) mod 7) / 7</c>, as float bits.</summary>
    private const string Version3Reconstruction =
        "3ef7bfbf,3efed83f,3effadb7,3efdcec9,3eff06e1,3f034083,3eff04d3,3ef49935,3f029dfb,3ef19e9f,3ef72e94,3f0240be,3eb64e1b,3ee05174,3f05d310,3ed4caa6,3ef56f77,3f239673";

    [Fact]
    public void Load_Version3Fixture_ReconstructsAsWhenWritten_WithItsRunningStatistics()
    {
        var raw = ModelFileBytes.Parse(File.ReadAllBytes(Version3File));
        Assert.Equal("3", raw.Metadata["format_version"]!.GetValue<string>());

        AutoencoderModel model = AutoencoderModel.Load(Version3File);

        Assert.Equal([true, true, true, false], model.Layers.Select(l => l.Options.BatchNormalization));
        Assert.Equal(20, model.Network.State.Length);
        Assert.Equal(0.2282133f, model.Network.State[0]); // encoder.0.batch_norm.running_mean[0]
        Assert.Equal(0.81773674f, model.Network.State[^1]); // decoder.0.batch_norm.running_var[3]
        var probe = Matrix<float>.Build.Dense(3, 6, (i, j) => (float)(((i * 5) + j) % 7 / 7.0));
        string actual = string.Join(",", Bits(model.Reconstruct(probe)).Select(b => b.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(Version3Reconstruction, actual);

        using var stream = new MemoryStream();
        model.Save(stream);
        AutoencoderModel again = AutoencoderModel.Load(new MemoryStream(stream.ToArray()));
        Assert.Equal(model.Network.Parameters, again.Network.Parameters);
        Assert.Equal(model.Network.State, again.Network.State);
        Assert.Equal(raw.Data, ModelFileBytes.Parse(stream.ToArray()).Data);
    }

    public static TheoryData<string, string> Hostile() => new()
    {
        { "remove:encoder.0.batch_norm.running_var", "Tensor 'encoder.0.batch_norm.running_var' is missing from the header" },
        { "remove:decoder.0.batch_norm.weight", "Tensor 'decoder.0.batch_norm.weight' is missing from the header" },
        { "shape:encoder.1.batch_norm.running_mean=[5]", "Tensor 'encoder.1.batch_norm.running_mean' must have shape [4]; got [5]" },
        { "shape:encoder.0.batch_norm.weight=[1,8]", "Tensor 'encoder.0.batch_norm.weight' must have shape [8]; got [1, 8]" },
        { "swap:encoder.0.batch_norm.running_mean=encoder.0.batch_norm.running_var", "Tensor 'encoder.0.batch_norm.running_var' must occupy bytes" },
        { "swap:encoder.0.batch_norm.weight=encoder.0.bias", "Tensor 'encoder.0.batch_norm.weight' must occupy bytes" },
        { "swap:encoder.1.batch_norm.running_mean=encoder.1.batch_norm.bias", "Tensor 'encoder.1.batch_norm.running_mean' must occupy bytes" },
        { "value:encoder.0.batch_norm.running_var[2]=-0.5", "Tensor 'encoder.0.batch_norm.running_var' holds a negative variance (-0.5) at index 2; a running variance is at least 0" },
        { "value:decoder.0.batch_norm.running_var[5]=-1E-30", "Tensor 'decoder.0.batch_norm.running_var' holds a negative variance (-1E-30) at index 5" },
        { "value:decoder.0.batch_norm.running_mean[1]=NaN", "Tensor 'decoder.0.batch_norm.running_mean' holds a non-finite value (NaN) at index 1" },
        { "value:encoder.1.batch_norm.running_var[3]=Infinity", "Tensor 'encoder.1.batch_norm.running_var' holds a non-finite value (Infinity) at index 3" },
        { "value:encoder.1.batch_norm.bias[0]=NaN", "Tensor 'encoder.1.batch_norm.bias' holds a non-finite value (NaN) at index 0" },
        { "extra:decoder.1.batch_norm.weight", "unexpected tensor 'decoder.1.batch_norm.weight'" },
        { "version:2", "Metadata has an unexpected key 'pipeline' for format version 2" },
        { "version:2-without-pipeline", "Metadata 'layer_options' of format version 2 must list layers below 4 in increasing order as layer:dropout:l1:l2 (no batch_norm field: batch normalization needs format version 3); got '0:0.25:0:0:1,1:0:0:0:1,2:0:0:0:1'" },
        { "version:2-four-field-options", "Header has an unexpected tensor 'encoder.0.batch_norm.weight'" },
        { "metadata:layer_options=0:0.25:0:0:yes,1:0:0:0:1,2:0:0:0:1", "as layer:dropout:l1:l2:batch_norm (batch_norm 0 or 1)" },
        { "metadata:layer_options=0:0.25:0:0,1:0:0:0,2:0:0:0", "as layer:dropout:l1:l2:batch_norm" },
        { "metadata:layer_options=0:0.25:0:0:1,1:0:0:0:1,2:0:0:0:1,3:0:0:0:1", "the output layer cannot have layer options" },
        { "metadata:layer_options=0:0.25:0:0:0,1:0:0:0:1,2:0:0:0:1", "Header has an unexpected tensor 'encoder.0.batch_norm.weight'" },
        { "metadata:layer_options=0:0.25:0:0:1,1:0:0:0:1", "Header has an unexpected tensor 'decoder.0.batch_norm.weight'" },
        { "remove-metadata:pipeline", "Metadata 'pipeline' is missing" },
        { "pipeline:activation:relu=>activation:gelu", "step 2 (encoder.0.relu) is 'activation:relu'; got 'activation:gelu'" },
        { "pipeline:batch_norm:0.1:1E-05,activation:tanh=>activation:tanh,batch_norm:0.1:1E-05", "step 5 (encoder.1.batch_norm) is 'batch_norm:0.1:1E-05'; got 'activation:tanh'" },
        { "pipeline:1E-05=>1e-05", "is 'batch_norm:0.1:1E-05'; got 'batch_norm:0.1:1e-05'" },
        { "pipeline:,dropout:0.25=>", "step 3 (encoder.0.dropout) is 'dropout:0.25'; got 'dense:identity'" },
        { "pipeline:,dense:sigmoid=>", "lists 10 steps; the architecture compiles to 11 (the next is 'dense:sigmoid')" },
        { "pipeline:dense:sigmoid=>dense:sigmoid,dropout:0.5", "lists more than the 11 steps the architecture compiles to" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Load_BatchNormalizedFileSayingSomethingElse_ThrowsModelFormatException_SayingWhat(string edit, string expected)
    {
        byte[] bytes = Edit(NormalizedFile.Value, edit);
        var error = Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new MemoryStream(bytes)));
        Assert.Contains(expected, error.Message);

        // A detector's loader reads the same model first, so it refuses the file for the same reason.
        var detectorError = Assert.Throws<ModelFormatException>(() => AnomalyDetector.Load(new MemoryStream(bytes)));
        Assert.Contains(expected, detectorError.Message);
    }

    [Fact]
    public void Load_RunningVarianceOfNegativeZero_Loads()
    {
        byte[] bytes = Edit(NormalizedFile.Value, "value:encoder.0.batch_norm.running_var[0]=-0");
        Assert.True(float.IsNegative(AutoencoderModel.Load(new MemoryStream(bytes)).Network.State[8]));
    }

    /// <summary>A re-signed edit of the file (see <see cref="ModelFileBytes"/>), so only its meaning is wrong.</summary>
    private static byte[] Edit(byte[] original, string edit)
    {
        var file = ModelFileBytes.Parse(original);
        string[] parts = edit.Split(':', 2);
        switch (parts[0])
        {
            case "remove":
                Assert.True(file.Header.Remove(parts[1]), parts[1]);
                break;
            case "shape":
                string[] shape = parts[1].Split('=');
                file.Header[shape[0]]!["shape"] = JsonNode.Parse(shape[1]);
                break;
            case "swap":
                // Two tensors of one size swap places: only the writer's layout tells.
                string[] pair = parts[1].Split('=');
                JsonNode first = file.Header[pair[0]]!["data_offsets"]!.DeepClone();
                file.Header[pair[0]]!["data_offsets"] = file.Header[pair[1]]!["data_offsets"]!.DeepClone();
                file.Header[pair[1]]!["data_offsets"] = first;
                break;
            case "value":
                // value:{tensor}[{index}]={float}
                string[] assignment = parts[1].Split('=');
                string name = assignment[0][..assignment[0].IndexOf('[')];
                int index = int.Parse(assignment[0][(name.Length + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
                long at = file.Header[name]!["data_offsets"]![0]!.GetValue<long>() + (4L * index);
                BinaryPrimitives.WriteSingleLittleEndian(file.Data.AsSpan((int)at), float.Parse(assignment[1], System.Globalization.CultureInfo.InvariantCulture));
                break;
            case "extra":
                // A batch-normalization tensor (for the output layer, which has none) appended to the data.
                file.Header[parts[1]] = new JsonObject
                {
                    ["dtype"] = "F32", ["shape"] = new JsonArray(12), ["data_offsets"] = new JsonArray(file.Data.Length, file.Data.Length + 48),
                };
                file.Data = [.. file.Data, .. new byte[48]];
                break;
            case "version":
                file.Metadata["format_version"] = "2";
                if (parts[1] != "2")
                {
                    file.Metadata.Remove("pipeline");
                }

                if (parts[1] == "2-four-field-options")
                {
                    file.Metadata["layer_options"] = "0:0.25:0:0";
                }

                break;
            case "metadata":
                string[] kv = parts[1].Split('=', 2);
                file.Metadata[kv[0]] = kv[1];
                break;
            case "remove-metadata":
                Assert.True(file.Metadata.Remove(parts[1]), parts[1]);
                break;
            case "pipeline":
                string[] replace = parts[1].Split("=>");
                string pipeline = file.Metadata["pipeline"]!.GetValue<string>();
                Assert.Contains(replace[0], pipeline);
                file.Metadata["pipeline"] = pipeline.Replace(replace[0], replace[1], StringComparison.Ordinal);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(edit), edit, "unknown edit");
        }

        return file.ToBytes();
    }
}

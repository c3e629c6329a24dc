using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Autoencoder.Model;
using Autoencoder.Serialization;
using Xunit.Abstractions;

namespace Autoencoder.Tests.Serialization;

/// <summary>
/// Seeded corruption of valid model files: every outcome must be either a
/// <see cref="ModelFormatException"/> or a model identical to the original (architecture, seed,
/// every weight bit, every extra), within a time limit per load. Any other exception, a hang or a
/// silently different model fails the test, which lists the mutations that did it.
/// </summary>
public sealed class ModelFileFuzzTests(ITestOutputHelper output)
{
    /// <summary>Far above the few milliseconds a load takes; only a hang reaches it.</summary>
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(10);

    private static readonly ModelFileSchema Schema = new(
        ["threshold"],
        new Dictionary<string, Func<ModelShape, int[]>> { ["scaler.mean"] = n => [n.InputSize], ["scaler.scale"] = n => [n.InputSize] });

    private sealed record Original(string Name, byte[] Bytes, AutoencoderModel Model, ModelFileExtras Extras);

    private static Original[] Originals()
    {
        var small = new AutoencoderBuilder(3).WithLatent(2, Activation.Tanh).WithOutputActivation(Activation.Sigmoid).WithSeed(7).Build();
        var deep = new AutoencoderBuilder(5).AddEncoderLayer(4, Activation.Gelu).AddEncoderLayer(3, Activation.LeakyRelu).WithLatent(2, Activation.Elu)
            .WithOutputActivation(Activation.Softplus).WithSeed(-3).Build();
        TestData.Uniform(small.ParameterCount, seed: 1, -2f, 2f).CopyTo(small.Network.Parameters, 0);
        TestData.Uniform(deep.ParameterCount, seed: 2, -2f, 2f).CopyTo(deep.Network.Parameters, 0);
        var extras = new ModelFileExtras();
        extras.Metadata["threshold"] = "0.5";
        extras.Tensors["scaler.mean"] = new ExtraTensor([3], [0.25f, -1f, 2f]);
        extras.Tensors["scaler.scale"] = new ExtraTensor([3], [1f, 0.5f, 4f]);
        var variational = new AutoencoderBuilder(4).AddEncoderLayer(3, Activation.Relu, new LayerOptions { Dropout = 0.25, ActivityL1 = 0.5 })
            .WithVariationalLatent(2).WithOutputActivation(Activation.Sigmoid).WithSeed(5).Build();
        var tied = new AutoencoderBuilder(4).AddEncoderLayer(3).WithLatent(2, Activation.Sigmoid).WithSparsity(0.1, 2).WithTiedWeights().WithSeed(6).Build();
        var contractive = new AutoencoderBuilder(3).WithLatent(2, Activation.Tanh).WithContractivePenalty(0.5).WithSeed(8).Build();
        TestData.Uniform(variational.ParameterCount, seed: 3, -2f, 2f).CopyTo(variational.Network.Parameters, 0);
        TestData.Uniform(tied.ParameterCount, seed: 4, -2f, 2f).CopyTo(tied.Network.Parameters, 0);
        TestData.Uniform(contractive.ParameterCount, seed: 5, -2f, 2f).CopyTo(contractive.Network.Parameters, 0);
        var normalized = new AutoencoderBuilder(4).AddEncoderLayer(3, Activation.Relu, new LayerOptions { BatchNormalization = true, Dropout = 0.25 })
            .WithLatent(2, Activation.Tanh, new LayerOptions { BatchNormalization = true }).WithOutputActivation(Activation.Sigmoid).WithSeed(9).Build();
        TestData.Uniform(normalized.ParameterCount, seed: 6, -2f, 2f).CopyTo(normalized.Network.Parameters, 0);
        TestData.Uniform(normalized.Network.State.Length, seed: 7, 0.25f, 2f).CopyTo(normalized.Network.State, 0); // running means and variances
        var normalizedExtras = new ModelFileExtras();
        normalizedExtras.Tensors["scaler.mean"] = new ExtraTensor([4], [0.5f, -1f, 2f, 0f]);
        normalizedExtras.Tensors["scaler.scale"] = new ExtraTensor([4], [1f, 0.25f, 4f, 2f]);
        return
        [
            Make("variational", variational, new ModelFileExtras()),
            Make("tied-sparse", tied, new ModelFileExtras()),
            Make("contractive", contractive, new ModelFileExtras()),
            Make("small", small, new ModelFileExtras()),
            Make("deep", deep, new ModelFileExtras()),
            Make("small+extras", small, extras),
            Make("batch-norm+extras", normalized, normalizedExtras), // the extras come after the state
        ];

        static Original Make(string name, AutoencoderModel model, ModelFileExtras extras)
        {
            using var stream = new MemoryStream();
            ModelFile.Write(model, stream, extras);
            return new Original(name, stream.ToArray(), model, extras);
        }
    }

    [Fact]
    public void Load_MutatedFiles_ThrowModelFormatExceptionOrGiveTheOriginalModel()
    {
        var random = new Random(20240611); // fixed: a failure names a reproducible mutation
        var failures = new List<string>();
        int mutations = 0, rejected = 0, identical = 0, rewritten = 0;
        var clock = Stopwatch.StartNew();
        foreach (Original original in Originals())
        {
            foreach (var (description, bytes, resigned) in Mutations(original, random))
            {
                mutations++;
                switch (Check(original, bytes, resigned))
                {
                    case null:
                        rejected++;
                        break;
                    case "identical":
                        identical++;
                        break;
                    case "rewritten":
                        rewritten++;
                        break;
                    case string problem:
                        failures.Add($"{original.Name} / {description}: {problem}");
                        break;
                }
            }
        }

        output.WriteLine($"{mutations} mutations in {clock.Elapsed.TotalSeconds:F1} s: {rejected} rejected with ModelFormatException, {identical} loaded an identical model, {rewritten} re-signed rewrites loaded faithfully, {failures.Count} failures.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {mutations} mutations:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(20))}");
        Assert.True(mutations > 10_000, $"only {mutations} mutations ran");
        Assert.True(rejected > 0.9 * mutations, $"only {rejected} of {mutations} mutations were rejected");
    }

    /// <summary>
    /// Null when rejected with <see cref="ModelFormatException"/>; "identical" when it loaded the
    /// original; "rewritten" when a mutation whose checksums were recomputed (a deliberate,
    /// re-signed edit, not corruption) produced a valid file that was read faithfully: saving what
    /// was loaded gives the same header entries and data; else the problem.
    /// </summary>
    private static string? Check(Original original, byte[] bytes, bool resigned)
    {
        Task<(AutoencoderModel Model, ModelFileExtras Extras)> load = Task.Run(() =>
        {
            AutoencoderModel model = ModelFile.Read(new MemoryStream(bytes), Schema, out ModelFileExtras extras);
            return (model, extras);
        });
        try
        {
            if (!load.Wait(LoadTimeout))
            {
                return $"load still running after {LoadTimeout.TotalSeconds} s";
            }
        }
        catch (AggregateException e) when (e.InnerException is ModelFormatException)
        {
            return null;
        }
        catch (AggregateException e)
        {
            return $"threw {e.InnerException!.GetType().Name}: {e.InnerException.Message}";
        }

        var (loaded, extras) = load.Result;
        bool same = loaded.Layers.SequenceEqual(original.Model.Layers)
            && loaded.Seed == original.Model.Seed
            && loaded.Network.Parameters.AsSpan().SequenceEqual(original.Model.Network.Parameters)
            && loaded.Network.State.AsSpan().SequenceEqual(original.Model.Network.State)
            && extras.Metadata.OrderBy(m => m.Key).SequenceEqual(original.Extras.Metadata.OrderBy(m => m.Key))
            && extras.Tensors.Count == original.Extras.Tensors.Count
            && extras.Tensors.All(t => original.Extras.Tensors.TryGetValue(t.Key, out var o) && o.Shape.SequenceEqual(t.Value.Shape) && o.Values.AsSpan().SequenceEqual(t.Value.Values));
        if (same)
        {
            return "identical";
        }

        if (resigned)
        {
            using var resaved = new MemoryStream();
            ModelFile.Write(loaded, resaved, extras);
            var expected = ModelFileBytes.Parse(bytes);
            var actual = ModelFileBytes.Parse(resaved.ToArray());
            if (JsonNode.DeepEquals(expected.Header, actual.Header) && expected.Data.AsSpan().SequenceEqual(actual.Data))
            {
                return "rewritten";
            }
        }

        return "loaded a different model without an error";
    }

    private static IEnumerable<(string, byte[], bool)> Mutations(Original original, Random random)
    {
        byte[] file = original.Bytes;
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(file);

        for (int length = 0; length < file.Length; length++)
        {
            yield return ($"truncated to {length} bytes", file[..length], false);
        }

        for (int bit = 0; bit < file.Length * 8; bit += original.Name == "small" ? 1 : 3)
        {
            byte[] flipped = (byte[])file.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            yield return ($"bit {bit} flipped", flipped, false);
        }

        for (int i = 0; i < 1000; i++)
        {
            byte[] changed = (byte[])file.Clone();
            int count = 1 + random.Next(i % 2 == 0 ? 1 : 6);
            var where = new List<int>();
            for (int k = 0; k < count; k++)
            {
                // Bias towards the header, where the structure is.
                int position = random.Next(3) == 0 ? random.Next(file.Length) : random.Next(headerEnd);
                changed[position] = (byte)random.Next(256);
                where.Add(position);
            }

            yield return ($"bytes at {string.Join(",", where)} set at random", changed, false);
        }

        for (int i = 0; i < 200; i++)
        {
            byte[] changed = (byte[])file.Clone();
            ulong length = (i % 4) switch
            {
                0 => (ulong)random.NextInt64(),
                1 => ulong.MaxValue - (ulong)random.Next(1000),
                2 => (ulong)(headerEnd - 8 + random.Next(-16, 17)),
                _ => (ulong)random.Next(file.Length * 2),
            };
            BinaryPrimitives.WriteUInt64LittleEndian(changed, length);
            yield return ($"header length {length}", changed, false);
        }

        for (int i = 0; i < 300; i++)
        {
            int position = random.Next(file.Length);
            int count = 1 + random.Next(8);
            byte[] inserted = [.. file[..position], .. Enumerable.Range(0, count).Select(_ => (byte)random.Next(256)), .. file[position..]];
            yield return ($"{count} bytes inserted at {position}", inserted, false);
            int end = Math.Min(file.Length, position + count);
            yield return ($"bytes [{position}, {end}) deleted", [.. file[..position], .. file[end..]], false);
        }

        for (int i = 0; i < 1200; i++)
        {
            var (description, bytes) = StructuredMutation(file, random);
            yield return (description, bytes, true);
        }
    }

    private static readonly string[] MetadataValues =
        ["", "0", "-1", "1", "2", "3", "5", "2147483647", "2147483648", "-2147483648", "1e3", " 3", "3 ", "+3", "03", "3.0", "NaN",
         "true", "false", "True", "0.5", "0.1:2", "0.1:0", "1:2", "0:0.25:0.5:0", "0:0:0:0", "1:0.25:0.5:0", "0:1:0:0", "0:0.25:0.5:0,0:0.25:0.5:0",
         "0:0.25:0:0:1", "0:0.25:0:0:0", "0:0:0:0:1", "1:0:0:0:1", "0:0:0:0:0", "0:0.25:0:0:1,1:0:0:0:1", "0:0.25:0:0:1,1:0:0:0:0", "0:0.25:0:0:2",
         "dense:identity,batch_norm:0.1:1E-05,activation:relu,dropout:0.25", "dense:relu", "dense:sigmoid", "",
         "2:tanh", "2:relu", "3:sigmoid", "2:identity", "2:sigmoid", "4:gelu,3:leaky_relu,2:elu", "2:tanh,", ",", ":", "2:", ":tanh", "2000000000:relu", "1:identity", "autoencoder", "other"];

    private static readonly string[] Dtypes = ["F16", "BF16", "F64", "I32", "U8", "BOOL", "f32", "F32 ", ""];

    /// <summary>An edit of the header's meaning (checksums recomputed unless the edit is about them), or NaN/∞ in the data.</summary>
    private static (string, byte[]) StructuredMutation(byte[] original, Random random)
    {
        var file = ModelFileBytes.Parse(original);
        string[] tensors = file.Header.Where(p => p.Key != "__metadata__").Select(p => p.Key).ToArray();
        string tensor = tensors[random.Next(tensors.Length)];
        string[] keys = file.Metadata.Select(p => p.Key).ToArray();
        string key = keys[random.Next(keys.Length)];
        JsonArray Offsets(string name) => file.Header[name]!["data_offsets"]!.AsArray();
        switch (random.Next(12))
        {
            case 0:
                string other = tensors[random.Next(tensors.Length)];
                file.Header[tensor]!["data_offsets"] = Offsets(other).DeepClone();
                return ($"{tensor} given the offsets of {other}", file.ToBytes());
            case 1:
                long shift = 4L * random.Next(-3, 4) * (random.Next(2) == 0 ? 1 : 1_000_000_000_000);
                var offsets = Offsets(tensor);
                int which = random.Next(3);
                for (int k = 0; k < 2; k++)
                {
                    if (which == 2 || which == k)
                    {
                        offsets[k] = offsets[k]!.GetValue<long>() + shift;
                    }
                }

                return ($"{tensor} offsets ({which}) shifted by {shift}", file.ToBytes());
            case 2:
                var shape = new JsonArray(Enumerable.Range(0, random.Next(4)).Select(_ => (JsonNode)JsonValue.Create(random.Next(4) switch
                {
                    0 => random.Next(-2, 10),
                    1 => random.NextInt64(),
                    2 => (long)int.MaxValue + random.Next(3),
                    _ => 1L << random.Next(63),
                })).ToArray());
                file.Header[tensor]!["shape"] = shape;
                return ($"{tensor} shape {shape.ToJsonString()}", file.ToBytes());
            case 3:
                int index = random.Next(file.Data.Length / 4);
                float value = random.Next(3) switch { 0 => float.NaN, 1 => float.PositiveInfinity, _ => float.NegativeInfinity };
                BinaryPrimitives.WriteSingleLittleEndian(file.Data.AsSpan(4 * index), value);
                return ($"float {index} set to {value}", file.ToBytes());
            case 4:
                // A key given twice, at the top level, in the metadata or in a tensor.
                string text = file.Header.ToJsonString();
                var (anchor, property) = random.Next(3) switch
                {
                    0 => ("{", $"\"{tensor}\":{file.Header[tensor]!.ToJsonString()},"),
                    1 => ("\"__metadata__\":{", $"\"{key}\":{file.Metadata[key]!.ToJsonString()},"),
                    _ => ($"\"{tensor}\":{{", "\"dtype\":\"F32\","),
                };
                int at = text.IndexOf(anchor, StringComparison.Ordinal) + anchor.Length;
                return ($"duplicated {property}", ModelFileBytes.Assemble(text.Insert(at, property), file.Data));
            case 5:
                string newValue = MetadataValues[random.Next(MetadataValues.Length)];
                file.Metadata[key] = newValue;
                return ($"metadata {key} = '{newValue}'", file.ToBytes(rehash: random.Next(4) != 0));
            case 6:
                file.Metadata.Remove(key);
                return ($"metadata {key} removed", file.ToBytes());
            case 7:
                file.Header.Remove(tensor);
                return ($"tensor {tensor} removed", file.ToBytes());
            case 8:
                string dtype = Dtypes[random.Next(Dtypes.Length)];
                file.Header[tensor]!["dtype"] = dtype;
                return ($"{tensor} dtype '{dtype}'", file.ToBytes());
            case 9:
                file.Header[tensor]!["data_offsets"] = new JsonArray(Enumerable.Range(0, random.Next(4)).Select(_ => (JsonNode)JsonValue.Create(random.NextInt64(-5, 1L << 40))).ToArray());
                return ($"{tensor} offsets {file.Header[tensor]!["data_offsets"]!.ToJsonString()}", file.ToBytes());
            case 10:
                // Two tensors of the same size swap places: only the writer's canonical layout tells.
                var sameSize = tensors.Where(t => t != tensor && Size(Offsets(t)) == Size(Offsets(tensor))).ToArray();
                if (sameSize.Length == 0)
                {
                    file.Header[tensor]!["extra"] = 1;
                    return ($"{tensor} given an extra key", file.ToBytes());
                }

                string partner = sameSize[random.Next(sameSize.Length)];
                var mine = Offsets(tensor).DeepClone();
                file.Header[tensor]!["data_offsets"] = Offsets(partner).DeepClone();
                file.Header[partner]!["data_offsets"] = mine;
                return ($"{tensor} and {partner} swap offsets", file.ToBytes());
            default:
                string name = random.Next(2) == 0 ? "extra" : "scaler.mean";
                file.Header[name] = new JsonObject { ["dtype"] = "F32", ["shape"] = new JsonArray(3), ["data_offsets"] = new JsonArray(file.Data.Length, file.Data.Length + 12) };
                file.Data = [.. file.Data, .. new byte[12]];
                return ($"tensor {name} appended", file.ToBytes());
        }

        static long Size(JsonArray offsets) => offsets[1]!.GetValue<long>() - offsets[0]!.GetValue<long>();
    }

    [Fact]
    public void Load_EveryMutationKind_IsExercised()
    {
        // The structured mutations must reach the checks behind the checksums: a fixed sample of
        // them gives at least 10 distinct error messages.
        var random = new Random(7);
        Original original = Originals()[1];
        var messages = new HashSet<string>();
        for (int i = 0; i < 300; i++)
        {
            var (_, bytes) = StructuredMutation(original.Bytes, random);
            try
            {
                ModelFile.Read(new MemoryStream(bytes), Schema, out _);
            }
            catch (ModelFormatException e)
            {
                messages.Add(Regex.Replace(e.Message, @"'[^']*'|\[[^\]]*\]|\b[0-9a-f]{64}\b|-?\d+", "#"));
            }
        }

        output.WriteLine(string.Join(Environment.NewLine, messages.Order()));
        Assert.True(messages.Count >= 10, $"only {messages.Count} distinct messages: {string.Join(" | ", messages)}");
    }
}

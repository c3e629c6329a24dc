using Autoencoder.Serialization;

namespace Autoencoder.Tests.Serialization;

/// <summary>Model files of variants: specs the builder cannot make are refused, whatever the loader.</summary>
public class VariantFileTests
{
    private static byte[] Saved(AutoencoderModel model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }

    public static TheoryData<string, string, string> Edits() => new()
    {
        // base model, metadata key, new value (the file is re-signed, so only the meaning is wrong)
        { "tied", "layer_options", "2:0.5:0:0:0" },                // options on a tied decoder layer
        { "tied", "layer_options", "2:0:0:0:1" },                  // batch normalization on a tied decoder layer
        { "tied-deep", "decoder", "4:relu,5:tanh,6:identity" },      // tied decoder activations not mirrored
        { "layers", "layer_options", "1:0:0.25:0:0,0:0.5:0:0:0" },   // not in increasing order
        { "layers", "layer_options", "0:0.5:0:0:0,0:0.5:0:0:0" },    // a layer twice
        { "layers", "layer_options", "0:0.50:0:0:0" },               // not canonical
        { "layers", "layer_options", "0:1:0:0:0" },                  // dropout 1
        { "layers", "layer_options", "3:0:0.1:0:0" },                // options on the output layer
        { "layers", "layer_options", "3:0:0:0:1" },                  // batch normalization on the output layer
        { "layers", "layer_options", "0:0:0:0:0" },                  // an entry with nothing set
        { "layers", "layer_options", "00:0.5:0:0:0" },               // a layer index not canonical
        { "layers", "layer_options", "+0:0.5:0:0:0" },
        { "layers", "layer_options", ":0.5:0:0:0" },
        { "layers", "layer_options", "0:0.5:0:0" },                  // four fields, as version 2 wrote them
        { "layers", "layer_options", "0:0.5:0:0:0:0" },              // six fields
        { "layers", "layer_options", "0:0.5:0:0:0," },               // an empty entry
        { "layers", "layer_options", "0: 0.5:0:0:0" },
        { "layers", "layer_options", "0:0.5:0:0:2" },                // batch_norm neither 0 nor 1
        { "layers", "layer_options", "0:0.5:0:0:true" },
        { "layers", "layer_options", "0:0.5:0:0:01" },
        { "layers", "layer_options", "0:0.5:0:0:" },
        { "variational", "layer_options", "1:0:0:0:1" },             // batch normalization on a variational head
        { "contractive", "layer_options", "0:0:0:0:1" },             // batch normalization under a contractive penalty
        { "layers", "variational", "true" },                         // a relu latent cannot be a variational head
        { "variational", "variational", "True" },
        { "variational", "encoder", "5:elu,1500000000:identity" },  // a head wider than an int
        { "variational", "sparsity", "0.1:1" },
        { "tied", "tied_weights", "false" },
        { "layers", "contractive", "0.5" },                          // two encoder layers
        { "layers", "contractive", "0" },
        { "sparse", "sparsity", "0:1" },
        { "sparse", "sparsity", "0.1:-1" },
        { "sparse", "sparsity", "0.1" },
        { "sparse", "encoder", "4:relu,3:tanh" },                    // sparsity needs a sigmoid latent
    };

    private static AutoencoderModel Base(string name)
    {
        var builder = new AutoencoderBuilder(6).WithSeed(2);
        return (name switch
        {
            "tied" => builder.WithLatent(3, Activation.Tanh).WithTiedWeights(),
            "tied-deep" => builder.AddEncoderLayer(5, Activation.Tanh).AddEncoderLayer(4, Activation.Gelu).WithLatent(2).WithTiedWeights(),
            "layers" => builder.AddEncoderLayer(5, Activation.Relu, new LayerOptions { Dropout = 0.5 }).WithLatent(3, Activation.Relu, new LayerOptions { ActivityL1 = 0.25 }).AddDecoderLayer(4),
            "variational" => builder.AddEncoderLayer(5, Activation.Elu).WithVariationalLatent(2),
            "sparse" => builder.AddEncoderLayer(4).WithLatent(3, Activation.Sigmoid).WithSparsity(0.1, 1),
            "contractive" => builder.WithLatent(3, Activation.Sigmoid).WithContractivePenalty(0.5),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        }).Build();
    }

    [Theory]
    [MemberData(nameof(Edits))]
    public void Load_ASpecTheBuilderCannotMake_ThrowsModelFormatException_ForEveryLoader(string model, string key, string value)
    {
        var file = ModelFileBytes.Parse(Saved(Base(model)));
        file.Metadata[key] = value;
        byte[] bytes = file.ToBytes();
        Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new MemoryStream(bytes)));
        Assert.Throws<ModelFormatException>(() => AnomalyDetector.Load(new MemoryStream(bytes)));
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, bytes);
            Assert.Throws<ModelFormatException>(() => TrainingCheckpoint.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Builder_RefusesAVariationalLatentWiderThanHalfAnInt()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AutoencoderBuilder(2).WithVariationalLatent(1_200_000_000));
        Assert.Equal("units", error.ParamName);
    }
}

/// <summary>Review follow-ups on files: layer counts checked against the header first, exact temporary names, checkpoint ranges, oversized models.</summary>
public class FileEdgeTests
{
    [Fact]
    public void Load_MoreLayersThanTensors_IsRefusedBeforeBuildingTables()
    {
        using var stream = new MemoryStream();
        new AutoencoderBuilder(3).WithLatent(2).WithSeed(1).Build().Save(stream);
        var file = ModelFileBytes.Parse(stream.ToArray());
        file.Metadata["encoder"] = string.Join(",", Enumerable.Repeat("1:relu", 5_000)) + ",2:identity";
        var error = Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new MemoryStream(file.ToBytes())));
        Assert.Contains("layers but the header lists only", error.Message);
    }

    [Fact]
    public void Save_DeletesOnlyItsOwnOrphanedTemporaryFiles()
    {
        string folder = Directory.CreateTempSubdirectory("autoencoder-atomic-").FullName;
        try
        {
            string[] others = [".model.safetensors.backup.tmp", ".model.safetensors.v2.safetensors.0123.tmp", ".model.safetensors.0123456789ABCDEF0123456789abcdef.tmp"];
            foreach (string name in others)
            {
                File.WriteAllText(Path.Combine(folder, name), "keep me");
            }

            string orphan = Path.Combine(folder, ".model.safetensors.0123456789abcdef0123456789abcdef.tmp");
            File.WriteAllText(orphan, "left by a crash");
            new AutoencoderBuilder(3).WithLatent(2).Build().Save(Path.Combine(folder, "model.safetensors"));
            Assert.False(File.Exists(orphan));
            Assert.All(others, name => Assert.True(File.Exists(Path.Combine(folder, name)), name));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static TheoryData<string, string> CheckpointEdits() => new()
    {
        { "best_epoch", "99" },
        { "learning_rate", "-1" },
        { "epochs_without_improvement", "1000" },
        { "loss_sum", "-5" },
    };

    [Theory]
    [MemberData(nameof(CheckpointEdits))]
    public void CheckpointLoad_ValuesTheWriterNeverWrites_AreRefused(string key, string value)
    {
        string folder = Directory.CreateTempSubdirectory("autoencoder-ckpt-").FullName;
        try
        {
            string path = Path.Combine(folder, "run.ckpt");
            AutoencoderModel model = new AutoencoderBuilder(4).WithLatent(2).WithSeed(1).Build();
            model.Fit(TestData.Matrix(20, 4, seed: 1), new TrainingOptions { Epochs = 2, EarlyStopping = new EarlyStopping(), CheckpointPath = path });
            Assert.NotNull(TrainingCheckpoint.Load(path));
            var file = ModelFileBytes.Parse(File.ReadAllBytes(path));
            file.Metadata[key] = value;
            File.WriteAllBytes(path, file.ToBytes());
            Assert.Throws<ModelFormatException>(() => TrainingCheckpoint.Load(path));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Build_WithMoreWeightsThanAnArrayHolds_SaysSo()
    {
        var error = Assert.Throws<ArgumentException>(() => new AutoencoderBuilder(2).WithLatent(2_000_000_000).Build());
        Assert.Contains("weights and biases", error.Message);
    }

    [Fact]
    public void Generate_MoreSamplesThanAMatrixHolds_IsAnArgumentError()
    {
        AutoencoderModel vae = new AutoencoderBuilder(100).WithVariationalLatent(2).Build();
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => vae.Generate(30_000_000)).ParamName);
    }
}

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
        { "tied", "layer_options", "2:0.5:0:0" },                  // options on a tied decoder layer
        { "tied-deep", "decoder", "4:relu,5:tanh,6:identity" },      // tied decoder activations not mirrored
        { "layers", "layer_options", "1:0:0.25:0,0:0.5:0:0" },       // not in increasing order
        { "layers", "layer_options", "0:0.5:0:0,0:0.5:0:0" },        // a layer twice
        { "layers", "layer_options", "0:0.50:0:0" },                 // not canonical
        { "layers", "layer_options", "0:1:0:0" },                    // dropout 1
        { "layers", "layer_options", "3:0:0.1:0" },                  // options on the output layer
        { "layers", "layer_options", "0:0:0:0" },                    // an entry with nothing set
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

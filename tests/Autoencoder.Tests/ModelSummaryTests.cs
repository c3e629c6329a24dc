using System.Globalization;

namespace Autoencoder.Tests;

/// <summary>The Keras-style summary: layers, shapes, parameter counts (checked against <see cref="AutoencoderModel.ParameterCount"/>), variants and totals.</summary>
public class ModelSummaryTests
{
    [Fact]
    public void Summary_DenseModel_ListsEveryLayerAndTheTotals()
    {
        AutoencoderModel model = new AutoencoderBuilder(784).AddEncoderLayer(128).WithLatent(32, Activation.Relu)
            .WithOutputActivation(Activation.Sigmoid).WithSeed(1).Build();
        const string expected = """
            Layer      Kind   Output shape  Param #  Activation
            ===================================================
            encoder.0  dense  (128)         100,480  relu
            encoder.1  dense  (32) ← code     4,128  relu
            decoder.0  dense  (128)           4,224  relu
            decoder.1  dense  (784)         101,136  sigmoid
            ===================================================
            Total params: 209,968 (820.2 KiB)
            Trainable params: 209,968
            Non-trainable params: 0

            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), model.Summary());
        Assert.Equal(model.Summary(), model.ToString());
        Assert.Equal(209_968, model.ParameterCount); // 784·128 + 128 + 128·32 + 32 + 32·128 + 128 + 128·784 + 784
    }

    [Fact]
    public void Summary_VariationalModelWithDropout_ShowsTheHeadTheOptionsAndTheVariant()
    {
        AutoencoderModel model = new AutoencoderBuilder(784).AddEncoderLayer(64, Activation.Relu, new LayerOptions { Dropout = 0.2 })
            .WithVariationalLatent(8).WithOutputActivation(Activation.Sigmoid).WithSeed(1).Build();
        const string expected = """
            Layer      Kind           Output shape      Param #  Activation          Options
            ====================================================================================
            encoder.0  dense          (64)               50,240  relu                dropout 0.2
            encoder.1  gaussian head  (8) + (8) ← code    1,040  mean, log-variance
            decoder.0  dense          (64)                  576  relu
            decoder.1  dense          (784)              50,960  sigmoid
            ====================================================================================
            Variational: z = μ + σ·ε with 8 latent units; Encode returns μ
            Total params: 102,816 (401.6 KiB)
            Trainable params: 102,816
            Non-trainable params: 0

            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), model.Summary());
        Assert.Equal(102_816, model.ParameterCount);
    }

    [Fact]
    public void Summary_TiedSparseModel_NamesTheTiedLayersAndCountsBiasesOnly()
    {
        AutoencoderModel model = new AutoencoderBuilder(6).AddEncoderLayer(4).WithLatent(2, Activation.Sigmoid)
            .WithTiedWeights().WithSparsity(0.05, 0.1).WithSeed(1).Build();
        string summary = model.Summary();
        Assert.Contains("decoder.0  dense, tied to encoder.1  (4)                 4  relu", summary);
        Assert.Contains("decoder.1  dense, tied to encoder.0  (6)                 6  identity", summary);
        Assert.Contains("Sparsity penalty: 0.1·Σ KL(0.05 ‖ ρ̂) on the code", summary);
        Assert.Contains("Total params: 48 (0.2 KiB)", summary);
        Assert.Equal(48, model.ParameterCount);
    }

    [Fact]
    public void Summary_InAnotherCulture_IsTheSame()
    {
        AutoencoderModel model = new AutoencoderBuilder(784).AddEncoderLayer(128).WithLatent(32).WithSeed(1).Build();
        string invariant = model.Summary();
        CultureInfo previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            Assert.Equal(invariant, model.Summary());
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}

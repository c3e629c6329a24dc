using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Training;

/// <summary>
/// The exact weights training produces, pinned by SHA-256: the reference models M1–M3 and every
/// variant, trained from a fixed seed on fixed data. The same bits are promised for any thread
/// count and on every instruction-set path, so these hashes hold on every machine; a change to the
/// library's numerics shows up here and must be deliberate (then the hashes change with a reason).
/// </summary>
public class GoldenWeightsTests
{
    /// <summary>512 of the library's own 28×28 shapes: the same data on every machine.</summary>
    private static readonly Matrix<float> Images = SyntheticShapes.Generate(count: 512, seed: 1).Images;

    private static TrainingOptions Reference(Loss loss) => new()
    {
        Epochs = 2,
        BatchSize = 256,
        Loss = loss,
        Optimizer = new AdamOptions { LearningRate = 1e-3 },
        Seed = 7,
    };

    /// <summary>Each configuration: its model (built with seed 3) and its options.</summary>
    public static IEnumerable<(string Name, Func<AutoencoderBuilder> Builder, TrainingOptions Options)> Configurations()
    {
        AutoencoderBuilder Images784() => new AutoencoderBuilder(784).WithOutputActivation(Activation.Sigmoid).WithSeed(3);

        yield return ("M1", () => Images784().WithLatent(32, Activation.Relu), Reference(Loss.BinaryCrossEntropy));
        yield return ("M2", () => Images784().AddEncoderLayer(128).AddEncoderLayer(64).WithLatent(32, Activation.Relu), Reference(Loss.BinaryCrossEntropy));
        yield return ("M3", () => Images784().AddEncoderLayer(1000).AddEncoderLayer(500).AddEncoderLayer(250).WithLatent(30, Activation.Relu), Reference(Loss.MeanSquaredError));
        yield return ("variational", () => Images784().AddEncoderLayer(64).WithVariationalLatent(8), Reference(Loss.BinaryCrossEntropy) with { KlWarmUpEpochs = 1 });
        yield return ("tied", () => Images784().AddEncoderLayer(64).WithLatent(16, Activation.Relu).WithTiedWeights(), Reference(Loss.BinaryCrossEntropy));
        yield return ("sparse", () => Images784().AddEncoderLayer(64).WithLatent(16, Activation.Sigmoid).WithSparsity(0.05, 0.1), Reference(Loss.BinaryCrossEntropy));
        yield return ("contractive", () => Images784().WithLatent(32, Activation.Sigmoid).WithContractivePenalty(1e-3), Reference(Loss.BinaryCrossEntropy));
        yield return ("denoising", () => Images784().AddEncoderLayer(64).WithLatent(16, Activation.Relu), Reference(Loss.BinaryCrossEntropy) with { Corruption = new GaussianNoise(0.3) });
        yield return ("dropout and activity penalties", () => Images784()
            .AddEncoderLayer(64, Activation.Elu, new LayerOptions { Dropout = 0.2, ActivityL1 = 1e-5 })
            .WithLatent(16, Activation.Tanh, new LayerOptions { ActivityL2 = 1e-4 })
            .AddDecoderLayer(64, Activation.Gelu), Reference(Loss.BinaryCrossEntropy) with { Corruption = new MaskingNoise(0.2) });
        yield return ("SGD, clipping, plateau, validation", () => Images784().AddEncoderLayer(64, Activation.LeakyRelu).WithLatent(16, Activation.Softplus),
            Reference(Loss.MeanSquaredError) with
            {
                Optimizer = new SgdOptions { LearningRate = 0.05, Momentum = 0.9, Nesterov = true, WeightDecay = 1e-4 },
                GradientClipNorm = 0.5,
                LearningRateSchedule = new ReduceOnPlateau(Factor: 0.5, Patience: 0),
                ValidationFraction = 0.25,
                Epochs = 3,
            });
        yield return ("AdamW, early stopping, salt and pepper", () => Images784().AddEncoderLayer(64).WithLatent(16, Activation.Identity),
            Reference(Loss.BinaryCrossEntropy) with
            {
                Optimizer = new AdamWOptions { LearningRate = 2e-3, WeightDecay = 0.05 },
                EarlyStopping = new EarlyStopping { Patience = 1, RestoreBestWeights = true },
                ValidationFraction = 0.25,
                Corruption = new SaltAndPepperNoise(0.1),
                Epochs = 3,
            });
    }

    /// <summary>SHA-256 of the trained weights, as little-endian float32 in the parameter buffer's order.</summary>
    internal static string Train(Func<AutoencoderBuilder> builder, TrainingOptions options)
    {
        AutoencoderModel model = builder().Build();
        model.Fit(Images, options);
        return Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(model.Network.Parameters.AsSpan())));
    }

    /// <summary>Measured with AVX2, with AVX2 off, with all intrinsics off and on one core: the same every time.</summary>
    private static readonly Dictionary<string, string> Expected = new()
    {
        ["AdamW, early stopping, salt and pepper"] = "a10d7c98e11865600a6abf5f785263aefc1891e909c2b7d13eec8193aeffff49",
        ["M1"] = "1b919e3ea5564b091b54098f1f8ffa1b8df58fa7473dd7b0da2bdffdf4235d78",
        ["M2"] = "063ee73a3f82c1a68446a8bb65d5db6fa8fab31969e7a367bbc48f1773ff5766",
        ["M3"] = "8567908cb6a9ccacb58f685d0ed87802f2e139f00081baf61a963bf69dd05ab6",
        ["SGD, clipping, plateau, validation"] = "2231132e434ab263e95f3494a9fb19d5af96842972a74c93f96355adcfe04830",
        ["contractive"] = "211a5f586245194c81d71534ccd0b9971998197e2cceca3eedda88d44b84543b",
        ["denoising"] = "b3105f0b9abc3c239e3418e81056b34fdb518f93517c3c484f6122b5a05c5a8e",
        ["dropout and activity penalties"] = "163f96f3c3a9353f935c10a5e6679f233a81c899f7129418934030f551fc8f30",
        ["sparse"] = "693ade462fa8c31ea5efb90bdca2996acb461ef22056ee50c659d08e16c0c526",
        ["tied"] = "d9cccc352e3aba56cd3c40e1eb1d332da17122f73b0fd15d58dc0e421b0b6272",
        ["variational"] = "9b554500d11b1465b130929d8698050679fe05a4dbd4681a81f627ecf165ffcc",
    };

    public static TheoryData<string> Names() => new(Configurations().Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Fit_FromAFixedSeed_GivesThePinnedWeights(string name)
    {
        var (_, builder, options) = Configurations().Single(c => c.Name == name);
        string actual = Train(builder, options);
        Assert.True(Expected[name] == actual, $"{name}: trained weights hash to {actual}; pinned {Expected[name]}.");
    }
}

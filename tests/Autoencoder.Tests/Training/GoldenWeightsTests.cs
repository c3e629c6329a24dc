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

    /// <summary>
    /// Measured with AVX-512, with AVX-512 off, with AVX2 off, with all intrinsics off and on one core: the same
    /// every time. Last changed when the sigmoid took the float exponential (FloatExponential.cs).
    /// </summary>
    private static readonly Dictionary<string, string> Expected = new()
    {
        ["AdamW, early stopping, salt and pepper"] = "6b7804d5929ed586a7d3a7c592a759d0a3b4c51982bae3a4498c640deaac9d5f",
        ["M1"] = "ed67e195e0220fbb083466676d96661839e53457fc2ff2abc17c92fde37c5cbc",
        ["M2"] = "105cbeb4a6cab089e61f5f86aee0521ed96742a85e27231a4413d92e410cb48d",
        ["M3"] = "eb5359d737ab79b36572dac1e34de77db13aaeebec3fb779fb04abcef80d457e",
        ["SGD, clipping, plateau, validation"] = "2daf9ab17d21dc5b989cdf8c1cca0772cde8dd79aab69f830cf83423a3f7d7f7",
        ["contractive"] = "355a431d868efee28e09a583a388b5f89e2863a270de7253013d6d79fb9d0b9d",
        ["denoising"] = "bdae979336f9c28fac79b30babf9ba2a2dcdd5b26dd359a21bbb8e0617c168da",
        ["dropout and activity penalties"] = "2be2388e319502037c84c0858b5814d840247baa2cd47dc2bf664201d067ef43",
        ["sparse"] = "1508f7da640caaaff30d4653964f6a519127ce80b8384bec43d2f793bb14ff5e",
        ["tied"] = "0c5d9999b0879bf9caa54f95f32539f572c42a81196f4c0f64fd235ff43db06c",
        ["variational"] = "2b181dc0e606271e8c7715502e7b04cd13e71c9b25ef4faae4b9653a78073a37",
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

using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Training;

/// <summary>
/// Trains a fixed set of small models, one per variant, and prints one line per model: its name,
/// the SHA-256 of its trained weights and the SHA-256 of its loss history. The test host computes
/// the same lines in process; <see cref="InstructionSetDeterminismTests"/> starts this assembly as a
/// child process (argument <c>training-hashes</c>) with instruction sets switched off and compares.
/// </summary>
internal static class TrainingHashesProgram
{
    public const string Command = "training-hashes";

    /// <summary>One training run: a model, its data and its options, all fixed by constants.</summary>
    internal sealed record Scenario(string Name, Func<AutoencoderModel> Build, Matrix<float> Data, TrainingOptions Options);

    /// <summary>
    /// 301 features (two depth blocks of the matrix kernel in the first layer), 51 rows in batches
    /// of 25 (the last batch has one row, which takes the one-row product), hidden widths 37 and 7
    /// (element counts that leave scalar tails at every vector width).
    /// </summary>
    private const int Features = 301;

    private static readonly Matrix<float> Small = TestData.LowRank(51, Features, rank: 5, seed: 11);

    private static readonly Matrix<float> SmallValidation = TestData.LowRank(13, Features, rank: 5, seed: 12);

    private static readonly TrainingOptions Base = new() { Epochs = 3, BatchSize = 25, Seed = 3 };

    public static IReadOnlyList<Scenario> Scenarios { get; } = CreateScenarios();

    public static int Run()
    {
        foreach (string line in Lines())
        {
            Console.WriteLine(line);
        }

        return 0;
    }

    /// <summary>Trains every scenario and returns its line, <c>name weights=… losses=…</c>.</summary>
    public static List<string> Lines()
    {
        var lines = new List<string>();
        foreach (Scenario scenario in Scenarios)
        {
            AutoencoderModel model = scenario.Build();
            TrainingHistory history = model.Fit(scenario.Data, scenario.Options);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{scenario.Name} weights={Hash([.. model.Network.Parameters, .. model.Network.State])} losses={HashHistory(history)}"));
        }

        return lines;
    }

    private static string Hash(float[] values) => Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(values.AsSpan())));

    private static string HashHistory(TrainingHistory history)
    {
        var values = new List<double>();
        foreach (EpochResult epoch in history.Epochs)
        {
            values.Add(epoch.TrainLoss);
            values.Add(epoch.ValidationLoss ?? double.NaN);
        }

        return Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(values))));
    }

    private static List<Scenario> CreateScenarios()
    {
        var list = new List<Scenario>();
        foreach (Activation activation in Enum.GetValues<Activation>())
        {
            list.Add(new($"dense {activation} mse", () => new AutoencoderBuilder(Features).AddEncoderLayer(37, activation)
                .WithLatent(7, activation).WithOutputActivation(activation).WithSeed(1).Build(), Small, Base));
        }

        AutoencoderModel Plain() => new AutoencoderBuilder(Features).AddEncoderLayer(37, Activation.Elu).WithLatent(7)
            .WithOutputActivation(Activation.Sigmoid).WithSeed(2).Build();
        TrainingOptions crossEntropy = Base with { Loss = Loss.BinaryCrossEntropy };
        list.Add(new("cross-entropy on logits", Plain, Small, crossEntropy));
        list.Add(new("cross-entropy on probabilities", () => new AutoencoderBuilder(Features).AddEncoderLayer(37, Activation.Gelu)
            .WithLatent(7).WithOutputActivation(Activation.Softplus).WithSeed(2).Build(), Small, crossEntropy));
        list.Add(new("gaussian noise", Plain, Small, Base with { Corruption = new GaussianNoise(0.2) }));
        list.Add(new("masking noise", Plain, Small, crossEntropy with { Corruption = new MaskingNoise(0.3) }));
        list.Add(new("salt-and-pepper noise", Plain, Small, Base with { Corruption = new SaltAndPepperNoise(0.1) }));
        list.Add(new("dropout and activity penalties", () => new AutoencoderBuilder(Features)
            .AddEncoderLayer(37, Activation.Tanh, new LayerOptions { Dropout = 0.2, ActivityL1 = 1e-4, ActivityL2 = 1e-4 })
            .WithLatent(7, Activation.Softplus).WithOutputActivation(Activation.Sigmoid).WithSeed(4).Build(), Small, crossEntropy));
        list.Add(new("sparse", () => new AutoencoderBuilder(Features).AddEncoderLayer(37, Activation.LeakyRelu)
            .WithLatent(7, Activation.Sigmoid).WithSparsity(0.05, 0.1).WithOutputActivation(Activation.Sigmoid).WithSeed(5).Build(), Small, crossEntropy));
        list.Add(new("contractive", () => new AutoencoderBuilder(Features).WithLatent(19, Activation.Sigmoid)
            .WithContractivePenalty(0.01).WithOutputActivation(Activation.Sigmoid).WithSeed(6).Build(), Small, Base));
        list.Add(new("tied", () => new AutoencoderBuilder(Features).AddEncoderLayer(37, Activation.Gelu).WithLatent(7, Activation.Tanh)
            .WithTiedWeights().WithOutputActivation(Activation.Sigmoid).WithSeed(7).Build(), Small, crossEntropy));
        list.Add(new("variational, cross-entropy", () => new AutoencoderBuilder(Features).AddEncoderLayer(37, Activation.Softplus)
            .WithVariationalLatent(5).WithOutputActivation(Activation.Sigmoid).WithSeed(8).Build(), Small, crossEntropy with { KlWarmUpEpochs = 1 }));
        list.Add(new("variational, squared error", () => new AutoencoderBuilder(Features).AddEncoderLayer(37, Activation.Relu)
            .WithVariationalLatent(5).WithOutputActivation(Activation.Identity).WithSeed(8).Build(), Small, Base));
        list.Add(new("batch normalization", () => new AutoencoderBuilder(Features)
            .AddEncoderLayer(37, Activation.Relu, new LayerOptions { BatchNormalization = true, Dropout = 0.1 })
            .WithLatent(7, Activation.Tanh, new LayerOptions { BatchNormalization = true }).WithOutputActivation(Activation.Sigmoid).WithSeed(10).Build(),
            Small, crossEntropy with { BatchSize = 20 })); // 51 rows in batches of 25 would leave one, which batch normalization refuses
        list.Add(new("mean absolute error", Plain, Small, Base with { Loss = Loss.MeanAbsoluteError }));
        list.Add(new("huber", Plain, Small, Base with { Loss = Loss.Huber(0.05) }));
        list.Add(new("sgd", Plain, Small, Base with { Optimizer = new SgdOptions { LearningRate = 0.05 } }));
        list.Add(new("sgd with nesterov momentum and weight decay", Plain, Small,
            Base with { Optimizer = new SgdOptions { LearningRate = 0.05, Momentum = 0.9, Nesterov = true, WeightDecay = 1e-3 } }));
        list.Add(new("adam with weight decay", Plain, Small, Base with { Optimizer = new AdamOptions { WeightDecay = 1e-3 } }));
        list.Add(new("adamw", Plain, Small, crossEntropy with { Optimizer = new AdamWOptions() }));
        list.Add(new("gradient clipping", Plain, Small, Base with { GradientClipNorm = 0.05 }));
        list.Add(new("validation, early stopping, plateau schedule", Plain, Small, crossEntropy with
        {
            Epochs = 5,
            ValidationData = SmallValidation,
            EarlyStopping = new EarlyStopping { Patience = 2 },
            LearningRateSchedule = new ReduceOnPlateau(Factor: 0.5, Patience: 1),
        }));

        // Convolutions: channel counts that take every register width of the direct kernels (20 = 16 + 4,
        // 17 = 16 + 1, 5 = 4 + 1, 3 and 1 scalar), both lane orders of the kernel gradient, pooling,
        // upsampling, a transposed convolution and per-channel batch normalization.
        list.Add(new("conv odd channel counts", () => new AutoencoderBuilder(channels: 3, height: 9, width: 7)
            .AddEncoderLayer(LayerDefinition.Conv2D(20, 3, Activation.Tanh, Padding.Same))
            .WithLatent(LayerDefinition.Conv2D(5, (2, 3), (1, 1), Padding.Same, Activation.Relu))
            .AddDecoderLayer(LayerDefinition.Conv2D(17, 3, Activation.Elu, Padding.Same))
            .AddDecoderLayer(LayerDefinition.Conv2D(3, 3, Activation.Sigmoid, Padding.Same))
            .WithSeed(12).Build(), TestData.Matrix(23, 3 * 9 * 7, seed: 21), crossEntropy with { BatchSize = 10 }));
        list.Add(new("conv every kind", () => ConvModels.EveryKind(13).Build(), TestData.Matrix(23, 2 * 6 * 5, seed: 22), crossEntropy with { BatchSize = 10 }));
        list.Add(new("conv keras blog", () => ConvModels.KerasBlog(14).Build(), TestData.Matrix(12, 28 * 28, seed: 23),
            new TrainingOptions { Epochs = 1, BatchSize = 6, Loss = Loss.BinaryCrossEntropy, Seed = 3 }));

        // Large enough that products are split across threads and element-wise work runs in halves.
        list.Add(new("large", () => new AutoencoderBuilder(784).AddEncoderLayer(256).WithLatent(32)
            .WithOutputActivation(Activation.Sigmoid).WithSeed(9).Build(), TestData.LowRank(300, 784, rank: 20, seed: 1),
            new TrainingOptions { Epochs = 2, BatchSize = 128, Loss = Loss.BinaryCrossEntropy, Seed = 3 }));
        return list;
    }
}

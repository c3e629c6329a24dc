using Autoencoder.Kernels;
using Autoencoder.Losses;
using Autoencoder.Training;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Training;

/// <summary>
/// Threads split output blocks only, never a sum, so training is bit-identical whatever the thread
/// count; and once its buffers exist a training step allocates nothing.
/// </summary>
[Collection(nameof(GlobalSettingsCollection))]
public class ParallelTrainingTests
{
    [Fact]
    public void Fit_OneThreadAndTwoThreads_GiveBitIdenticalWeights()
    {
        // Shapes large enough that the products really are split across threads.
        Matrix<float> x = TestData.LowRank(600, 784, rank: 20, seed: 1);
        float[] Train(int threads)
        {
            int saved = Parallelism.MaxDegreeOfParallelism;
            Parallelism.MaxDegreeOfParallelism = threads;
            try
            {
                AutoencoderModel model = new AutoencoderBuilder(784).AddEncoderLayer(512).AddEncoderLayer(256).WithLatent(32)
                    .WithOutputActivation(Activation.Sigmoid).WithSeed(5).Build();
                model.Fit(x, new TrainingOptions { Epochs = 2, BatchSize = 256, Loss = Loss.BinaryCrossEntropy });
                return model.Network.Parameters;
            }
            finally
            {
                Parallelism.MaxDegreeOfParallelism = saved;
            }
        }

        float[] one = Train(1), two = Train(2);
        for (int i = 0; i < one.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(one[i]) != BitConverter.SingleToInt32Bits(two[i]))
            {
                Assert.Fail($"parameter {i}: 1 thread {one[i]:R}, 2 threads {two[i]:R}");
            }
        }
    }

    [Fact]
    public void TrainingStep_AfterWarmUp_AllocatesNothing()
    {
        AutoencoderModel model = new AutoencoderBuilder(784).AddEncoderLayer(256).WithLatent(32)
            .WithOutputActivation(Activation.Sigmoid).WithSeed(6).Build();
        var network = model.Network;
        var workspace = new TrainingWorkspace(network, 256);
        TestData.Uniform(workspace.Input.Length, seed: 2, low: 0f, high: 1f).CopyTo(workspace.Input, 0);
        var loss = new LossFunction(Loss.BinaryCrossEntropy, network.OutputActivation);
        var optimizer = new AdamOptions().Create(network.Parameters.Length);

        // Warm-up covers both batch sizes used below (a full batch and an epoch's partial last one).
        for (int i = 0; i < 6; i++)
        {
            Backpropagation.Run(network, workspace, i % 2 == 0 ? 256 : 100, loss);
            optimizer.Step(network.Parameters, workspace.Gradients);
        }

        // This thread runs every step; the product kernels' worker threads are covered by the GEMM tests.
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            Backpropagation.Run(network, workspace, i % 2 == 0 ? 256 : 100, loss); // full and partial batches
            optimizer.Step(network.Parameters, workspace.Gradients);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"20 training steps allocated {allocated} bytes");
    }
}

/// <summary>The same guarantees for every variant: random draws come from one generator on the training thread.</summary>
[Collection(nameof(GlobalSettingsCollection))]
public class VariantParallelTrainingTests
{
    public static TheoryData<string> Variants() => new(VariantBuilders.Keys);

    private static readonly Dictionary<string, (Func<AutoencoderBuilder> Build, InputCorruption? Noise)> VariantBuilders = new()
    {
        ["dropout, activity penalty, masking noise"] = (() => new AutoencoderBuilder(784)
            .AddEncoderLayer(256, Activation.Relu, new LayerOptions { Dropout = 0.2, ActivityL1 = 1e-5 }).WithLatent(32), new MaskingNoise(0.3)),
        ["variational, gaussian noise"] = (() => new AutoencoderBuilder(784).AddEncoderLayer(256).WithVariationalLatent(16), new GaussianNoise(0.2)),
        ["tied, sparse"] = (() => new AutoencoderBuilder(784).AddEncoderLayer(256).WithLatent(32, Activation.Sigmoid).WithSparsity(0.05, 0.1).WithTiedWeights(), null),
        ["contractive"] = (() => new AutoencoderBuilder(784).WithLatent(64, Activation.Sigmoid).WithContractivePenalty(0.01), new SaltAndPepperNoise(0.1)),
        ["batch normalization, dropout"] = (() => new AutoencoderBuilder(784)
            .AddEncoderLayer(256, Activation.Relu, new LayerOptions { BatchNormalization = true, Dropout = 0.1 })
            .WithLatent(32, Activation.Relu, new LayerOptions { BatchNormalization = true }), null),
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void TrainingStep_AfterWarmUp_AllocatesNothing(string variant)
    {
        var (build, noise) = VariantBuilders[variant];
        var network = build().WithOutputActivation(Activation.Sigmoid).WithSeed(6).Build().Network;
        var workspace = new TrainingWorkspace(network, 256, noise is not null);
        TestData.Uniform(workspace.Input.Length, seed: 2, low: 0f, high: 1f).CopyTo(workspace.Input, 0);
        var loss = new LossFunction(Loss.BinaryCrossEntropy, network.OutputActivation);
        var optimizer = new AdamOptions().Create(network.Parameters.Length);
        var settings = new StepSettings(noise, 0.5);
        var random = new Pcg32(1, 2);
        for (int i = 0; i < 6; i++)
        {
            Backpropagation.Run(network, workspace, i % 2 == 0 ? 256 : 100, loss, settings, ref random);
            optimizer.Step(network.Parameters, workspace.Gradients);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Backpropagation.Run(network, workspace, i % 2 == 0 ? 256 : 100, loss, settings, ref random);
            optimizer.Step(network.Parameters, workspace.Gradients);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{variant}: 10 training steps allocated {allocated} bytes");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Fit_OneThreadAndTwoThreads_GiveBitIdenticalWeights(string variant)
    {
        var (build, noise) = VariantBuilders[variant];
        Matrix<float> x = TestData.Matrix(300, 784, seed: 3);
        float[] Train(int threads)
        {
            int saved = Parallelism.MaxDegreeOfParallelism;
            Parallelism.MaxDegreeOfParallelism = threads;
            try
            {
                AutoencoderModel model = build().WithOutputActivation(Activation.Sigmoid).WithSeed(5).Build();
                model.Fit(x, new TrainingOptions { Epochs = 2, BatchSize = 128, Loss = Loss.BinaryCrossEntropy, Corruption = noise, GradientClipNorm = 1 });
                return [.. model.Network.Parameters, .. model.Network.State];
            }
            finally
            {
                Parallelism.MaxDegreeOfParallelism = saved;
            }
        }

        Assert.Equal(Train(1), Train(2));
    }
}

/// <summary>Tests that change process-wide settings run alone, never beside other tests.</summary>
[CollectionDefinition(nameof(GlobalSettingsCollection), DisableParallelization = true)]
public sealed class GlobalSettingsCollection;

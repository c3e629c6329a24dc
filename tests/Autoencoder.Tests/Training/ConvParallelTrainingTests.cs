using Autoencoder.Losses;
using Autoencoder.Training;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Training;

/// <summary>A convolutional model trains to the same bits on one thread and on two, and a training step allocates nothing.</summary>
[Collection(nameof(GlobalSettingsCollection))]
public class ConvParallelTrainingTests
{
    [Fact]
    public void Fit_KerasBlogModel_OneThreadAndTwoThreads_GiveBitIdenticalWeights()
    {
        // Batches of 128 images: products of 100,352 rows, which the threads split.
        Matrix<float> x = TestData.Matrix(256, 784, seed: 3);
        float[] Train(int threads)
        {
            int saved = Parallelism.MaxDegreeOfParallelism;
            Parallelism.MaxDegreeOfParallelism = threads;
            try
            {
                AutoencoderModel model = ConvModels.KerasBlog(seed: 4).Build();
                model.Fit(x, new TrainingOptions { Epochs = 1, BatchSize = 128, Loss = Loss.BinaryCrossEntropy, Seed = 1 });
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

    public static TheoryData<string> Models() => new(["keras blog", "every kind"]);

    [Theory]
    [MemberData(nameof(Models))]
    public void TrainingStep_AfterWarmUp_AllocatesNothing(string name)
    {
        var network = (name == "keras blog" ? ConvModels.KerasBlog(seed: 6) : ConvModels.EveryKind(seed: 6)).Build().Network;
        var workspace = new TrainingWorkspace(network, 128);
        TestData.Uniform(workspace.Input.Length, seed: 2, low: 0f, high: 1f).CopyTo(workspace.Input, 0);
        var loss = new LossFunction(Loss.BinaryCrossEntropy, network.OutputActivation);
        var optimizer = new AdamOptions().Create(network.Parameters.Length);
        for (int i = 0; i < 6; i++)
        {
            Backpropagation.Run(network, workspace, i % 2 == 0 ? 128 : 37, loss);
            optimizer.Step(network.Parameters, workspace.Gradients);
        }

        // This thread runs every step (and the parts of the kernels it takes); the helpers allocate nothing either (WorkerPool).
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Backpropagation.Run(network, workspace, i % 2 == 0 ? 128 : 37, loss); // full and partial batches
            optimizer.Step(network.Parameters, workspace.Gradients);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{name}: 10 training steps allocated {allocated} bytes");
    }
}

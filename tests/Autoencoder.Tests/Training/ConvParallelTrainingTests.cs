using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Training;

/// <summary>A convolutional model trains to the same bits on one thread and on two.</summary>
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
}

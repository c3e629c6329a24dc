using Autoencoder.Testing;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Orleans.Tests;

/// <summary>
/// The README's distributed example, compiled and run on the three-silo test cluster: the region
/// <c>// readme:orleans:begin … end</c> below is, without its indentation, the C# block after
/// <c>&lt;!-- readme:orleans --&gt;</c> in README.md and the one in the package's PACKAGE.md.
/// </summary>
[Collection(nameof(ThreeSilos))]
public class ReadmeExampleTests(ThreeSilos silos)
{
    [Fact]
    public async Task OrleansExample_Runs()
    {
        IClusterClient client = silos.Cluster.Client;
        Matrix<float> x = TestRows.LowRank(600, 24, rank: 4, seed: 5);
        // readme:orleans:begin
        AutoencoderModel model = new AutoencoderBuilder(inputSize: x.ColumnCount)
            .AddEncoderLayer(16).WithLatent(4).WithOutputActivation(Activation.Sigmoid).WithSeed(1).Build();
        var trainer = new DistributedTrainer(client);          // an IClusterClient (or a silo's IGrainFactory)
        DistributedTrainingResult result = await trainer.FitAsync(
            model,
            DistributedSource.FromMatrix(x),                    // sent to every silo; or FromIdxFile / FromCsvFile on a shared path
            new TrainingOptions { Epochs = 10, BatchSize = 60, Loss = Loss.BinaryCrossEntropy, Seed = 1 },
            new DistributedOptions { Workers = 3, CheckpointEveryBatches = 20 });
        AutoencoderModel trained = result.Model;                // replica 0's weights: every replica holds the same
        Console.WriteLine(string.Join(", ", result.History.TrainLoss));
        foreach (ReplicaReport r in result.Replicas)
        {
            Console.WriteLine($"replica {r.Rank} on {r.Silo}: {r.Steps} steps, {r.BytesExchanged / r.Steps} bytes a step");
        }
        // readme:orleans:end
        Assert.Equal(10, result.History.Epochs.Count);
        Assert.True(result.History.TrainLoss[^1] < result.History.TrainLoss[0], string.Join(", ", result.History.TrainLoss));
        Assert.Equal(3, result.Replicas.Count);
        Assert.Empty(result.Events);
    }

    [Fact]
    public void ReadmeAndPackagePage_ShowTheExampleThatRuns() => ReadmeBlocks.AssertDocumented("ReadmeExampleTests.cs", "readme:orleans");
}

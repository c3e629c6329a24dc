using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Orleans.Tests;

/// <summary>
/// Synchronous data parallelism on three silos: the replicas' slices summed in rank order give a
/// model bit-identical to one process computing as many slices, and within float rounding of the
/// unsplit batch.
/// </summary>
[Collection(nameof(ThreeSilos))]
public class SynchronousTrainingTests(ThreeSilos silos)
{
    private static readonly Matrix<float> Data = TestRows.LowRank(203, 24, rank: 5, seed: 11);

    private static AutoencoderModel Model(int seed = 3) =>
        new AutoencoderBuilder(24).AddEncoderLayer(16).WithLatent(6).WithOutputActivation(Activation.Sigmoid).WithSeed(seed).Build();

    private static TrainingOptions Options => new() { Epochs = 3, BatchSize = 32, Loss = Loss.BinaryCrossEntropy, Seed = 9, ValidationFraction = 0.1 };

    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    public async Task Replicas_EndBitIdenticalToOneProcessWithAsManySlices(int workers)
    {
        AutoencoderModel reference = Model();
        TrainingHistory expected = reference.Fit(Data, Options with { BatchSlices = workers });

        var trainer = new DistributedTrainer(silos.Cluster.Client);
        DistributedTrainingResult result = await trainer.FitAsync(Model(), DistributedSource.FromMatrix(Data), Options, new DistributedOptions { Workers = workers });

        Assert.Equal(File(reference), File(result.Model));
        Assert.Equal(expected.TrainLoss, result.History.TrainLoss);
        Assert.Equal(expected.ValidationLoss, result.History.ValidationLoss);
        Assert.Equal(StopReason.Completed, result.History.StopReason);

        // 183 training rows (203 less a tenth held out) in batches of 32: 6 steps an epoch.
        Assert.Equal(workers, result.Replicas.Count);
        Assert.Equal(workers, result.Replicas.Select(r => r.Silo).Distinct().Count());
        Assert.All(result.Replicas, r => Assert.Equal(18, r.Steps));
        long perStep = 2 * ((4L * reference.ParameterCount) + 8);
        Assert.All(result.Replicas, r => Assert.Equal(18 * perStep, r.BytesExchanged));
    }

    [Fact]
    public async Task Replicas_StayWithinFloatRoundingOfTheUnsplitBatch()
    {
        AutoencoderModel whole = Model();
        whole.Fit(Data, Options);
        DistributedTrainingResult result = await new DistributedTrainer(silos.Cluster.Client).FitAsync(Model(), DistributedSource.FromMatrix(Data), Options);

        Matrix<float> a = whole.Reconstruct(Data), b = result.Model.Reconstruct(Data);
        double largest = (a - b).Enumerate().Max(v => Math.Abs(v));
        Assert.True(largest < 1e-4, $"largest reconstruction difference {largest:G3}");
    }

    [Fact]
    public async Task MoreWorkersThanSilos_IsRefused()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            new DistributedTrainer(silos.Cluster.Client).FitAsync(Model(), DistributedSource.FromMatrix(Data), Options, new DistributedOptions { Workers = 4 }));
        Assert.Contains("distributed.Workers asks for 4 replicas, one per silo, but the cluster has 3 active silos", e.Message);
    }

    [Fact]
    public async Task OptionsThatCannotTravel_AreRefused()
    {
        var trainer = new DistributedTrainer(silos.Cluster.Client);
        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            trainer.FitAsync(Model(), DistributedSource.FromMatrix(Data), Options with { Callbacks = [new NoCallback()] }));
        Assert.Contains("A distributed run cannot carry options.Callbacks", e.Message);

        e = await Assert.ThrowsAsync<ArgumentException>(() =>
            trainer.FitAsync(Model(), DistributedSource.FromMatrix(Data), Options with { Loss = Loss.Huber(0.5) }));
        Assert.Contains("options.Loss must be one of the library's own kinds", e.Message);
    }

    [Fact]
    public async Task AReplicaThatFails_EndsTheRunWithItsReason()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new DistributedTrainer(silos.Cluster.Client).FitAsync(Model(), DistributedSource.FromIdxFile("/nonexistent/train-images.idx"), Options));
        // Every replica fails to open it; whichever the coordinator sees first is named.
        Assert.Matches("^Replica [0-2] on silo 127\\.0\\.0\\.1:", e.Message);
        Assert.Contains("/nonexistent/train-images.idx", e.Message);
    }

    private static byte[] File(AutoencoderModel model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }

    private sealed class NoCallback : ITrainingCallback;
}

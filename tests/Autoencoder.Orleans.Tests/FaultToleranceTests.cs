using Autoencoder.Testing;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Orleans.Tests;

/// <summary>
/// A silo stopped during an epoch: Orleans membership names it, the run continues from the newest
/// checkpoint on the two silos left, and the trained model is the one a run of three replicas up to
/// that checkpoint and two from it gives, bit for bit: no step lost, none applied twice.
/// </summary>
public class FaultToleranceTests
{
    internal static readonly Matrix<float> Data = TestRows.LowRank(1200, 64, rank: 8, seed: 21);

    internal static AutoencoderModel Model() =>
        new AutoencoderBuilder(64).AddEncoderLayer(48).WithLatent(12).WithOutputActivation(Activation.Sigmoid).WithSeed(5).Build();

    internal static TrainingOptions Options => new() { Epochs = 8, BatchSize = 48, Loss = Loss.BinaryCrossEntropy, Seed = 2 };

    [Fact]
    public async Task ASiloStoppedDuringAnEpoch_TheRunContinuesFromTheLastCheckpointOnTheOthers()
    {
        var silos = new ThreeSilos();
        await silos.InitializeAsync();
        try
        {
            var stopped = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var progress = new Watcher(p =>
            {
                // Part-way through the second epoch (25 steps an epoch).
                if (p.Epoch == 2 && p.Batch >= 5 && !stopped.Task.IsCompleted)
                {
                    stopped.TrySetResult("now");
                }
            });
            var distributed = new DistributedOptions { CheckpointEveryBatches = 4, Progress = progress, PollInterval = TimeSpan.FromMilliseconds(5) };
            Task<DistributedTrainingResult> run = new DistributedTrainer(silos.Cluster.Client).FitAsync(Model(), DistributedSource.FromMatrix(Data), Options, distributed);
            await stopped.Task.WaitAsync(TimeSpan.FromMinutes(2));
            var victim = silos.Cluster.SecondarySilos[^1];
            await silos.Cluster.StopSiloAsync(victim);
            DistributedTrainingResult result = await run.WaitAsync(TimeSpan.FromMinutes(3));

            DistributedEvent lost = Assert.Single(result.Events);
            Assert.Equal([victim.SiloAddress.ToParsableString()], lost.LostSilos);
            Assert.Equal(2, lost.Replicas);
            Assert.True(lost.ResumedEpoch >= 2, $"resumed from epoch {lost.ResumedEpoch}");
            Assert.True((lost.ResumedEpoch, lost.ResumedBatch).CompareTo((lost.Epoch, lost.Batch + 1)) <= 0, lost.Message);
            Assert.Equal(2, result.Replicas.Count);
            Assert.Equal(8, result.History.Epochs.Count);
            Assert.Equal(StopReason.Completed, result.History.StopReason);

            Assert.Equal(File(Reference(lost)), File(result.Model));
        }
        finally
        {
            await silos.DisposeAsync();
        }
    }

    /// <summary>The reference: three replicas on threads to the checkpoint the run continued from, two from it.</summary>
    internal static AutoencoderModel Reference(DistributedEvent lost)
    {
        string folder = Directory.CreateTempSubdirectory("autoencoder-orleans-reference").FullName;
        try
        {
            TrainingOptions Replica(IGradientReducer reducer, string name) =>
                Options with { GradientReducer = reducer, CheckpointPath = Path.Combine(folder, name), CheckpointEveryBatches = 4 };
            ThreadReplicas.Run(3, (rank, reducer) => Model().Fit(
                Data, Replica(reducer, $"first-{rank}") with { Callbacks = [new ThreadReplicas.StopAt(lost.ResumedEpoch, lost.ResumedBatch)] }));
            return ThreadReplicas.Run(2, (rank, reducer) =>
            {
                TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(Path.Combine(folder, "first-0"));
                Assert.Equal((lost.ResumedEpoch, lost.ResumedBatch), (checkpoint.Epoch, checkpoint.Batch));
                checkpoint.Resume(Data, Replica(reducer, $"second-{rank}"));
                return checkpoint.Model;
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    internal static byte[] File(AutoencoderModel model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }

    internal sealed class Watcher(Action<DistributedProgress> report) : IProgress<DistributedProgress>
    {
        public void Report(DistributedProgress value) => report(value);
    }
}

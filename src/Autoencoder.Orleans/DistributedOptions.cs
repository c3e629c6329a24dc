namespace Autoencoder.Orleans;

/// <summary>How <see cref="DistributedTrainer"/> spreads a run over the cluster's silos.</summary>
public sealed record DistributedOptions
{
    /// <summary>
    /// How many replicas to train, one per silo, on the first silos in the order of their addresses;
    /// null (the default) for every active silo. Each batch of <see cref="TrainingOptions.BatchSize"/>
    /// rows is cut into this many slices, so the batch is the global one whatever the count.
    /// </summary>
    public int? Workers { get; init; }

    /// <summary>How often the coordinator asks the replicas where they stand. Default 50 ms; from 1 ms to 10 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Every replica writes a checkpoint (to its silo's temporary folder) at the end of every epoch and
    /// every this many batches; when a silo is lost the run continues from the newest one. Positive;
    /// default 50. Smaller loses less work at a fault and costs a file write per checkpoint.
    /// </summary>
    public int CheckpointEveryBatches { get; init; } = 50;

    /// <summary>
    /// How long to wait, after a replica could not exchange a step, for Orleans membership to declare
    /// a silo gone before the run is given up as failed. Default 60 s (a silo that stops cleanly is
    /// declared at once; one that dies is declared when its peers' probes time out).
    /// </summary>
    public TimeSpan FailureDetectionTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Told at every poll where the run stands; null (the default) for none.</summary>
    public IProgress<DistributedProgress>? Progress { get; init; }

    internal void Validate()
    {
        if (CheckpointEveryBatches < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CheckpointEveryBatches), Invariant($"distributed.CheckpointEveryBatches must be at least 1; got {CheckpointEveryBatches}."));
        }

        if (FailureDetectionTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(FailureDetectionTimeout), Invariant($"distributed.FailureDetectionTimeout must be positive; got {FailureDetectionTimeout}."));
        }

        if (Workers is int workers && workers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Workers), Invariant($"distributed.Workers must be at least 1, or null for every active silo; got {workers}."));
        }

        if (PollInterval < TimeSpan.FromMilliseconds(1) || PollInterval > TimeSpan.FromSeconds(10))
        {
            throw new ArgumentOutOfRangeException(nameof(PollInterval), Invariant($"distributed.PollInterval must be from 1 ms to 10 s; got {PollInterval.TotalMilliseconds} ms."));
        }
    }
}

/// <summary>Where a distributed run stands.</summary>
/// <param name="Replicas">The replicas training now.</param>
/// <param name="Epoch">The epoch of replica 0's last step, from 1 (0 before the first step).</param>
/// <param name="Batch">The batch of replica 0's last step within its epoch, from 0.</param>
/// <param name="Steps">Steps replica 0 has taken since the run (or its last restart) began.</param>
/// <param name="Restarts">How many times the run has continued from a checkpoint after losing a silo.</param>
public sealed record DistributedProgress(int Replicas, int Epoch, int Batch, long Steps, int Restarts);

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

    /// <summary>
    /// How the replicas agree: <see cref="DistributedMode.Synchronous"/> (the default) sums every step's
    /// gradients; <see cref="DistributedMode.ModelAveraging"/> lets each replica step on its own slice and
    /// averages parameters, running statistics and optimizer buffers every <see cref="AveragingInterval"/>
    /// steps and at the end of every epoch, for networks too slow to exchange every step.
    /// </summary>
    public DistributedMode Mode { get; init; } = DistributedMode.Synchronous;

    /// <summary>With <see cref="DistributedMode.ModelAveraging"/>: the local steps between two averagings (H); positive, default 8.</summary>
    public int AveragingInterval { get; init; } = 8;

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
        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), Invariant($"distributed.Mode must be Synchronous or ModelAveraging; got {(int)Mode}."));
        }

        if (AveragingInterval < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(AveragingInterval), Invariant($"distributed.AveragingInterval must be at least 1; got {AveragingInterval}."));
        }

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

/// <summary>How the replicas of a distributed run agree.</summary>
public enum DistributedMode
{
    /// <summary>Every step, the slices' gradients are summed in rank order and every replica applies the same step (the replicas stay bit-identical).</summary>
    Synchronous,

    /// <summary>Each replica steps on its own slice; every few steps the replicas' parameters and optimizer buffers are averaged in rank order (local SGD).</summary>
    ModelAveraging,
}

/// <summary>Where a distributed run stands.</summary>
/// <param name="Replicas">The replicas training now.</param>
/// <param name="Epoch">The epoch of replica 0's last step, from 1 (0 before the first step).</param>
/// <param name="Batch">The batch of replica 0's last step within its epoch, from 0.</param>
/// <param name="Steps">Steps replica 0 has taken since the run (or its last restart) began.</param>
/// <param name="Restarts">How many times the run has continued from a checkpoint after losing a silo.</param>
public sealed record DistributedProgress(int Replicas, int Epoch, int Batch, long Steps, int Restarts);

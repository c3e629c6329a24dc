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

    internal void Validate()
    {
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

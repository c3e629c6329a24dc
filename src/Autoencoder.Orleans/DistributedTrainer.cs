using System.Diagnostics;
using Orleans.Runtime;

namespace Autoencoder.Orleans;

/// <summary>
/// Trains one model on several silos of an Orleans cluster by synchronous data parallelism: every
/// replica starts from the same weights, computes the gradient of its slice of each batch, the
/// slices are added in rank order by the run's exchange, and every replica applies the same
/// optimizer step, so the replicas stay identical — and equal, bit for bit, to one process training
/// with <see cref="TrainingOptions.BatchSlices"/> set to the number of replicas.
/// </summary>
/// <remarks>Every silo must call <see cref="SiloBuilderExtensions.AddAutoencoderTraining"/>.</remarks>
/// <param name="grains">The cluster client (or a silo's grain factory).</param>
public sealed class DistributedTrainer(IGrainFactory grains)
{
    private readonly IGrainFactory _grains = grains ?? throw new ArgumentNullException(nameof(grains));

    /// <summary>
    /// Trains a copy of <paramref name="model"/> on <paramref name="source"/> with
    /// <paramref name="options"/> on the cluster's silos, and returns the trained model with the
    /// history. The options are those of <c>Fit</c>; the ones that cannot travel to a silo (progress
    /// reports, callbacks, checkpoint files, a validation source, custom loss or noise types) are refused.
    /// </summary>
    /// <param name="model">The model to train; it is sent as a file and left unchanged.</param>
    /// <param name="source">The training data, as every silo opens it.</param>
    /// <param name="options">The training options; null for the defaults.</param>
    /// <param name="distributed">How many silos to use; null for every active one.</param>
    /// <param name="cancellationToken">Stops every replica after its current step; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The trained model, the history and each replica's report.</returns>
    /// <exception cref="ArgumentException">An option cannot travel to the silos, or the cluster has fewer active silos than workers asked for.</exception>
    /// <exception cref="InvalidOperationException">A replica failed; the message says which and why.</exception>
    public async Task<DistributedTrainingResult> FitAsync(
        AutoencoderModel model, DistributedSource source, TrainingOptions? options = null, DistributedOptions? distributed = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        distributed ??= new DistributedOptions();
        distributed.Validate();
        TrainingPlan plan = TrainingPlan.From(options ?? new TrainingOptions());

        SiloAddress[] silos = await ActiveSilos().ConfigureAwait(false);
        int workers = distributed.Workers ?? silos.Length;
        if (workers > silos.Length)
        {
            throw new ArgumentException(Invariant($"distributed.Workers asks for {workers} replicas, one per silo, but the cluster has {silos.Length} active silos."), nameof(distributed));
        }

        if (workers > plan.BatchSize)
        {
            throw new ArgumentException(Invariant($"Each of {workers} replicas needs rows of every batch; options.BatchSize is {plan.BatchSize}. Use a larger batch or fewer workers."), nameof(options));
        }

        byte[] file;
        using (var stream = new MemoryStream())
        {
            model.Save(stream);
            file = stream.ToArray();
        }

        string run = Guid.NewGuid().ToString("N");
        string exchangeKey = ExplicitSiloPlacement.Key(run, "exchange", silos[0]);
        IStepExchangeGrain exchange = _grains.GetGrain<IStepExchangeGrain>(exchangeKey);
        await exchange.Open(workers).ConfigureAwait(false);
        var replicas = new IReplicaGrain[workers];
        for (int r = 0; r < workers; r++)
        {
            replicas[r] = _grains.GetGrain<IReplicaGrain>(ExplicitSiloPlacement.Key(run, Invariant($"replica-{r}"), silos[r]));
        }

        await Task.WhenAll(replicas.Select((replica, r) => replica.Start(new ReplicaAssignment(file, source, plan, r, workers, exchangeKey)))).ConfigureAwait(false);
        ReplicaStatus[] statuses = await WaitForAll(replicas, exchange, distributed.PollInterval, cancellationToken).ConfigureAwait(false);

        ReplicaStatus first = statuses[0];
        AutoencoderModel trained;
        using (var stream = new MemoryStream(first.Model!, writable: false))
        {
            trained = AutoencoderModel.Load(stream);
        }

        var history = new TrainingHistory(first.Epochs.Select(e => e.ToResult()).ToArray(), first.StopReason, first.Elapsed, first.BestEpoch);
        var reports = statuses.Select((s, r) => new ReplicaReport(r, s.Silo, s.Steps, s.Elapsed, s.ExchangeTime, s.Bytes)).ToArray();
        return new DistributedTrainingResult(trained, history, reports);
    }

    /// <summary>The active silos in the order of their addresses.</summary>
    private async Task<SiloAddress[]> ActiveSilos()
    {
        Dictionary<SiloAddress, SiloStatus> hosts = await _grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).ConfigureAwait(false);
        return hosts.Where(h => h.Value == SiloStatus.Active).Select(h => h.Key)
            .OrderBy(s => s.ToParsableString(), StringComparer.Ordinal).ToArray();
    }

    /// <summary>Polls the replicas until all have completed; a failure or a cancellation stops the others and throws.</summary>
    private static async Task<ReplicaStatus[]> WaitForAll(IReplicaGrain[] replicas, IStepExchangeGrain exchange, TimeSpan interval, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                await Stop(replicas, exchange, "The run was cancelled.").ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }

            ReplicaStatus[] statuses = await Task.WhenAll(replicas.Select(r => r.Status())).ConfigureAwait(false);
            int failed = Array.FindIndex(statuses, s => s.Phase == ReplicaPhase.Failed);
            if (failed >= 0)
            {
                string reason = Invariant($"Replica {failed} on silo {statuses[failed].Silo} failed: {statuses[failed].Error}");
                await Stop(replicas, exchange, reason).ConfigureAwait(false);
                throw new InvalidOperationException(reason);
            }

            if (statuses.All(s => s.Phase == ReplicaPhase.Completed))
            {
                return statuses;
            }

            await Task.Delay(interval, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task Stop(IReplicaGrain[] replicas, IStepExchangeGrain exchange, string reason)
    {
        await exchange.Abort(reason).ConfigureAwait(false);
        await Task.WhenAll(replicas.Select(r => r.Cancel())).ConfigureAwait(false);
    }
}

using System.Diagnostics;
using Orleans.Runtime;

namespace Autoencoder.Orleans;

/// <summary>
/// Trains one model on several silos of an Orleans cluster by synchronous data parallelism: every
/// replica starts from the same weights, computes the gradient of its slice of each batch, the
/// slices are added in rank order by the run's exchange, and every replica applies the same
/// optimizer step, so the replicas stay identical — and equal, bit for bit, to one process training
/// with <see cref="TrainingOptions.BatchSlices"/> set to the number of replicas. With
/// <see cref="DistributedMode.ModelAveraging"/> the replicas step on their own slices and average
/// their parameters and optimizer buffers every <see cref="DistributedOptions.AveragingInterval"/> steps.
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
        var clock = Stopwatch.StartNew();
        var events = new List<DistributedEvent>();
        SiloAddress[] used = silos[..workers];
        CheckpointCopy? checkpoint = null;
        for (int generation = 0; ; generation++)
        {
            var attempt = new Attempt(_grains, run, generation, used);
            int? averaging = distributed.Mode == DistributedMode.ModelAveraging ? distributed.AveragingInterval : null;
            await attempt.Start(file, source, plan, checkpoint, distributed.CheckpointEveryBatches, averaging).ConfigureAwait(false);
            Outcome outcome = await Watch(attempt, distributed, generation, cancellationToken).ConfigureAwait(false);
            if (outcome.Statuses is { } statuses)
            {
                await attempt.Release().ConfigureAwait(false);
                return Result(statuses, events);
            }

            // A silo is gone: stop the others, take the newest checkpoint of the lowest surviving
            // rank (every replica writes the same one at the same steps) and continue with the rest.
            SiloAddress[] lost = outcome.Lost!;
            await attempt.Stop(Invariant($"Silo {string.Join(", ", lost.Select(l => l.ToParsableString()))} left the cluster.")).ConfigureAwait(false);
            used = used.Except(lost).ToArray();
            if (used.Length == 0)
            {
                throw new InvalidOperationException("Every silo of the run has left the cluster; nothing is left to continue on.");
            }

            IReplicaGrain[] survivors = attempt.Replicas.Where((_, r) => !lost.Contains(attempt.Silos[r])).ToArray();
            ReplicaStatus[] stopped = await WaitUntilStopped(survivors, distributed.FailureDetectionTimeout).ConfigureAwait(false);
            (int lastEpoch, int lastBatch) = stopped.Select(s => (s.Epoch, s.Batch)).Append((outcome.Epoch, outcome.Batch)).Max();
            int firstSurvivor = Array.FindIndex(attempt.Silos, silo => !lost.Contains(silo));
            checkpoint = await survivors[0].LatestCheckpoint(attempt.CheckpointPath(firstSurvivor)).ConfigureAwait(false) ?? checkpoint;
            await Task.WhenAll(survivors.Select(r => r.Release())).ConfigureAwait(false);
            int resumedEpoch = checkpoint?.Epoch ?? 1, resumedBatch = checkpoint?.Batch ?? 0;
            events.Add(new DistributedEvent(
                clock.Elapsed,
                lost.Select(l => l.ToParsableString()).ToArray(),
                lastEpoch,
                lastBatch,
                resumedEpoch,
                resumedBatch,
                used.Length,
                Invariant($"Lost silo {string.Join(", ", lost.Select(l => l.ToParsableString()))} after the step of epoch {lastEpoch}, batch {lastBatch}; continued from the checkpoint at epoch {resumedEpoch} after {resumedBatch} batches with {used.Length} replicas (the steps after the checkpoint were taken again, each once, on the new slices).")));
        }
    }

    private static DistributedTrainingResult Result(ReplicaStatus[] statuses, List<DistributedEvent> events)
    {
        ReplicaStatus first = statuses[0];
        AutoencoderModel trained;
        using (var stream = new MemoryStream(first.Model!, writable: false))
        {
            trained = AutoencoderModel.Load(stream);
        }

        var history = new TrainingHistory(first.Epochs.Select(e => e.ToResult()).ToArray(), first.StopReason, first.Elapsed, first.BestEpoch);
        var reports = statuses.Select((s, r) => new ReplicaReport(r, s.Silo, s.Steps, s.Elapsed, s.ExchangeTime, s.Bytes)).ToArray();
        return new DistributedTrainingResult(trained, history, reports, events.ToArray());
    }

    /// <summary>The active silos in the order of their addresses.</summary>
    private async Task<SiloAddress[]> ActiveSilos()
    {
        Dictionary<SiloAddress, SiloStatus> hosts = await _grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).ConfigureAwait(false);
        return hosts.Where(h => h.Value == SiloStatus.Active).Select(h => h.Key)
            .OrderBy(s => s.ToParsableString(), StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// Polls the replicas and the cluster's membership until every replica has completed (the
    /// statuses), or a replica's silo is gone (the lost silos). A replica that fails on its own
    /// work, or a cancellation, stops the others and throws.
    /// </summary>
    private async Task<Outcome> Watch(Attempt attempt, DistributedOptions distributed, int generation, CancellationToken cancellationToken)
    {
        long failingSince = 0;
        var unansweredSince = new long[attempt.Replicas.Length];
        while (true)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                await attempt.Stop("The run was cancelled.").ConfigureAwait(false);
                await attempt.Release().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }

            ReplicaStatus?[] statuses = await Task.WhenAll(attempt.Replicas.Select(StatusOrNull)).ConfigureAwait(false);
            HashSet<SiloAddress>? active = await ActiveSilosOrNull().ConfigureAwait(false);
            // A silo is lost when membership no longer lists it, or when its replica has not answered for
            // the failure-detection time (calls fail for a moment while the directory recovers from another loss).
            // A replica that reports Idle after it was started is a fresh activation: the one training is out of reach.
            for (int r = 0; r < statuses.Length; r++)
            {
                statuses[r] = statuses[r] is { Phase: ReplicaPhase.Idle } ? null : statuses[r];
                unansweredSince[r] = statuses[r] is not null ? 0 : unansweredSince[r] == 0 ? Stopwatch.GetTimestamp() : unansweredSince[r];
            }

            SiloAddress[] lost = attempt.Silos.Where((silo, r) =>
                (active is not null && !active.Contains(silo))
                || (unansweredSince[r] != 0 && Stopwatch.GetElapsedTime(unansweredSince[r]) > distributed.FailureDetectionTimeout)).ToArray();
            ReplicaStatus? lead = statuses[0];
            if (lead is not null)
            {
                distributed.Progress?.Report(new DistributedProgress(attempt.Silos.Length, lead.Epoch, lead.Batch, lead.Steps, generation));
            }

            if (lost.Length > 0)
            {
                ReplicaStatus? known = statuses.FirstOrDefault(s => s is not null);
                return new Outcome(null, lost, known?.Epoch ?? 0, known?.Batch ?? 0);
            }

            if (statuses.Any(s => s is null))
            {
                await Task.Delay(distributed.PollInterval, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            int failed = Array.FindIndex(statuses, s => s!.Phase == ReplicaPhase.Failed);
            if (failed >= 0)
            {
                // A replica that could not exchange a step is waiting for membership to name the silo it lost.
                ReplicaStatus status = statuses[failed]!;
                failingSince = failingSince == 0 ? Stopwatch.GetTimestamp() : failingSince;
                if (!status.ExchangeFailed || Stopwatch.GetElapsedTime(failingSince) > distributed.FailureDetectionTimeout)
                {
                    string reason = Invariant($"Replica {failed} on silo {status.Silo} failed: {status.Error}");
                    await attempt.Stop(reason).ConfigureAwait(false);
                    await attempt.Release().ConfigureAwait(false);
                    throw new InvalidOperationException(reason);
                }
            }
            else if (statuses.All(s => s!.Phase == ReplicaPhase.Completed))
            {
                return new Outcome(statuses!, null, 0, 0);
            }

            await Task.Delay(distributed.PollInterval, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The active silos, or null while membership cannot be read (its silo being the one lost).</summary>
    private async Task<HashSet<SiloAddress>?> ActiveSilosOrNull()
    {
        try
        {
            return [.. await ActiveSilos().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false)];
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>A replica's status, or null when it (or its silo) does not answer.</summary>
    private static async Task<ReplicaStatus?> StatusOrNull(IReplicaGrain replica)
    {
        try
        {
            return await replica.Status().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>Waits until none of <paramref name="replicas"/> is training any more, and returns their statuses.</summary>
    private static async Task<ReplicaStatus[]> WaitUntilStopped(IReplicaGrain[] replicas, TimeSpan timeout)
    {
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            ReplicaStatus?[] statuses = await Task.WhenAll(replicas.Select(StatusOrNull)).ConfigureAwait(false);
            if (statuses.All(s => s is not null && s.Phase != ReplicaPhase.Running))
            {
                return statuses!;
            }

            if (Stopwatch.GetElapsedTime(start) > timeout)
            {
                throw new InvalidOperationException(Invariant($"The surviving replicas did not stop within {timeout.TotalSeconds} s after a silo was lost."));
            }

            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    /// <summary>How one attempt ended: every replica's status when all completed, else the silos lost and the last step seen.</summary>
    private sealed record Outcome(ReplicaStatus[]? Statuses, SiloAddress[]? Lost, int Epoch, int Batch);

    /// <summary>One attempt of the run: its replicas (one per silo, rank = position) and their exchange.</summary>
    private sealed class Attempt
    {
        private readonly string _run;
        private readonly int _generation;

        public Attempt(IGrainFactory grains, string run, int generation, SiloAddress[] silos)
        {
            _run = run;
            _generation = generation;
            Silos = silos;
            ExchangeKey = ExplicitSiloPlacement.Key(run, Invariant($"exchange-{generation}"), silos[0]);
            Exchange = grains.GetGrain<IStepExchangeGrain>(ExchangeKey);
            Replicas = silos.Select((silo, r) => grains.GetGrain<IReplicaGrain>(ExplicitSiloPlacement.Key(run, Invariant($"replica-{generation}-{r}"), silo))).ToArray();
        }

        public SiloAddress[] Silos { get; }

        public string ExchangeKey { get; }

        public IStepExchangeGrain Exchange { get; }

        public IReplicaGrain[] Replicas { get; }

        public async Task Start(byte[] model, DistributedSource source, TrainingPlan plan, CheckpointCopy? checkpoint, int checkpointEvery, int? averagingInterval)
        {
            await Exchange.Open(Replicas.Length).ConfigureAwait(false);
            await Task.WhenAll(Replicas.Select((replica, r) => replica.Start(new ReplicaAssignment(
                model, source, plan, r, Replicas.Length, ExchangeKey, checkpoint?.File, CheckpointPath(r), checkpointEvery, averagingInterval)))).ConfigureAwait(false);
        }

        /// <summary>Where replica <paramref name="rank"/> writes its checkpoints, on its own silo.</summary>
        public string CheckpointPath(int rank) =>
            Path.Combine(Path.GetTempPath(), "autoencoder-orleans", _run, Invariant($"replica-{_generation}-{rank}.checkpoint"));

        /// <summary>Fails every pending exchange and asks every replica that still answers to stop.</summary>
        public async Task Stop(string reason)
        {
            try
            {
                await Exchange.Abort(reason).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The exchange's silo is the one lost: its replicas' calls fail on their own.
            }

            await Task.WhenAll(Replicas.Select(async r =>
            {
                try
                {
                    await r.Cancel().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A replica on a lost silo does not answer.
                }
            })).ConfigureAwait(false);
        }

        /// <summary>Lets every replica that still answers delete its checkpoint and go.</summary>
        public Task Release() => Task.WhenAll(Replicas.Select(async r =>
        {
            try
            {
                await r.Release().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Gone with its silo.
            }
        }));
    }
}

using System.Diagnostics;
using Autoencoder.Data;

namespace Autoencoder.Orleans;

/// <summary>What a replica is given: the model as a file, the data, the options, its rank, and where it meets the others.</summary>
[GenerateSerializer]
[Immutable]
internal sealed record ReplicaAssignment(
    [property: Id(0)] byte[] Model,
    [property: Id(1)] DistributedSource Source,
    [property: Id(2)] TrainingPlan Plan,
    [property: Id(3)] int Rank,
    [property: Id(4)] int Replicas,
    [property: Id(5)] string ExchangeKey,
    [property: Id(6)] byte[]? Checkpoint,
    [property: Id(7)] string CheckpointPath,
    [property: Id(8)] int? CheckpointEveryBatches,
    [property: Id(9)] int? AveragingInterval);

/// <summary>A replica's newest checkpoint file and where in the run it was written.</summary>
[GenerateSerializer]
[Immutable]
internal sealed record CheckpointCopy([property: Id(0)] byte[] File, [property: Id(1)] int Epoch, [property: Id(2)] int Batch);

/// <summary>Where a replica's run stands.</summary>
internal enum ReplicaPhase
{
    /// <summary>Not started.</summary>
    Idle,

    /// <summary>Training.</summary>
    Running,

    /// <summary>Done; the history (and for replica 0 the model) are in the status.</summary>
    Completed,

    /// <summary>Ended by an exception; its message is in the status.</summary>
    Failed,
}

/// <summary>A replica's report to the coordinator.</summary>
[GenerateSerializer]
[Immutable]
internal sealed record ReplicaStatus
{
    [Id(0)] public ReplicaPhase Phase { get; init; }

    [Id(1)] public string? Error { get; init; }

    [Id(2)] public EpochRecord[] Epochs { get; init; } = [];

    [Id(3)] public StopReason StopReason { get; init; }

    [Id(4)] public int? BestEpoch { get; init; }

    [Id(5)] public TimeSpan Elapsed { get; init; }

    [Id(6)] public byte[]? Model { get; init; }

    [Id(7)] public long Steps { get; init; }

    [Id(8)] public TimeSpan ExchangeTime { get; init; }

    [Id(9)] public long Bytes { get; init; }

    [Id(10)] public string Silo { get; init; } = "";

    /// <summary>True when the failure came from the exchange (another replica or its silo gone), not from this replica's own work.</summary>
    [Id(11)] public bool ExchangeFailed { get; init; }

    [Id(12)] public int Epoch { get; init; }

    [Id(13)] public int Batch { get; init; }
}

/// <summary>An <see cref="EpochResult"/> as it travels.</summary>
[GenerateSerializer]
[Immutable]
internal sealed record EpochRecord(
    [property: Id(0)] int Epoch,
    [property: Id(1)] double TrainLoss,
    [property: Id(2)] double? ValidationLoss,
    [property: Id(3)] TimeSpan Duration,
    [property: Id(4)] double LearningRate)
{
    public static EpochRecord From(EpochResult e) => new(e.Epoch, e.TrainLoss, e.ValidationLoss, e.Duration, e.LearningRate);

    public EpochResult ToResult() => new(Epoch, TrainLoss, ValidationLoss, Duration, LearningRate);
}

/// <summary>One replica of a distributed run, one per silo.</summary>
internal interface IReplicaGrain : IGrainWithStringKey
{
    /// <summary>Starts training in the background and returns at once.</summary>
    Task Start(ReplicaAssignment assignment);

    /// <summary>Where the run stands.</summary>
    Task<ReplicaStatus> Status();

    /// <summary>Asks the run to stop after its current step.</summary>
    Task Cancel();

    /// <summary>
    /// The checkpoint file at <paramref name="path"/> on this silo (the one the replica was told to
    /// write), or null when there is none yet. Read from the silo's disk, not from the activation's
    /// memory, so it answers even from a fresh activation of the replica.
    /// </summary>
    Task<CheckpointCopy?> LatestCheckpoint(string path);

    /// <summary>Deletes this replica's checkpoint file and lets the replica go.</summary>
    Task Release();
}

/// <summary>
/// The replica: loads the model, opens the data on this silo and runs the library's own training
/// loop on a thread of its own, with an <see cref="ExchangeReducer"/> between each step's backward
/// pass and its optimizer step. Validation, schedules and early stopping run on every replica alike,
/// so every replica makes the same decisions.
/// </summary>
[ExplicitSiloPlacement]
internal sealed class ReplicaGrain(IGrainFactory grains, ILocalSiloDetails silo) : Grain, IReplicaGrain
{
    private readonly CancellationTokenSource _cancel = new();
    private IGradientReducer? _reducer;
    private string? _checkpointPath;
    private volatile ReplicaStatus _status = new() { Phase = ReplicaPhase.Idle };

    /// <inheritdoc/>
    public Task Start(ReplicaAssignment assignment)
    {
        if (_status.Phase != ReplicaPhase.Idle)
        {
            throw new InvalidOperationException(Invariant($"Replica {this.GetPrimaryKeyString()} was started already."));
        }

        var exchange = grains.GetGrain<IStepExchangeGrain>(assignment.ExchangeKey);
        _reducer = assignment.AveragingInterval is int interval
            ? new AveragingReducer(exchange, assignment.Replicas, assignment.Rank, interval)
            : new ExchangeReducer(exchange, assignment.Replicas, assignment.Rank);
        _checkpointPath = assignment.CheckpointPath;
        Directory.CreateDirectory(Path.GetDirectoryName(assignment.CheckpointPath)!);
        _status = new ReplicaStatus { Phase = ReplicaPhase.Running, Silo = silo.SiloAddress.ToParsableString() };

        // The loop blocks on every step's exchange, so it runs on a thread of its own, never on the grain's scheduler.
        _ = Task.Factory.StartNew(() => Train(assignment), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        // Keep the replica in memory for the run, however long a step takes.
        DelayDeactivation(TimeSpan.FromDays(30));
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<ReplicaStatus> Status() => Task.FromResult(WithCounters(_status));

    /// <inheritdoc/>
    public Task Cancel()
    {
        _cancel.Cancel();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<CheckpointCopy?> LatestCheckpoint(string path)
    {
        if (_status.Phase == ReplicaPhase.Running)
        {
            throw new InvalidOperationException(Invariant($"Replica {this.GetPrimaryKeyString()} is still training; stop it before reading its checkpoint."));
        }

        if (!File.Exists(path))
        {
            return Task.FromResult<CheckpointCopy?>(null);
        }

        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(path);
        return Task.FromResult<CheckpointCopy?>(new CheckpointCopy(File.ReadAllBytes(path), checkpoint.Epoch, checkpoint.Batch));
    }

    /// <inheritdoc/>
    public Task Release()
    {
        _cancel.Cancel();
        if (_checkpointPath is { } path && File.Exists(path))
        {
            File.Delete(path);
        }

        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private void Train(ReplicaAssignment assignment)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            DataSource source = assignment.Source.Open();
            TrainingOptions options = assignment.Plan.ToOptions(_reducer, assignment.CheckpointPath, assignment.CheckpointEveryBatches);
            AutoencoderModel model;
            TrainingHistory history;
            if (assignment.Checkpoint is { } file)
            {
                File.WriteAllBytes(assignment.CheckpointPath, file);
                TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(assignment.CheckpointPath);
                model = checkpoint.Model;
                history = checkpoint.Resume(source, options, _cancel.Token);
            }
            else
            {
                using var stream = new MemoryStream(assignment.Model, writable: false);
                model = AutoencoderModel.Load(stream);
                history = model.Fit(source, options, _cancel.Token);
            }

            byte[]? trained = null;
            if (assignment.Rank == 0)
            {
                using var output = new MemoryStream();
                model.Save(output);
                trained = output.ToArray();
            }

            _status = _status with
            {
                Phase = ReplicaPhase.Completed,
                Epochs = history.Epochs.Select(EpochRecord.From).ToArray(),
                StopReason = history.StopReason,
                BestEpoch = history.BestEpoch,
                Elapsed = clock.Elapsed,
                Model = trained,
            };
        }
        catch (Exception e)
        {
            _status = _status with
            {
                Phase = ReplicaPhase.Failed,
                Error = Invariant($"{e.GetType().Name}: {e.Message}"),
                Elapsed = clock.Elapsed,
                ExchangeFailed = e is ExchangeFailedException,
            };
        }
    }

    private ReplicaStatus WithCounters(ReplicaStatus status) =>
        _reducer is not IExchangeCounters c ? status : status with { Steps = c.Steps, ExchangeTime = c.ExchangeTime, Bytes = c.Bytes, Epoch = c.LastStep.Epoch, Batch = c.LastStep.Batch };
}

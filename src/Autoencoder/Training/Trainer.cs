using System.Diagnostics;
using Autoencoder.Kernels;
using Autoencoder.Layers;
using Autoencoder.Losses;
using Autoencoder.Model;
using Autoencoder.Optimizers;

namespace Autoencoder.Training;

/// <summary>
/// The training loop: epochs of shuffled mini-batches, one optimizer step per batch, validation
/// after each epoch, learning-rate schedules, early stopping, callbacks, gradient clipping,
/// checkpoints, progress, cancellation between batches, and a stop with the last finite weights
/// if the loss or gradients stop being finite. All of its progress lives in a <see cref="TrainingState"/>.
/// </summary>
internal sealed class Trainer
{
    /// <summary>Stream of the generator that draws a variational model's validation samples.</summary>
    private const ulong ValidationStream = 3;

    private readonly Network _network;
    private readonly TrainingOptions _options;
    private readonly LossFunction _loss;
    private readonly TrainingWorkspace _workspace;
    private readonly TrainingControl _control = new();

    /// <summary>The buffer each step writes its new weights into; swapped with the network's once they are finite.</summary>
    private float[] _nextParameters;

    /// <summary>The step's backward pass in slices of the batch, or null for the whole batch at once.</summary>
    private readonly SlicedBackpropagation? _slices;

    public Trainer(Network network, TrainingOptions options, int trainRows, IOptimizer? optimizer = null)
    {
        _network = network;
        _options = options;
        _loss = new LossFunction(options.Loss, network.OutputActivation);
        Optimizer = optimizer ?? options.Optimizer.Create(network.Parameters.Length);
        BaseLearningRate = options.Optimizer.LearningRate;
        int batchSize = Math.Min(options.BatchSize, trainRows);
        Layer? needsRows = network.Layers.FirstOrDefault(l => l.MinimumTrainingRows > 1 && (batchSize < l.MinimumTrainingRows || (trainRows % batchSize != 0 && trainRows % batchSize < l.MinimumTrainingRows)));
        if (needsRows is not null)
        {
            throw new ArgumentException(
                Invariant($"Layer {needsRows.Name} ({needsRows.Kind}) needs at least {needsRows.MinimumTrainingRows} rows in every batch; with {trainRows} training rows and batch size {options.BatchSize} a batch would have {(batchSize < needsRows.MinimumTrainingRows ? batchSize : trainRows % batchSize)}. Choose another batch size."),
                nameof(options));
        }

        _workspace = new TrainingWorkspace(network, batchSize, options.Corruption is not null);
        _nextParameters = new float[network.Parameters.Length];
        int slices = options.GradientReducer?.Replicas ?? options.BatchSlices;
        if (slices > 1 || options.GradientReducer is not null)
        {
            SlicedBackpropagation.CheckRows(network, options, trainRows, batchSize, slices);
            _slices = new SlicedBackpropagation(network, _workspace, options.BatchSlices, options.GradientReducer);
        }
    }

    public IOptimizer Optimizer { get; }

    public double BaseLearningRate { get; }

    /// <summary>Called with the state after every <c>CheckpointEveryBatches</c> batches and every epoch; null for none.</summary>
    public Action<TrainingState>? Checkpoint { get; init; }

    /// <summary>
    /// Trains on the rows of <paramref name="feed"/> from <paramref name="state"/> (a fresh one, or
    /// one restored from a checkpoint) to the last epoch, scoring <paramref name="validation"/>
    /// after each epoch when given.
    /// </summary>
    public TrainingHistory Fit(TrainingFeed feed, ValidationSet? validation, TrainingState state, CancellationToken cancellationToken)
    {
        var run = new Run(feed, validation, state, _workspace.BatchSize)
        {
            Schedule = _options.LearningRateSchedule?.Start(BaseLearningRate),
        };
        if (run.Schedule is not null && state.Plateau is { } plateau)
        {
            run.Schedule.Restore(plateau);
        }

        if (_options.EarlyStopping is { RestoreBestWeights: true })
        {
            state.BestWeights ??= new float[_network.Parameters.Length + _network.State.Length];
        }

        StopReason stopReason = StopReason.Completed;
        while (state.Epoch <= _options.Epochs && stopReason == StopReason.Completed)
        {
            var epochClock = Stopwatch.StartNew();
            StartEpoch(run);
            try
            {
                stopReason = RunBatches(run, cancellationToken);
            }
            finally
            {
                feed.Close();
            }

            if (stopReason == StopReason.Completed)
            {
                stopReason = EndEpoch(run, epochClock.Elapsed);
            }
        }

        if (state.BestWeights is not null && state.BestEpoch is not null && stopReason != StopReason.Cancelled)
        {
            state.BestWeights.AsSpan(0, _network.Parameters.Length).CopyTo(_network.Parameters);
            state.BestWeights.AsSpan(_network.Parameters.Length).CopyTo(_network.State);
        }

        return new TrainingHistory(state.History.ToArray(), stopReason, run.Clock.Elapsed, state.BestEpoch);
    }

    /// <summary>What one call of <see cref="Fit"/> works on besides the state: the data, the batch count, the schedule's run, the clocks.</summary>
    private sealed class Run(TrainingFeed feed, ValidationSet? validation, TrainingState state, int batchSize)
    {
        public TrainingFeed Feed { get; } = feed;

        public int TrainRows { get; } = feed.Rows;

        /// <summary>Held-out rows, or null when there are none.</summary>
        public ValidationSet? Validation { get; } = validation;

        public TrainingState State { get; } = state;

        public int BatchSize { get; } = batchSize;

        public int Batches { get; } = (feed.Rows + batchSize - 1) / batchSize;

        public LearningRateSchedule.ScheduleRun? Schedule { get; init; }

        public Stopwatch Clock { get; } = Stopwatch.StartNew();

        public long SamplesAtStart { get; } = state.SamplesSeen;

        public int BatchesSinceCheckpoint { get; set; }

        public StepSettings Settings { get; set; }

        /// <summary>The learning rate of the last step taken, which the epoch's result records.</summary>
        public double LastStepRate { get; set; }
    }

    /// <summary>
    /// Begins the state's epoch, unless a checkpoint resumed it part-way: the epoch's rate (the
    /// schedule's; without one the rate stays where it is: the base rate, or what a callback last
    /// set), a fresh order of the samples, counters at zero; then the optimizer and the callbacks
    /// are told the rate and the KL weight.
    /// </summary>
    private void StartEpoch(Run run)
    {
        TrainingState state = run.State;
        int epoch = state.Epoch;
        if (!state.EpochStarted)
        {
            state.LearningRate = run.Schedule is not null ? CheckedRate(run.Schedule.RateFor(epoch, state.History), epoch)
                : epoch == 1 ? BaseLearningRate
                : state.LearningRate;
            if (_options.Shuffle)
            {
                run.Feed.Shuffle(state);
            }

            state.EpochStarted = true;
            state.Batch = 0;
            state.LossSum = 0;
            state.EpochSamples = 0;
        }

        run.Feed.Open(state, run.BatchSize, _options.Shuffle);
        Optimizer.LearningRate = state.LearningRate;
        _control.SetLearningRate(state.LearningRate);
        run.Settings = new StepSettings(_options.Corruption, KlWeightFor(epoch));
        _control.KlWeight = run.Settings.KlWeight;
    }

    /// <summary>
    /// The epoch's remaining batches, each a step, a progress report, the batch-end callbacks and
    /// perhaps a checkpoint. Returns how the loop ended: <see cref="StopReason.Completed"/> when
    /// every batch ran (a stop asked for on the last batch lets the epoch finish), else cancelled or
    /// stopped by a callback, with the epoch unfinished.
    /// </summary>
    private StopReason RunBatches(Run run, CancellationToken cancellationToken)
    {
        TrainingState state = run.State;
        while (state.Batch < run.Batches)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return StopReason.Cancelled;
            }

            int batch = state.Batch;
            int rows = Math.Min(run.BatchSize, run.TrainRows - (batch * run.BatchSize));
            double loss = Step(run, batch, rows);

            state.LossSum += loss * rows;
            state.EpochSamples += rows;
            state.SamplesSeen += rows;
            state.Batch = batch + 1;
            TrainingProgress progress = Progress(run, batch + 1, state.LossSum / state.EpochSamples, epochCompleted: false);
            _options.Progress?.Report(progress);
            for (int c = 0; c < _options.Callbacks.Count; c++)
            {
                _options.Callbacks[c].OnBatchEnd(progress, _control);
            }

            TakeCallbackRate(state);
            if (_options.CheckpointEveryBatches is int every && ++run.BatchesSinceCheckpoint >= every && state.Batch < run.Batches)
            {
                run.BatchesSinceCheckpoint = 0;
                SaveCheckpoint(run);
            }

            if (_control.StopRequested && state.Batch < run.Batches)
            {
                return StopReason.StoppedByCallback;
            }
        }

        return StopReason.Completed;
    }

    /// <summary>
    /// One optimizer step on batch <paramref name="batch"/> (<paramref name="rows"/> rows): gather,
    /// forward and backward, clip, then the update into the second weight buffer, which the network
    /// takes only when every new weight and optimizer moment is finite. Returns the batch loss.
    /// </summary>
    /// <exception cref="TrainingDivergedException">The loss, a gradient or the step was not finite; the weights are those before the step.</exception>
    private double Step(Run run, int batch, int rows)
    {
        TrainingState state = run.State;
        run.Feed.Read(state, batch, rows, run.BatchSize, _workspace);
        double loss = _slices is null
            ? Backpropagation.Run(_network, _workspace, rows, _loss, run.Settings, ref state.Random)
            : _slices.Run(new GradientStep(state.Epoch, batch, rows, run.Batches), _loss, run.Settings, state.Random);
        if (!double.IsFinite(loss))
        {
            throw Diverged(state.Epoch, batch, Invariant($"the loss became {loss}"));
        }

        if (_options.GradientClipNorm is double maxNorm)
        {
            GradientClipping.ClipByGlobalNorm(_workspace.Gradients, maxNorm);
        }

        // A non-finite gradient always makes a new weight or moment non-finite, so the step's own check catches it too.
        if (!Optimizer.Step(_network.Parameters, _nextParameters, _workspace.Gradients))
        {
            throw Diverged(
                state.Epoch,
                batch,
                Finite.All(_workspace.Gradients)
                    ? "the optimizer step left float range (a new weight or optimizer moment became NaN or infinite)"
                    : "a gradient became NaN or infinite");
        }

        if (!Finite.All(_workspace.NextState))
        {
            throw Diverged(state.Epoch, batch, "a layer's running statistics became NaN or infinite");
        }

        (_nextParameters, float[] previousState) = _network.Store.Swap(_nextParameters, _workspace.NextState);
        _workspace.ReuseState(previousState);
        _options.GradientReducer?.Synchronize(new GradientStep(state.Epoch, batch, rows, run.Batches), _network.Parameters, _network.State, Optimizer.Buffers);
        run.LastStepRate = Optimizer.LearningRate;
        return loss;
    }

    /// <summary>
    /// Finishes a completed epoch: validation, the history entry, the schedule and early stopping,
    /// the move to the next epoch, the epoch's progress report, the epoch-end callbacks and the
    /// checkpoint. Returns <see cref="StopReason.Completed"/> to go on, or why training ends here.
    /// </summary>
    private StopReason EndEpoch(Run run, TimeSpan duration)
    {
        TrainingState state = run.State;
        int epoch = state.Epoch;
        double trainLoss = state.LossSum / state.EpochSamples;
        if (run.Validation is { } validation)
        {
            // At the full KL weight, so warm-up epochs are compared on the same objective.
            var validationRandom = new Pcg32((ulong)epoch, ValidationStream);
            state.LastValidation = validation.Loss(_network, _loss, _options.KlWeight, ref validationRandom);
        }

        var result = new EpochResult(epoch, trainLoss, state.LastValidation, duration, run.LastStepRate);
        state.History.Add(result);
        double monitored = state.LastValidation ?? trainLoss;
        run.Schedule?.EpochEnded(epoch, monitored);
        StopReason stopReason = EarlyStoppingAfter(state, epoch, monitored);

        state.Epoch = epoch + 1;
        state.EpochStarted = false;
        state.Batch = 0;
        state.LossSum = 0;
        state.EpochSamples = 0;
        run.BatchesSinceCheckpoint = 0;

        _options.Progress?.Report(Progress(run, run.Batches, trainLoss, epochCompleted: true, epoch));
        for (int c = 0; c < _options.Callbacks.Count; c++)
        {
            _options.Callbacks[c].OnEpochEnd(result, _control);
        }

        TakeCallbackRate(state);

        // Every completed epoch, the last one too, so a finished or stopped run can be continued;
        // after the callbacks, so a rate they set is part of it.
        SaveCheckpoint(run);
        return _control.StopRequested && stopReason == StopReason.Completed ? StopReason.StoppedByCallback : stopReason;
    }

    /// <summary>Keras' early stopping on the monitored loss: keeps the best epoch (and its weights when asked) and stops after <c>Patience</c> epochs without improvement.</summary>
    private StopReason EarlyStoppingAfter(TrainingState state, int epoch, double monitored)
    {
        if (_options.EarlyStopping is not { } earlyStopping)
        {
            return StopReason.Completed;
        }

        if (monitored < state.BestLoss - earlyStopping.MinDelta)
        {
            state.BestLoss = monitored;
            state.BestEpoch = epoch;
            state.EpochsWithoutImprovement = 0;
            if (state.BestWeights is not null)
            {
                _network.Parameters.CopyTo(state.BestWeights, 0);
                _network.State.CopyTo(state.BestWeights, _network.Parameters.Length);
            }

            return StopReason.Completed;
        }

        return ++state.EpochsWithoutImprovement >= earlyStopping.Patience ? StopReason.EarlyStopped : StopReason.Completed;
    }

    /// <summary>A rate a callback set through <see cref="TrainingControl.LearningRate"/> takes effect from the next step.</summary>
    private void TakeCallbackRate(TrainingState state)
    {
        if (_control.LearningRate != state.LearningRate)
        {
            state.LearningRate = _control.LearningRate;
            Optimizer.LearningRate = state.LearningRate;
        }
    }

    /// <summary>A schedule's rate must be one the float kernels can use: 0 (a decay's floor) up to float's largest value.</summary>
    private double CheckedRate(double rate, int epoch)
    {
        if (!(rate >= 0 && rate <= float.MaxValue))
        {
            throw new InvalidOperationException(Invariant(
                $"The learning-rate schedule {Guard.InvariantText(_options.LearningRateSchedule)} gave {rate} for epoch {epoch}; a rate must be a number in [0, {float.MaxValue}]."));
        }

        return rate;
    }

    private TrainingDivergedException Diverged(int epoch, int batch, string what) =>
        new(
            epoch,
            batch + 1,
            Invariant($"Training diverged at epoch {epoch}, batch {batch + 1}: {what}. The step was not applied; ") +
            Invariant($"the model keeps the last finite weights. Try a lower learning rate (now {Optimizer.LearningRate}) or scaled inputs."));

    private void SaveCheckpoint(Run run)
    {
        if (Checkpoint is null)
        {
            return;
        }

        run.State.Plateau = run.Schedule?.Snapshot;
        Checkpoint(run.State);
    }

    /// <summary>β of epoch <paramref name="epoch"/>: <c>KlWeight · min(1, epoch / (KlWarmUpEpochs + 1))</c>.</summary>
    private double KlWeightFor(int epoch) =>
        _options.KlWeight * Math.Min(1.0, epoch / (double)(_options.KlWarmUpEpochs + 1));

    /// <summary>A progress report after batch <paramref name="batch"/> of the state's epoch (or of <paramref name="epoch"/>, once the state has moved on).</summary>
    private TrainingProgress Progress(Run run, int batch, double loss, bool epochCompleted, int? epoch = null)
    {
        TrainingState state = run.State;
        TimeSpan elapsed = run.Clock.Elapsed;
        double seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        double rate = (state.SamplesSeen - run.SamplesAtStart) / seconds;
        long remainingSamples = ((long)_options.Epochs * run.TrainRows) - state.SamplesSeen;
        var remaining = TimeSpan.FromSeconds(rate > 0 ? Math.Max(remainingSamples, 0) / rate : 0);
        return new TrainingProgress(epoch ?? state.Epoch, _options.Epochs, batch, run.Batches, loss, state.LastValidation, rate, elapsed, remaining, epochCompleted);
    }
}

using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Autoencoder.Kernels;
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

    public Trainer(Network network, TrainingOptions options, int trainRows, IOptimizer? optimizer = null)
    {
        _network = network;
        _options = options;
        _loss = new LossFunction(options.Loss, network.OutputActivation);
        Optimizer = optimizer ?? options.Optimizer.Create(network.Parameters.Length);
        BaseLearningRate = options.Optimizer.LearningRate;
        _workspace = new TrainingWorkspace(network, Math.Min(options.BatchSize, trainRows), options.Corruption is not null);
        _nextParameters = new float[network.Parameters.Length];
    }

    public IOptimizer Optimizer { get; }

    public double BaseLearningRate { get; }

    /// <summary>Called with the state after every <c>CheckpointEveryBatches</c> batches and every epoch; null for none.</summary>
    public Action<TrainingState>? Checkpoint { get; init; }

    /// <summary>
    /// Trains on <paramref name="train"/> (<paramref name="trainRows"/> row-major samples) from
    /// <paramref name="state"/> (a fresh one, or one restored from a checkpoint) to the last epoch,
    /// scoring <paramref name="validation"/> after each epoch when it has rows.
    /// </summary>
    public TrainingHistory Fit(float[] train, int trainRows, float[]? validation, int validationRows, TrainingState state, CancellationToken cancellationToken)
    {
        int width = _network.InputSize;
        int batchSize = _workspace.BatchSize;
        int batches = (trainRows + batchSize - 1) / batchSize;
        int epochs = _options.Epochs;
        var total = Stopwatch.StartNew();
        long samplesAtStart = state.SamplesSeen;
        LearningRateSchedule.ScheduleRun? schedule = _options.LearningRateSchedule?.Start(BaseLearningRate);
        if (schedule is not null && state.Plateau is { } plateau)
        {
            schedule.Restore(plateau);
        }

        EarlyStopping? earlyStopping = _options.EarlyStopping;
        if (earlyStopping is { RestoreBestWeights: true })
        {
            state.BestWeights ??= new float[_network.Parameters.Length];
        }

        bool hasValidation = validation is not null && validationRows > 0;
        StopReason stopReason = StopReason.Completed;
        int batchesSinceCheckpoint = 0;

        while (state.Epoch <= epochs && stopReason == StopReason.Completed)
        {
            int epoch = state.Epoch;
            var epochClock = Stopwatch.StartNew();
            if (!state.EpochStarted)
            {
                // A schedule sets every epoch's rate; without one the rate stays where it is (the
                // base rate, or what a callback last set).
                state.LearningRate = schedule is not null ? CheckedRate(schedule.RateFor(epoch, state.History), epoch)
                    : epoch == 1 ? BaseLearningRate
                    : state.LearningRate;
                if (_options.Shuffle)
                {
                    state.Random.Shuffle(state.Order);
                }

                state.EpochStarted = true;
                state.Batch = 0;
                state.LossSum = 0;
                state.EpochSamples = 0;
            }

            Optimizer.LearningRate = state.LearningRate;
            _control.SetLearningRate(state.LearningRate);
            var settings = new StepSettings(_options.Corruption, KlWeightFor(epoch));
            _control.KlWeight = settings.KlWeight;

            while (state.Batch < batches)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    stopReason = StopReason.Cancelled;
                    break;
                }

                int batch = state.Batch;
                int start = batch * batchSize;
                int rows = Math.Min(batchSize, trainRows - start);
                GatherRows(train, state.Order.AsSpan(start, rows), width, _workspace.Input);

                double loss = Backpropagation.Run(_network, _workspace, rows, _loss, settings, ref state.Random);
                if (!double.IsFinite(loss))
                {
                    throw Diverged(epoch, batch, Invariant($"the loss became {loss}"));
                }

                if (_options.GradientClipNorm is double maxNorm)
                {
                    ClipByGlobalNorm(_workspace.Gradients, maxNorm);
                }

                // The step writes the new weights beside the current ones and reports whether every
                // new weight and optimizer moment is finite (a non-finite gradient always makes them
                // so); only then does the network take them.
                if (!Optimizer.Step(_network.Parameters, _nextParameters, _workspace.Gradients))
                {
                    throw Diverged(
                        epoch,
                        batch,
                        Finite.All(_workspace.Gradients)
                            ? "the optimizer step left float range (a new weight or optimizer moment became NaN or infinite)"
                            : "a gradient became NaN or infinite");
                }

                _nextParameters = _network.SwapParameters(_nextParameters);

                state.LossSum += loss * rows;
                state.EpochSamples += rows;
                state.SamplesSeen += rows;
                state.Batch = batch + 1;
                TrainingProgress progress = Progress(
                    epoch, batch + 1, batches, state.LossSum / state.EpochSamples, state.LastValidation, state.SamplesSeen - samplesAtStart,
                    state.SamplesSeen, total.Elapsed, trainRows, epochCompleted: false);
                _options.Progress?.Report(progress);
                for (int c = 0; c < _options.Callbacks.Count; c++)
                {
                    _options.Callbacks[c].OnBatchEnd(progress, _control);
                }

                TakeCallbackRate(state);

                if (_options.CheckpointEveryBatches is int every && ++batchesSinceCheckpoint >= every && state.Batch < batches)
                {
                    batchesSinceCheckpoint = 0;
                    SaveCheckpoint(state, schedule);
                }

                // A stop on an epoch's last batch lets the epoch finish (validation, history, epoch-end calls).
                if (_control.StopRequested && state.Batch < batches)
                {
                    stopReason = StopReason.StoppedByCallback;
                    break;
                }
            }

            if (stopReason != StopReason.Completed)
            {
                break;
            }

            double trainLoss = state.LossSum / state.EpochSamples;
            if (hasValidation)
            {
                // At the full KL weight, so warm-up epochs are compared on the same objective.
                var validationRandom = new Pcg32((ulong)epoch, ValidationStream);
                state.LastValidation = Scoring.TrainingLoss(_network, _loss, validation, validationRows, _options.KlWeight, ref validationRandom);
            }

            var result = new EpochResult(epoch, trainLoss, state.LastValidation, epochClock.Elapsed, state.LearningRate);
            state.History.Add(result);
            double monitored = state.LastValidation ?? trainLoss;
            schedule?.EpochEnded(epoch, monitored);
            if (earlyStopping is not null)
            {
                if (monitored < state.BestLoss - earlyStopping.MinDelta)
                {
                    state.BestLoss = monitored;
                    state.BestEpoch = epoch;
                    state.EpochsWithoutImprovement = 0;
                    if (state.BestWeights is not null)
                    {
                        _network.Parameters.CopyTo(state.BestWeights, 0);
                    }
                }
                else if (++state.EpochsWithoutImprovement >= earlyStopping.Patience)
                {
                    stopReason = StopReason.EarlyStopped;
                }
            }

            state.Epoch = epoch + 1;
            state.EpochStarted = false;
            state.Batch = 0;
            state.LossSum = 0;
            state.EpochSamples = 0;
            batchesSinceCheckpoint = 0;

            // Every completed epoch, the last one too, so a finished or stopped run can be continued.
            SaveCheckpoint(state, schedule);
            TrainingProgress report = Progress(
                epoch, batches, batches, trainLoss, state.LastValidation, state.SamplesSeen - samplesAtStart, state.SamplesSeen, total.Elapsed, trainRows, epochCompleted: true);
            _options.Progress?.Report(report);
            for (int c = 0; c < _options.Callbacks.Count; c++)
            {
                _options.Callbacks[c].OnEpochEnd(result, _control);
            }

            TakeCallbackRate(state);

            if (_control.StopRequested && stopReason == StopReason.Completed)
            {
                stopReason = StopReason.StoppedByCallback;
            }
        }

        if (state.BestWeights is not null && state.BestEpoch is not null && stopReason != StopReason.Cancelled)
        {
            state.BestWeights.CopyTo(_network.Parameters, 0);
        }

        return new TrainingHistory(state.History.ToArray(), stopReason, total.Elapsed, state.BestEpoch);
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

    /// <summary>A schedule's rate must be one the float kernels can use.</summary>
    private double CheckedRate(double rate, int epoch)
    {
        if (!(rate >= Guard.SmallestNormalFloat && rate <= float.MaxValue))
        {
            throw new InvalidOperationException(Invariant(
                $"The learning-rate schedule {_options.LearningRateSchedule} gave {rate} for epoch {epoch}; a rate must be a positive number within float range [{Guard.SmallestNormalFloat}, {float.MaxValue}]."));
        }

        return rate;
    }

    private TrainingDivergedException Diverged(int epoch, int batch, string what) =>
        new(
            epoch,
            batch + 1,
            Invariant($"Training diverged at epoch {epoch}, batch {batch + 1}: {what}. The step was not applied; ") +
            Invariant($"the model keeps the last finite weights. Try a lower learning rate (now {Optimizer.LearningRate}) or scaled inputs."));

    /// <summary>
    /// Copies the rows of <paramref name="train"/> listed in <paramref name="rows"/> into the batch
    /// buffer; a large batch is copied in two halves on the worker pool.
    /// </summary>
    internal static unsafe void GatherRows(float[] train, ReadOnlySpan<int> rows, int width, float[] batch)
    {
        fixed (float* source = train, destination = batch)
        fixed (int* order = rows)
        {
            // Split once the batch holds 2^16 values, cut by rows (alignment 1): a row is one copy wherever the cut falls.
            var work = new GatherWork { Source = source, Destination = destination, Rows = order, Width = width };
            WorkerPool.InHalves(ref work, rows.Length, parallelMinimum: ((1 << 16) + width - 1) / width, alignment: 1);
        }
    }

    /// <summary>Rows <c>[start, start + length)</c> of a batch gathered from the training data.</summary>
    private unsafe struct GatherWork : IRangeWork
    {
        public float* Source;
        public float* Destination;
        public int* Rows;
        public int Width;

        public readonly void Run(int part, int start, int length)
        {
            for (int r = start; r < start + length; r++)
            {
                new ReadOnlySpan<float>(Source + ((long)Rows[r] * Width), Width)
                    .CopyTo(new Span<float>(Destination + ((long)r * Width), Width));
            }
        }
    }

    private void SaveCheckpoint(TrainingState state, LearningRateSchedule.ScheduleRun? schedule)
    {
        if (Checkpoint is null)
        {
            return;
        }

        state.Plateau = schedule?.Snapshot;
        Checkpoint(state);
    }

    /// <summary>β of epoch <paramref name="epoch"/>: <c>KlWeight · min(1, epoch / (KlWarmUpEpochs + 1))</c>.</summary>
    private double KlWeightFor(int epoch) =>
        _options.KlWeight * Math.Min(1.0, epoch / (double)(_options.KlWarmUpEpochs + 1));

    /// <summary>Scales <paramref name="gradients"/> so their L2 norm is at most <paramref name="maxNorm"/> (PyTorch's <c>clip_grad_norm_</c>).</summary>
    internal static void ClipByGlobalNorm(Span<float> gradients, double maxNorm)
    {
        double norm = Math.Sqrt(SumOfSquares(gradients));
        if (norm > maxNorm)
        {
            TensorPrimitives.Multiply(gradients, (float)(maxNorm / (norm + 1e-6)), gradients);
        }
    }

    /// <summary>
    /// <c>Σ g²</c> in double, in one fixed order on every machine (always 128-bit vectors, which
    /// the runtime emulates lane by lane where they are not accelerated), so the clip factor, and
    /// with it the weights, do not depend on the instruction set.
    /// </summary>
    internal static double SumOfSquares(ReadOnlySpan<float> values)
    {
        Vector128<double> low = Vector128<double>.Zero, high = Vector128<double>.Zero;
        int i = 0;
        for (; i + 4 <= values.Length; i += 4)
        {
            Vector128<float> v = Vector128.Create(values.Slice(i, 4));
            (Vector128<double> a, Vector128<double> b) = Vector128.Widen(v);
            low = Vector128.FusedMultiplyAdd(a, a, low);
            high = Vector128.FusedMultiplyAdd(b, b, high);
        }

        double sum = (low[0] + low[1]) + (high[0] + high[1]);
        for (; i < values.Length; i++)
        {
            sum = Math.FusedMultiplyAdd(values[i], values[i], sum);
        }

        return sum;
    }

    private TrainingProgress Progress(
        int epoch, int batch, int batches, double loss, double? validation, long samplesThisRun, long samplesSeen, TimeSpan elapsed, int trainRows, bool epochCompleted)
    {
        double seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        double rate = samplesThisRun / seconds;
        long remainingSamples = ((long)_options.Epochs * trainRows) - samplesSeen;
        var remaining = TimeSpan.FromSeconds(rate > 0 ? Math.Max(remainingSamples, 0) / rate : 0);
        return new TrainingProgress(epoch, _options.Epochs, batch, batches, loss, validation, rate, elapsed, remaining, epochCompleted);
    }
}

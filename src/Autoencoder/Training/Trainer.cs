using System.Diagnostics;
using System.Numerics.Tensors;
using Autoencoder.Kernels;
using Autoencoder.Losses;
using Autoencoder.Model;
using Autoencoder.Optimizers;

namespace Autoencoder.Training;

/// <summary>
/// The training loop: epochs of shuffled mini-batches, one optimizer step per batch, validation
/// after each epoch, learning-rate schedules, early stopping, callbacks, gradient clipping,
/// progress, cancellation between batches, and a stop with the last finite weights if the loss
/// or gradients stop being finite.
/// </summary>
internal sealed class Trainer
{
    /// <summary>Stream of the generator that draws a variational model's validation samples.</summary>
    private const ulong ValidationStream = 3;

    private readonly Network _network;
    private readonly TrainingOptions _options;
    private readonly LossFunction _loss;
    private readonly IOptimizer _optimizer;
    private readonly TrainingWorkspace _workspace;
    private readonly TrainingControl _control = new();

    public Trainer(Network network, TrainingOptions options, int trainRows)
    {
        _network = network;
        _options = options;
        _loss = new LossFunction(options.Loss, network.OutputActivation);
        _optimizer = options.Optimizer.Create(network.Parameters.Length);
        _workspace = new TrainingWorkspace(network, Math.Min(options.BatchSize, trainRows), options.Corruption is not null);
    }

    /// <summary>
    /// Trains on <paramref name="train"/> (<paramref name="trainRows"/> row-major samples), scoring
    /// <paramref name="validation"/> after each epoch when it has rows.
    /// </summary>
    public TrainingHistory Fit(float[] train, int trainRows, float[]? validation, int validationRows, ref Pcg32 random, CancellationToken cancellationToken)
    {
        int width = _network.InputSize;
        int batchSize = _workspace.BatchSize;
        int batches = (trainRows + batchSize - 1) / batchSize;
        int epochs = _options.Epochs;
        var order = new int[trainRows];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var history = new List<EpochResult>(epochs);
        var total = Stopwatch.StartNew();
        long samplesSeen = 0;
        double? lastValidation = null;
        double baseRate = _optimizer.LearningRate;
        LearningRateSchedule.ScheduleRun? schedule = _options.LearningRateSchedule?.Start(baseRate);
        EarlyStopping? earlyStopping = _options.EarlyStopping;
        float[]? bestWeights = earlyStopping is { RestoreBestWeights: true } ? new float[_network.Parameters.Length] : null;
        double bestLoss = double.PositiveInfinity;
        int? bestEpoch = null;
        int epochsWithoutImprovement = 0;
        bool hasValidation = validation is not null && validationRows > 0;
        StopReason stopReason = StopReason.Completed;

        for (int epoch = 1; epoch <= epochs && stopReason == StopReason.Completed; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            double rate = schedule?.RateFor(epoch) ?? baseRate;
            _optimizer.LearningRate = rate;
            _control.LearningRate = rate;
            var settings = new StepSettings(_options.Corruption, KlWeightFor(epoch));
            _control.KlWeight = settings.KlWeight;
            if (_options.Shuffle)
            {
                random.Shuffle(order);
            }

            double lossSum = 0;
            int epochSamples = 0;
            for (int batch = 0; batch < batches; batch++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    stopReason = StopReason.Cancelled;
                    break;
                }

                int start = batch * batchSize;
                int rows = Math.Min(batchSize, trainRows - start);
                Span<float> input = _workspace.Input;
                for (int r = 0; r < rows; r++)
                {
                    train.AsSpan(order[start + r] * width, width).CopyTo(input.Slice(r * width, width));
                }

                double loss = Backpropagation.Run(_network, _workspace, rows, _loss, settings, ref random);
                if (!double.IsFinite(loss) || !Finite.All(_workspace.Gradients))
                {
                    string what = double.IsFinite(loss) ? "a gradient became NaN or infinite" : $"the loss became {loss}";
                    throw new TrainingDivergedException(
                        epoch,
                        batch + 1,
                        $"Training diverged at epoch {epoch}, batch {batch + 1}: {what}. The step was not applied; " +
                        $"the model keeps the last finite weights. Try a lower learning rate (now {_optimizer.LearningRate}) or scaled inputs.");
                }

                if (_options.GradientClipNorm is double maxNorm)
                {
                    ClipByGlobalNorm(_workspace.Gradients, maxNorm);
                }

                _optimizer.Step(_network.Parameters, _workspace.Gradients);

                lossSum += loss * rows;
                epochSamples += rows;
                samplesSeen += rows;
                TrainingProgress progress = Progress(epoch, batch + 1, batches, lossSum / epochSamples, lastValidation, samplesSeen, total.Elapsed, trainRows, epochCompleted: false);
                _options.Progress?.Report(progress);
                for (int c = 0; c < _options.Callbacks.Count; c++)
                {
                    _options.Callbacks[c].OnBatchEnd(progress, _control);
                }

                if (_control.StopRequested)
                {
                    stopReason = StopReason.StoppedByCallback;
                    break;
                }
            }

            if (stopReason != StopReason.Completed)
            {
                break;
            }

            double trainLoss = lossSum / epochSamples;
            if (hasValidation)
            {
                var validationRandom = new Pcg32((ulong)epoch, ValidationStream);
                lastValidation = Scoring.TrainingLoss(_network, _loss, validation, validationRows, settings.KlWeight, ref validationRandom);
            }

            var result = new EpochResult(epoch, trainLoss, lastValidation, epochClock.Elapsed, rate);
            history.Add(result);
            double monitored = lastValidation ?? trainLoss;
            schedule?.EpochEnded(epoch, monitored);
            if (earlyStopping is not null)
            {
                if (monitored < bestLoss - earlyStopping.MinDelta)
                {
                    bestLoss = monitored;
                    bestEpoch = epoch;
                    epochsWithoutImprovement = 0;
                    if (bestWeights is not null)
                    {
                        _network.Parameters.CopyTo(bestWeights, 0);
                    }
                }
                else if (++epochsWithoutImprovement >= earlyStopping.Patience)
                {
                    stopReason = StopReason.EarlyStopped;
                }
            }

            TrainingProgress report = Progress(epoch, batches, batches, trainLoss, lastValidation, samplesSeen, total.Elapsed, trainRows, epochCompleted: true);
            _options.Progress?.Report(report);
            for (int c = 0; c < _options.Callbacks.Count; c++)
            {
                _options.Callbacks[c].OnEpochEnd(result, _control);
            }

            if (_control.StopRequested && stopReason == StopReason.Completed)
            {
                stopReason = StopReason.StoppedByCallback;
            }
        }

        if (bestWeights is not null && bestEpoch is not null && stopReason != StopReason.Cancelled)
        {
            bestWeights.CopyTo(_network.Parameters, 0);
        }

        return new TrainingHistory(history, stopReason, total.Elapsed, bestEpoch);
    }

    /// <summary>β of epoch <paramref name="epoch"/>: <c>KlWeight · min(1, epoch / (KlWarmUpEpochs + 1))</c>.</summary>
    private double KlWeightFor(int epoch) =>
        _options.KlWeight * Math.Min(1.0, epoch / (double)(_options.KlWarmUpEpochs + 1));

    /// <summary>Scales <paramref name="gradients"/> so their L2 norm is at most <paramref name="maxNorm"/> (PyTorch's <c>clip_grad_norm_</c>).</summary>
    internal static void ClipByGlobalNorm(Span<float> gradients, double maxNorm)
    {
        double sumOfSquares = 0;
        const int Chunk = 4096;
        for (int start = 0; start < gradients.Length; start += Chunk)
        {
            // Float partial sums over short chunks, added in double: accurate for any buffer size.
            sumOfSquares += TensorPrimitives.SumOfSquares(gradients.Slice(start, Math.Min(Chunk, gradients.Length - start)));
        }

        double norm = Math.Sqrt(sumOfSquares);
        if (norm > maxNorm)
        {
            TensorPrimitives.Multiply(gradients, (float)(maxNorm / (norm + 1e-6)), gradients);
        }
    }

    private TrainingProgress Progress(int epoch, int batch, int batches, double loss, double? validation, long samplesSeen, TimeSpan elapsed, int trainRows, bool epochCompleted)
    {
        double seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        double rate = samplesSeen / seconds;
        long remainingSamples = (long)_options.Epochs * trainRows - samplesSeen;
        var remaining = TimeSpan.FromSeconds(rate > 0 ? remainingSamples / rate : 0);
        return new TrainingProgress(epoch, _options.Epochs, batch, batches, loss, validation, rate, elapsed, remaining, epochCompleted);
    }
}

using System.Diagnostics;
using Autoencoder.Kernels;
using Autoencoder.Losses;
using Autoencoder.Model;
using Autoencoder.Optimizers;

namespace Autoencoder.Training;

/// <summary>
/// The training loop: epochs of shuffled mini-batches, one optimizer step per batch, validation
/// after each epoch, progress, cancellation between batches, and a stop with the last finite
/// weights if the loss or gradients stop being finite.
/// </summary>
internal sealed class Trainer
{
    private readonly Network _network;
    private readonly TrainingOptions _options;
    private readonly LossFunction _loss;
    private readonly IOptimizer _optimizer;
    private readonly TrainingWorkspace _workspace;

    public Trainer(Network network, TrainingOptions options, int trainRows)
    {
        _network = network;
        _options = options;
        _loss = new LossFunction(options.Loss, network.OutputActivation);
        _optimizer = options.Optimizer.Create(network.Parameters.Length);
        _workspace = new TrainingWorkspace(network, Math.Min(options.BatchSize, trainRows));
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

        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
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
                    return new TrainingHistory(history, StopReason.Cancelled, total.Elapsed);
                }

                int start = batch * batchSize;
                int rows = Math.Min(batchSize, trainRows - start);
                Span<float> input = _workspace.Input;
                for (int r = 0; r < rows; r++)
                {
                    train.AsSpan(order[start + r] * width, width).CopyTo(input.Slice(r * width, width));
                }

                double loss = Backpropagation.Run(_network, _workspace, rows, _loss);
                if (!double.IsFinite(loss) || !Finite.All(_workspace.Gradients))
                {
                    string what = double.IsFinite(loss) ? "a gradient became NaN or infinite" : $"the loss became {loss}";
                    throw new TrainingDivergedException(
                        epoch,
                        batch + 1,
                        $"Training diverged at epoch {epoch}, batch {batch + 1}: {what}. The step was not applied; " +
                        $"the model keeps the last finite weights. Try a lower learning rate (now {_optimizer.LearningRate}) or scaled inputs.");
                }

                _optimizer.Step(_network.Parameters, _workspace.Gradients);

                lossSum += loss * rows;
                epochSamples += rows;
                samplesSeen += rows;
                Report(epoch, batch + 1, batches, lossSum / epochSamples, lastValidation, samplesSeen, total.Elapsed, trainRows, epochCompleted: false);
            }

            double trainLoss = lossSum / epochSamples;
            lastValidation = validation is not null && validationRows > 0
                ? Scoring.MeanLoss(_network, _loss, validation, validationRows)
                : null;
            history.Add(new EpochResult(epoch, trainLoss, lastValidation, epochClock.Elapsed));
            Report(epoch, batches, batches, trainLoss, lastValidation, samplesSeen, total.Elapsed, trainRows, epochCompleted: true);
        }

        return new TrainingHistory(history, StopReason.Completed, total.Elapsed);
    }

    private void Report(int epoch, int batch, int batches, double loss, double? validation, long samplesSeen, TimeSpan elapsed, int trainRows, bool epochCompleted)
    {
        if (_options.Progress is null)
        {
            return;
        }

        double seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        double rate = samplesSeen / seconds;
        long remainingSamples = (long)_options.Epochs * trainRows - samplesSeen;
        var remaining = TimeSpan.FromSeconds(rate > 0 ? remainingSamples / rate : 0);
        _options.Progress.Report(new TrainingProgress(epoch, _options.Epochs, batch, batches, loss, validation, rate, elapsed, remaining, epochCompleted));
    }
}

using Autoencoder.Model;
using Autoencoder.Optimizers;

namespace Autoencoder.Training;

/// <summary>
/// One call of <c>Fit</c> (or a checkpoint's resume) after its data are prepared: the optimizer
/// and the run's state, fresh or restored from a checkpoint, the checkpoint limits, and the
/// <see cref="Trainer"/> that runs the epochs.
/// </summary>
internal sealed class TrainingRun
{
    private readonly Network _network;
    private readonly TrainingOptions _options;
    private readonly TrainingData _data;
    private readonly CheckpointContents? _resume;

    /// <summary>
    /// Prepares a run of <paramref name="network"/> on <paramref name="data"/>: from
    /// <paramref name="resume"/> when given (its fingerprints must match), else from a fresh state
    /// drawing from <paramref name="random"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Checkpoints were asked for with more rows or epochs than they support, or the checkpoint does not fit the run.</exception>
    public TrainingRun(Network network, TrainingOptions options, TrainingData data, CheckpointContents? resume, Pcg32 random)
    {
        _network = network;
        _options = options;
        _data = data;
        _resume = resume;
        if (resume is not null || options.CheckpointPath is not null)
        {
            resume?.CheckMatches(data.OptionsHash!, data.DataHash!, data.TrainRows, Math.Min(options.BatchSize, data.TrainRows), options);
            if (options.CheckpointPath is not null && data.Feed.KeepsOrder && data.TrainRows > CheckpointLimits.MaxRows)
            {
                throw new ArgumentException(
                    Invariant($"Checkpoints support at most {CheckpointLimits.MaxRows} training rows held in memory (a file or stream source has no such limit); got {data.TrainRows}."), nameof(options));
            }

            if (options.CheckpointPath is not null && options.Epochs > CheckpointLimits.MaxEpochs)
            {
                throw new ArgumentException(
                    Invariant($"Checkpoints support at most {CheckpointLimits.MaxEpochs} epochs; got options.Epochs = {options.Epochs}."), nameof(options));
            }
        }

        Optimizer = options.Optimizer.Create(network.Parameters.Length);
        if (resume is not null)
        {
            State = resume.State;
            resume.RestoreOptimizer(Optimizer);
        }
        else
        {
            State = new TrainingState(data.TrainRows, random, data.Feed.KeepsOrder);
        }
    }

    /// <summary>The run's optimizer (fresh, or restored from the checkpoint).</summary>
    public IOptimizer Optimizer { get; }

    /// <summary>The run's position, generator, history and early-stopping state; its generator has moved on once the run ends.</summary>
    public TrainingState State { get; }

    /// <summary>Writes a checkpoint of the run (its state, optimizer and fingerprints); null when the options ask for none.</summary>
    public Action<NamedState>? SaveCheckpoint { get; init; }

    /// <summary>Trains to the last epoch (or until early stopping or cancellation) and returns the history.</summary>
    public TrainingHistory Fit(CancellationToken cancellationToken)
    {
        var trainer = new Trainer(_network, _options, _data.TrainRows, Optimizer)
        {
            Checkpoint = SaveCheckpoint is { } save
                ? state => save(CheckpointContents.Capture(state, Optimizer, _data.OptionsHash!, _data.DataHash!))
                : null,
        };
        if (_resume is not null)
        {
            _resume.Started = true;
        }

        return trainer.Fit(_data.Feed, _data.Validation, State, cancellationToken);
    }
}

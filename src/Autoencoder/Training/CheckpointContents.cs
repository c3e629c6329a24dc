using Autoencoder.Model;
using Autoencoder.Optimizers;

namespace Autoencoder.Training;

/// <summary>
/// What a checkpoint holds besides the model, ready to continue a run: the named state of every
/// part of the run gathered (<see cref="Capture"/>) and read back, each part checking its own
/// entries (<see cref="Read"/>), then the whole checked against the options of the resuming run
/// (<see cref="CheckMatches"/>).
/// </summary>
/// <remarks>
/// The parts: the run's position, order, generator and history (<see cref="TrainingState"/>),
/// early stopping (<see cref="EarlyStoppingState"/>), the schedule
/// (<see cref="ReduceOnPlateau.PlateauState"/>), the optimizer (<see cref="OptimizerState"/>), and
/// the fingerprints <c>training_options_sha256</c> and <c>training_data_sha256</c>
/// (<see cref="RunFingerprint"/>). <see cref="State"/> comes without its history, which
/// <see cref="History"/> keeps as the file's text until <see cref="State"/> is taken to resume.
/// </remarks>
internal sealed class CheckpointContents
{
    private const string OptionsHashKey = "training_options_sha256";
    private const string DataHashKey = "training_data_sha256";

    private readonly TrainingState _state;
    private readonly NamedState _entries;
    private readonly bool? _keepsBestWeights;
    private bool _historyRestored;

    private CheckpointContents(TrainingState state, CheckpointHistory history, NamedState entries, bool? keepsBestWeights)
    {
        _state = state;
        History = history;
        _entries = entries;
        _keepsBestWeights = keepsBestWeights;
    }

    /// <summary>The epochs completed before the checkpoint.</summary>
    public CheckpointHistory History { get; }

    /// <summary>The epoch the run was in, or was about to start (1-based).</summary>
    public int Epoch => _state.Epoch;

    /// <summary>Batches of <see cref="Epoch"/> already trained.</summary>
    public int Batch => _state.Batch;

    /// <summary>The state to resume from, its history filled in from <see cref="History"/> the first time it is taken.</summary>
    public TrainingState State
    {
        get
        {
            if (!_historyRestored)
            {
                _state.History.EnsureCapacity(History.Count);
                _state.History.AddRange(History);
                _historyRestored = true;
            }

            return _state;
        }
    }

    /// <summary>Set once training from this state has begun: from then on the state and the model have moved on.</summary>
    public bool Started { get; set; }

    /// <summary>The named state of a run at a checkpoint: every part's entries and the run's fingerprints.</summary>
    public static NamedState Capture(TrainingState state, IOptimizer optimizer, string optionsHash, string dataHash)
    {
        var entries = new NamedState();
        entries.SetText(OptionsHashKey, optionsHash);
        entries.SetText(DataHashKey, dataHash);
        state.SaveState(entries);
        state.EarlyStopping.SaveState(entries);
        ReduceOnPlateau.PlateauState.Save(state.Plateau, entries);
        optimizer.SaveState(entries);
        return entries;
    }

    /// <summary>
    /// Reads what <see cref="Capture"/> wrote, every part checking its own entries, and those that
    /// depend on another part against it (early stopping against the epochs completed, the
    /// optimizer's steps against the samples seen).
    /// </summary>
    /// <exception cref="ModelFormatException">An entry is malformed or contradicts another; the message says which.</exception>
    public static CheckpointContents Read(NamedState entries)
    {
        TrainingState state = TrainingState.RestoreState(entries, out CheckpointHistory history);
        state.EarlyStopping = EarlyStoppingState.RestoreState(entries, history.Count, out bool? keepsBestWeights);
        state.Plateau = ReduceOnPlateau.PlateauState.Restore(entries);
        OptimizerState.Check(entries, state.SamplesSeen);
        _ = entries.GetText(OptionsHashKey);
        _ = entries.GetText(DataHashKey);
        return new CheckpointContents(state, history, entries, keepsBestWeights);
    }

    /// <summary>
    /// Refuses other options or data (an argument error); once they match, a recorded state that
    /// does not fit them means the file is wrong, a <see cref="ModelFormatException"/>.
    /// </summary>
    public void CheckMatches(string options, string data, int trainRows, int batchSize, TrainingOptions settings)
    {
        if (options != _entries.GetText(OptionsHashKey))
        {
            throw new ArgumentException(
                "options must be those of the run that wrote the checkpoint (batch size, loss, optimizer, shuffle, seed, validation, corruption, schedule, early stopping, clipping and KL settings; " +
                "only Epochs, Progress, Callbacks and the checkpoint settings may change); got different ones.",
                nameof(options));
        }

        if (data != _entries.GetText(DataHashKey) || trainRows != _state.TrainRows)
        {
            throw new ArgumentException("x must be the training data (and validation data) of the run that wrote the checkpoint; got different data.", "x");
        }

        // The position must be one the run could have written.
        int batches = (trainRows + batchSize - 1) / batchSize;
        if (_state.Batch > batches || _state.EpochSamples != Math.Min((long)_state.Batch * batchSize, trainRows) || (_state.Batch > 0 && !_state.EpochStarted))
        {
            throw new ModelFormatException(Invariant(
                $"The checkpoint's position (batch {_state.Batch}, {_state.EpochSamples} samples into the epoch) does not fit the {batches} batches of {batchSize} of the run its options fingerprint names: the file is inconsistent."));
        }

        if ((_keepsBestWeights is bool keeps && keeps != (settings.EarlyStopping?.RestoreBestWeights == true))
            || (_state.Plateau is not null) != (settings.LearningRateSchedule is ReduceOnPlateau))
        {
            throw new ModelFormatException(
                "The checkpoint declares early-stopping or schedule state that the run its options fingerprint names does not keep: the file is inconsistent.");
        }

        if (_state.Plateau is { } plateau && settings.LearningRateSchedule is ReduceOnPlateau schedule && !schedule.Admits(plateau))
        {
            throw new ModelFormatException(Invariant(
                $"The checkpoint's ReduceOnPlateau state ({plateau.BadEpochs} bad epochs, {plateau.CooldownLeft} cooldown epochs left) is impossible for the schedule of the run its options fingerprint names (patience {schedule.Patience}, cooldown {schedule.Cooldown}): the file is inconsistent."));
        }
    }

    /// <summary>Gives <paramref name="optimizer"/>, the run's, the state the checkpoint holds (see <see cref="IOptimizer.RestoreState"/>).</summary>
    public void RestoreOptimizer(IOptimizer optimizer) => optimizer.RestoreState(_entries);
}

using Autoencoder.Optimizers;
using Autoencoder.Training;

namespace Autoencoder.Serialization;

internal static partial class CheckpointFile
{
    /// <summary>What a checkpoint file holds besides the model, ready to continue a run.</summary>
    /// <remarks>
    /// <paramref name="restoresBestWeights"/> is null for a format-1 file that cannot tell (no best epoch yet, so no best weights either way).
    /// <paramref name="state"/> comes without its history, which <see cref="History"/> keeps as the file's text until <see cref="State"/> is taken to resume.
    /// </remarks>
    internal sealed class Contents(TrainingState state, CheckpointHistory history, Dictionary<string, float[]> optimizerState, long optimizerSteps, string optionsHash, string dataHash, bool? restoresBestWeights)
    {
        private bool _historyRestored;

        /// <summary>The epochs completed before the checkpoint.</summary>
        public CheckpointHistory History { get; } = history;

        public int Epoch => state.Epoch;

        public int Batch => state.Batch;

        /// <summary>The state to resume from, its history filled in from <see cref="History"/> the first time it is taken.</summary>
        public TrainingState State
        {
            get
            {
                if (!_historyRestored)
                {
                    state.History.EnsureCapacity(History.Count);
                    state.History.AddRange(History);
                    _historyRestored = true;
                }

                return state;
            }
        }

        /// <summary>Set once training from this state has begun: from then on the state and the model have moved on.</summary>
        public bool Started { get; set; }

        /// <summary>
        /// Refuses other options or data (an argument error); once they match, a recorded state that
        /// does not fit them means the file is wrong, a <see cref="ModelFormatException"/>.
        /// </summary>
        public void CheckMatches(string options, string data, int trainRows, int batchSize, TrainingOptions settings)
        {
            if (options != optionsHash)
            {
                throw new ArgumentException(
                    "options must be those of the run that wrote the checkpoint (batch size, loss, optimizer, shuffle, seed, validation, corruption, schedule, early stopping, clipping and KL settings; " +
                    "only Epochs, Progress, Callbacks and the checkpoint settings may change); got different ones.",
                    nameof(options));
            }

            if (data != dataHash || trainRows != state.Order.Length)
            {
                throw new ArgumentException("x must be the training data (and validation data) of the run that wrote the checkpoint; got different data.", "x");
            }

            // The position must be one the run could have written.
            int batches = (trainRows + batchSize - 1) / batchSize;
            if (state.Batch > batches || state.EpochSamples != Math.Min((long)state.Batch * batchSize, trainRows) || (state.Batch > 0 && !state.EpochStarted))
            {
                throw new ModelFormatException(Invariant(
                    $"The checkpoint's position (batch {state.Batch}, {state.EpochSamples} samples into the epoch) does not fit the {batches} batches of {batchSize} of the run its options fingerprint names: the file is inconsistent."));
            }

            if ((restoresBestWeights is bool restores && restores != (settings.EarlyStopping?.RestoreBestWeights == true))
                || (state.Plateau is not null) != (settings.LearningRateSchedule is ReduceOnPlateau))
            {
                throw new ModelFormatException(
                    "The checkpoint declares early-stopping or schedule state that the run its options fingerprint names does not keep: the file is inconsistent.");
            }
        }

        public void RestoreOptimizer(IOptimizer optimizer)
        {
            var names = optimizer.State.Keys.Order(StringComparer.Ordinal).ToArray();
            if (!names.SequenceEqual(optimizerState.Keys.Order(StringComparer.Ordinal)))
            {
                // The options fingerprint matched, so this is the run's optimizer: the file is wrong.
                throw new ModelFormatException(
                    Invariant($"The checkpoint holds optimizer state [{string.Join(", ", optimizerState.Keys.Order(StringComparer.Ordinal))}] but the optimizer of the run its options fingerprint names keeps [{string.Join(", ", names)}]: the file is inconsistent."));
            }

            foreach (string name in names)
            {
                optimizerState[name].CopyTo(optimizer.State[name], 0);
            }

            optimizer.Steps = optimizerSteps;
        }
    }
}

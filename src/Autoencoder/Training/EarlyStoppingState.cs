using Autoencoder.Model;

namespace Autoencoder.Training;

/// <summary>
/// What early stopping keeps during a run (see <see cref="EarlyStopping"/>): the best monitored
/// loss, its epoch, the epochs since, and, when it restores them, the best epoch's weights and
/// state. It saves itself as named entries for a checkpoint and checks them when restored.
/// </summary>
/// <remarks>
/// Entries: <c>best_loss</c> (+∞ before the first epoch), <c>best_epoch</c> (absent until there
/// is one), <c>epochs_without_improvement</c>, <c>restore_best_weights</c> (whether the run keeps
/// best weights, declared so that a file missing them is refused) and tensor
/// <c>training.best_weights</c>, present exactly when best weights are kept and there is a best epoch.
/// </remarks>
internal sealed class EarlyStoppingState
{
    private const string BestLossKey = "best_loss";
    private const string BestEpochKey = "best_epoch";
    private const string WithoutImprovementKey = "epochs_without_improvement";
    private const string DeclarationKey = "restore_best_weights";

    /// <summary>The tensor of the best weights.</summary>
    public const string BestWeightsTensor = "training.best_weights";

    /// <summary>The lowest monitored loss so far (+∞ before the first epoch).</summary>
    public double BestLoss { get; set; } = double.PositiveInfinity;

    /// <summary>The epoch of <see cref="BestLoss"/>, or null before the first.</summary>
    public int? BestEpoch { get; set; }

    /// <summary>Completed epochs since <see cref="BestEpoch"/>.</summary>
    public int EpochsWithoutImprovement { get; set; }

    /// <summary>
    /// The network's parameters at <see cref="BestEpoch"/> followed by its state (batch
    /// normalization's running statistics), when early stopping restores them; else null. Allocated
    /// when the run starts, so it is there before there is a best epoch.
    /// </summary>
    public float[]? BestWeights { get; set; }

    /// <summary>Writes the entries (see the remarks).</summary>
    public void SaveState(NamedState state)
    {
        state.SetNumber(BestLossKey, BestLoss);
        if (BestEpoch is int best)
        {
            state.SetInt(BestEpochKey, best);
        }

        state.SetInt(WithoutImprovementKey, EpochsWithoutImprovement);
        state.SetFlag(DeclarationKey, BestWeights is not null);
        if (BestWeights is not null && BestEpoch is not null)
        {
            state.SetTensor(BestWeightsTensor, BestWeights);
        }
    }

    /// <summary>
    /// Reads the entries of a run that has completed <paramref name="completedEpochs"/> epochs:
    /// the best epoch is one of them, the epochs without improvement no more than them, and the best
    /// weights are there exactly when <c>restore_best_weights</c> declares them and there is a best
    /// epoch. <paramref name="keepsBestWeights"/> is what the state declares, null when it does not
    /// say (a checkpoint of format 1 with no best epoch yet, so no best weights either way).
    /// </summary>
    /// <exception cref="ModelFormatException">An entry is malformed, or the entries contradict each other.</exception>
    public static EarlyStoppingState RestoreState(NamedState state, int completedEpochs, out bool? keepsBestWeights)
    {
        var restored = new EarlyStoppingState
        {
            BestLoss = state.GetNumber(BestLossKey, allowInfinity: true),
            BestEpoch = state.GetOptionalInt(BestEpochKey, 1),
            EpochsWithoutImprovement = state.GetInt(WithoutImprovementKey, 0),
        };

        keepsBestWeights = state.GetOptionalFlag(DeclarationKey);
        bool hasBestWeights = state.TryGetTensor(BestWeightsTensor, out float[]? best);
        bool restores = keepsBestWeights ?? false;
        if (hasBestWeights != (restores && restored.BestEpoch is not null))
        {
            throw new ModelFormatException(restores
                ? Invariant($"The checkpoint restores best weights and {(restored.BestEpoch is int e ? Invariant($"names best epoch {e}") : "names no best epoch")}, so tensor '{BestWeightsTensor}' must be {(restored.BestEpoch is null ? "absent" : "present")}; it is {(hasBestWeights ? "present" : "missing")}.")
                : Invariant($"Tensor '{BestWeightsTensor}' is present but metadata '{DeclarationKey}' declares that early stopping keeps no best weights."));
        }

        if ((restored.BestEpoch is int epoch && epoch > completedEpochs) || restored.EpochsWithoutImprovement > completedEpochs)
        {
            throw new ModelFormatException(Invariant(
                $"The checkpoint's early-stopping state is inconsistent: best epoch {restored.BestEpoch?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, {restored.EpochsWithoutImprovement} epochs without improvement, after {completedEpochs} epochs."));
        }

        restored.BestWeights = best; // without a best epoch yet, the run allocates its own
        return restored;
    }
}

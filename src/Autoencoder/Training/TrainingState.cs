using System.Globalization;
using Autoencoder.Model;

namespace Autoencoder.Training;

/// <summary>
/// Everything about a training run in progress besides the weights and the optimizer's moments:
/// where it is (epoch, batch, the epoch's sample order, the generator), what it has measured so
/// far, and the state of early stopping and of a plateau schedule. A checkpoint stores it, so a
/// resumed run continues bit for bit.
/// </summary>
/// <remarks>
/// <see cref="SaveState"/> writes the run's own part (position, order, generator, measurements,
/// history); early stopping and the schedule write theirs (<see cref="EarlyStoppingState"/>,
/// <see cref="ReduceOnPlateau.PlateauState"/>). Entries: <c>train_rows</c>, <c>epoch</c>,
/// <c>batch</c>, <c>epoch_started</c>, <c>rng</c> (the generator's state and increment, two
/// 16-digit hex numbers joined by <c>:</c>), <c>loss_sum</c>, <c>epoch_samples</c>,
/// <c>samples_seen</c>, <c>last_validation</c> (absent until there is one), <c>learning_rate</c>,
/// <c>history</c> (see <see cref="CheckpointHistory"/>) and tensor <c>training.order</c>, the
/// sample indices as float32 (exact up to <see cref="CheckpointLimits.MaxRows"/>).
/// </remarks>
internal sealed class TrainingState
{
    /// <summary>The tensor of the sample order.</summary>
    public const string OrderTensor = "training.order";

    /// <summary>The entry of a streamed run's epoch key.</summary>
    public const string EpochKeyEntry = "epoch_key";

    /// <summary>
    /// A fresh run over <paramref name="trainRows"/> rows: epoch 1, drawing from
    /// <paramref name="random"/>; with <paramref name="keepsOrder"/> (rows in memory) the rows in
    /// order, else (rows streamed) no order, each epoch's being given by <see cref="EpochKey"/>.
    /// </summary>
    public TrainingState(int trainRows, Pcg32 random, bool keepsOrder = true)
    {
        TrainRows = trainRows;
        Order = keepsOrder ? new int[trainRows] : [];
        for (int i = 0; i < Order.Length; i++)
        {
            Order[i] = i;
        }

        Random = random;
    }

    /// <summary>The number of training rows.</summary>
    public int TrainRows { get; }

    /// <summary>True when the run keeps its sample order (<see cref="Order"/>; rows in memory), false when its rows are streamed in the order of <see cref="EpochKey"/>.</summary>
    public bool KeepsOrder => Order.Length == TrainRows;

    /// <summary>A streamed run's key of the current epoch's order, drawn from <see cref="Random"/> when the epoch starts shuffled.</summary>
    public ulong EpochKey { get; set; }

    /// <summary>The epoch in progress, or the next to start when <see cref="Batch"/> is 0 and <see cref="EpochStarted"/> is false (1-based).</summary>
    public int Epoch { get; set; } = 1;

    /// <summary>The next batch of <see cref="Epoch"/> to train (0-based).</summary>
    public int Batch { get; set; }

    /// <summary>True once <see cref="Epoch"/> has shuffled its order and set its rate.</summary>
    public bool EpochStarted { get; set; }

    /// <summary>The sample order of the current epoch (each epoch shuffles the previous order in place); empty when the rows are streamed.</summary>
    public int[] Order { get; }

    /// <summary>The generator of the sample order, dropout and noise (a field, so steps draw from it by reference).</summary>
    public Pcg32 Random;

    /// <summary>Sum of batch losses weighted by batch rows over the current epoch so far.</summary>
    public double LossSum { get; set; }

    /// <summary>Samples trained in the current epoch so far.</summary>
    public int EpochSamples { get; set; }

    /// <summary>Samples trained in the whole run so far.</summary>
    public long SamplesSeen { get; set; }

    /// <summary>The validation loss of the last completed epoch, or null when there is none.</summary>
    public double? LastValidation { get; set; }

    /// <summary>The learning rate of the current epoch.</summary>
    public double LearningRate { get; set; }

    /// <summary>The completed epochs.</summary>
    public List<EpochResult> History { get; } = [];

    /// <summary>Early stopping's state; <see cref="BestLoss"/>, <see cref="BestEpoch"/>, <see cref="EpochsWithoutImprovement"/> and <see cref="BestWeights"/> are its parts.</summary>
    public EarlyStoppingState EarlyStopping { get; set; } = new();

    /// <summary>See <see cref="EarlyStoppingState.BestLoss"/>.</summary>
    public double BestLoss
    {
        get => EarlyStopping.BestLoss;
        set => EarlyStopping.BestLoss = value;
    }

    /// <summary>See <see cref="EarlyStoppingState.BestEpoch"/>.</summary>
    public int? BestEpoch
    {
        get => EarlyStopping.BestEpoch;
        set => EarlyStopping.BestEpoch = value;
    }

    /// <summary>See <see cref="EarlyStoppingState.EpochsWithoutImprovement"/>.</summary>
    public int EpochsWithoutImprovement
    {
        get => EarlyStopping.EpochsWithoutImprovement;
        set => EarlyStopping.EpochsWithoutImprovement = value;
    }

    /// <summary>See <see cref="EarlyStoppingState.BestWeights"/>: the parameters of the best epoch followed by its state, when early stopping restores them; else null.</summary>
    public float[]? BestWeights
    {
        get => EarlyStopping.BestWeights;
        set => EarlyStopping.BestWeights = value;
    }

    /// <summary>The state of the run's schedule as of the last checkpoint: a <see cref="ReduceOnPlateau"/> schedule's, null for other schedules (which keep none).</summary>
    public ReduceOnPlateau.PlateauState? Plateau { get; set; }

    /// <summary>Writes the run's own entries (see the remarks) to <paramref name="state"/>.</summary>
    public void SaveState(NamedState state)
    {
        state.SetInt("train_rows", TrainRows);
        state.SetInt("epoch", Epoch);
        state.SetInt("batch", Batch);
        state.SetFlag("epoch_started", EpochStarted);
        var (rngState, rngIncrement) = Random.RawState;
        state.SetText("rng", Invariant($"{rngState.ToString("x16", CultureInfo.InvariantCulture)}:{rngIncrement.ToString("x16", CultureInfo.InvariantCulture)}"));
        state.SetNumber("loss_sum", LossSum);
        state.SetInt("epoch_samples", EpochSamples);
        state.SetLong("samples_seen", SamplesSeen);
        if (LastValidation is double validation)
        {
            state.SetNumber("last_validation", validation);
        }

        state.SetNumber("learning_rate", LearningRate);
        state.SetText(CheckpointHistory.Key, CheckpointHistory.Write(History));
        if (KeepsOrder)
        {
            state.SetTensor(OrderTensor, Array.ConvertAll(Order, i => (float)i));
        }
        else
        {
            state.SetText(EpochKeyEntry, EpochKey.ToString("x16", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// A run's own part of <paramref name="state"/>, checked as a whole: the position is one a run
    /// over its rows could have written, whatever its batch size; the order is a permutation; the
    /// history has one entry per completed epoch (<paramref name="history"/>, kept as the entry's
    /// text; the returned state's <see cref="History"/> is left empty). Early stopping and the
    /// schedule are left fresh.
    /// </summary>
    /// <exception cref="ModelFormatException">An entry is malformed or contradicts another; the message says which.</exception>
    public static TrainingState RestoreState(NamedState state, out CheckpointHistory history)
    {
        int rows = state.GetInt("train_rows", 1);
        bool keepsOrder = !state.Has(EpochKeyEntry);
        if (keepsOrder && rows > CheckpointLimits.MaxRows)
        {
            throw new ModelFormatException(Invariant($"Metadata 'train_rows' must be at most {CheckpointLimits.MaxRows}; got {rows}."));
        }

        float[] order = keepsOrder ? state.GetTensor(OrderTensor) : [];
        if (keepsOrder && order.Length != rows)
        {
            throw new ModelFormatException(Invariant($"Tensor '{OrderTensor}' must hold {rows} values, one per training row; got {order.Length}."));
        }

        ulong epochKey = 0;
        if (!keepsOrder)
        {
            string keyText = state.GetText(EpochKeyEntry);
            if (state.HasTensor(OrderTensor) || !Hex(keyText, out epochKey))
            {
                throw new ModelFormatException(Invariant($"Metadata '{EpochKeyEntry}' must be a 16-digit hex number, in a checkpoint without tensor '{OrderTensor}'; got '{ShownText.Of(keyText)}'."));
            }
        }

        string rng = state.GetText("rng");
        string[] parts = rng.Split(':');
        if (parts.Length != 2 || !Hex(parts[0], out ulong rngState) || !Hex(parts[1], out ulong rngIncrement) || (rngIncrement & 1) == 0)
        {
            throw new ModelFormatException(Invariant($"Metadata 'rng' must be two 16-digit hex numbers, the second odd; got '{ShownText.Of(rng)}'."));
        }

        var restored = new TrainingState(rows, Pcg32.FromState(rngState, rngIncrement), keepsOrder)
        {
            EpochKey = epochKey,
            Epoch = state.GetInt("epoch", 1),
            Batch = state.GetInt("batch", 0),
            EpochStarted = state.GetFlag("epoch_started"),
            LossSum = state.GetNumber("loss_sum"),
            EpochSamples = state.GetInt("epoch_samples", 0),
            SamplesSeen = state.GetLong("samples_seen"),
            LastValidation = state.GetOptionalNumber("last_validation"),
            LearningRate = state.GetNumber("learning_rate"),
        };

        if (restored.Epoch > CheckpointLimits.MaxEpochs + 1)
        {
            throw new ModelFormatException(Invariant($"Metadata 'epoch' must be at most {CheckpointLimits.MaxEpochs + 1} (checkpointed runs have at most {CheckpointLimits.MaxEpochs} epochs); got {restored.Epoch}."));
        }

        restored.CheckPosition();
        var seen = new bool[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            float value = order[i];
            int index = (int)value;
            if (index != value || index < 0 || index >= rows || seen[index])
            {
                throw new ModelFormatException(Invariant($"Tensor '{OrderTensor}' must be a permutation of 0..{rows - 1}; got {value} at index {i}."));
            }

            seen[index] = true;
            restored.Order[i] = index;
        }

        history = CheckpointHistory.Read(state.GetUtf8(CheckpointHistory.Key), restored.Epoch);
        if (!(restored.LearningRate >= 0 && restored.LearningRate <= float.MaxValue) || restored.LossSum < 0)
        {
            throw new ModelFormatException(Invariant(
                $"The checkpoint's training state is inconsistent: learning rate {restored.LearningRate} (rates lie in [0, {float.MaxValue}]), loss sum {restored.LossSum} (never negative)."));
        }

        return restored;
    }

    /// <summary>
    /// The position must be one a run over <see cref="TrainRows"/> rows could have written, whatever
    /// its batch size: every batch holds at least one row and all but the last are full.
    /// </summary>
    private void CheckPosition()
    {
        int rows = TrainRows;
        bool fits = Batch <= rows
            && EpochSamples <= rows
            && (Batch == 0) == (EpochSamples == 0)
            && (Batch == 0 || (EpochSamples >= Batch && (EpochSamples == rows || EpochSamples % Batch == 0)))
            && (EpochStarted || Batch == 0)
            && SamplesSeen == ((long)(Epoch - 1) * rows) + EpochSamples;
        if (!fits)
        {
            throw new ModelFormatException(Invariant(
                $"The checkpoint's position is impossible for {rows} training rows: epoch {Epoch}, batch {Batch}, {EpochSamples} samples into the epoch, {SamplesSeen} samples seen."));
        }
    }

    private static bool Hex(string text, out ulong value)
    {
        value = 0;
        return text.Length == 16
            && ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            && value.ToString("x16", CultureInfo.InvariantCulture) == text;
    }
}

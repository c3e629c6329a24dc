using System.Text;
using Autoencoder.Model;

namespace Autoencoder.Serialization;

/// <summary>
/// Training checkpoints: a model file (same layout, same checks, same atomic save) whose extras
/// hold the <see cref="NamedState"/> a run's parts expose (the optimizer, the schedule, early
/// stopping, the position in the data): every scalar entry as a metadata key and every tensor as
/// a tensor of the same name, beside <c>checkpoint_format</c>. What the entries mean, and whether
/// their values fit each other, is for the parts to check when they read them back; this file
/// knows only what a hostile file needs: the names a checkpoint may hold and which of them it must,
/// the long entry (<c>history</c>, read as UTF-8 bytes, never decoded), every tensor's shape, and
/// how format 1 is read as format 2.
/// </summary>
/// <remarks>
/// Format 2 (written since the format declared what the run keeps) holds every entry of
/// <see cref="Keys"/> but <c>last_validation</c>, <c>best_epoch</c> and <c>plateau</c>, which a run
/// may not have yet, and <c>epoch_key</c>, which a run streaming its rows from a file or an
/// enumerable holds instead of the tensor <c>training.order</c> of a run over rows in memory. Its declarations (<c>optimizer_state</c>, <c>restore_best_weights</c>,
/// <c>plateau_schedule</c>) say which of the optional state the run keeps, so the parts refuse a
/// file missing any of it. Format 1 declares nothing: a format-1 file must not hold the
/// declarations, and is read as declaring what it holds (the optimizer tensors present; best
/// weights kept when the tensor is there, not kept when a best epoch is named without it, and
/// undeclared otherwise, checked against the run's options at resume; a plateau schedule when its
/// state is there). Both formats have the same entries and tensors otherwise, and
/// <c>training.best_weights</c> holds the network's parameters followed by its state
/// (<c>[ParameterCount + StateCount]</c>), which is <c>[ParameterCount]</c> for every network
/// without state, the only ones older files can hold.
/// </remarks>
internal static class CheckpointFile
{
    /// <summary>The most training rows of a checkpointed run (see <see cref="CheckpointLimits.MaxRows"/>).</summary>
    public const int MaxRows = CheckpointLimits.MaxRows;

    /// <summary>The most epochs of a checkpointed run (see <see cref="CheckpointLimits.MaxEpochs"/>).</summary>
    public const int MaxEpochs = CheckpointLimits.MaxEpochs;

    private const string FormatKey = "checkpoint_format";
    private const string FormatVersion = "2";
    private const string TrainRowsKey = "train_rows";
    private const string OrderTensor = "training.order";
    private const string BestWeightsTensor = "training.best_weights";

    /// <summary>The optimizers' per-parameter buffers, in ordinal order.</summary>
    private static readonly string[] OptimizerTensors = ["optimizer.m", "optimizer.momentum", "optimizer.v"];

    /// <summary>The entries a checkpoint may hold besides <c>checkpoint_format</c>.</summary>
    private static readonly string[] Keys =
    [
        "training_options_sha256", "training_data_sha256", TrainRowsKey, "epoch", "batch", "epoch_started",
        "rng", "loss_sum", "epoch_samples", "samples_seen", "last_validation", "learning_rate", "history", "best_loss", "best_epoch",
        "epochs_without_improvement", "plateau", "optimizer_steps", "optimizer_state", "restore_best_weights", "plateau_schedule", "epoch_key",
    ];

    /// <summary>The entries a run may not have yet.</summary>
    private static readonly string[] OptionalKeys = ["last_validation", "best_epoch", "plateau", "epoch_key"];

    /// <summary>The entries format 2 added: what the run keeps, declared so a file missing any of it is refused at load.</summary>
    private static readonly string[] DeclarationKeys = ["optimizer_state", "restore_best_weights", "plateau_schedule"];

    private static readonly ModelFileSchema Schema = new(
        [FormatKey, .. Keys],
        new Dictionary<string, Func<ModelShape, IReadOnlyDictionary<string, string>, int[]>>
        {
            [OrderTensor] = (_, metadata) => [TrainRows(metadata)],
            [BestWeightsTensor] = (shape, _) => [ParametersAndState(shape)],
            [OptimizerTensors[0]] = (shape, _) => [shape.ParameterCount],
            [OptimizerTensors[1]] = (shape, _) => [shape.ParameterCount],
            [OptimizerTensors[2]] = (shape, _) => [shape.ParameterCount],
        },
        longMetadataKeys: ["history"]);

    /// <summary>
    /// Writes <paramref name="model"/> and <paramref name="state"/> to <paramref name="path"/>
    /// atomically, in format 2.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="state"/> holds an entry or tensor a checkpoint cannot, or a tensor of a shape it cannot have for <paramref name="model"/>.</exception>
    public static void Save(string path, AutoencoderModel model, NamedState state)
    {
        var extras = new ModelFileExtras();
        extras.Metadata[FormatKey] = FormatVersion;
        foreach (var (name, value) in state.Text)
        {
            extras.Metadata[Known(name)] = value;
        }

        foreach (var (name, value) in state.Utf8)
        {
            extras.Metadata[Known(name)] = Encoding.UTF8.GetString(value.Span);
        }

        var shape = new ModelShape(model.InputSize, model.Network.Parameters.Length, model.Network.State.Length);
        foreach (var (name, tensor) in state.Tensors)
        {
            if (!Schema.Tensors.TryGetValue(name, out var expected))
            {
                throw new ArgumentException(Invariant($"A checkpoint holds only the tensors {string.Join(", ", Schema.TensorNames)}; got '{name}'."), nameof(state));
            }

            int[] dimensions = expected(shape, extras.Metadata);
            if (!tensor.Shape.SequenceEqual(dimensions))
            {
                throw new ArgumentException(Invariant($"Tensor '{name}' of this model's checkpoint must have shape [{string.Join(", ", dimensions)}]; got [{string.Join(", ", tensor.Shape)}]."), nameof(state));
            }

            extras.Tensors[name] = new ExtraTensor(tensor.Shape, tensor.Values);
        }

        ModelFile.Save(model, path, extras);
    }

    /// <summary>
    /// Reads the checkpoint at <paramref name="path"/>: the model, and what <paramref name="read"/>
    /// makes of the named state once this file's own checks pass. A <see cref="ModelFormatException"/>
    /// of either names the file.
    /// </summary>
    public static (AutoencoderModel Model, T Contents) Load<T>(string path, Func<NamedState, T> read)
    {
        AutoencoderModel model = ModelFile.Load(path, Schema, out ModelFileExtras extras);
        try
        {
            return (model, read(Parse(extras)));
        }
        catch (ModelFormatException e)
        {
            throw new ModelFormatException(Invariant($"'{path}': {e.Message}"), e);
        }
    }

    /// <summary>Reads a checkpoint from <paramref name="stream"/> (see <see cref="ModelFile.Read(Stream, ModelFileSchema, out ModelFileExtras, ModelFileLimits?)"/>) within <paramref name="limits"/>, the default budget unless given, as <see cref="Load"/> reads a file.</summary>
    public static (AutoencoderModel Model, T Contents) Read<T>(Stream stream, Func<NamedState, T> read, ModelFileLimits? limits = null)
    {
        AutoencoderModel model = ModelFile.Read(stream, Schema, out ModelFileExtras extras, limits);
        return (model, read(Parse(extras)));
    }

    /// <summary>The named state the extras hold: every required entry there, format 1 read as format 2.</summary>
    private static NamedState Parse(ModelFileExtras extras)
    {
        var m = extras.Metadata;
        if (!m.TryGetValue(FormatKey, out string? format))
        {
            throw new ModelFormatException(Invariant($"This is not a training checkpoint: metadata '{FormatKey}' is missing."));
        }

        if (format is not ("1" or FormatVersion))
        {
            throw new ModelFormatException(Invariant($"Checkpoint format '{ShownText.Of(format)}' is not supported; this library reads formats 1 and {FormatVersion}."));
        }

        bool declares = format == FormatVersion;
        foreach (string key in Keys.Where(k => !OptionalKeys.Contains(k)))
        {
            bool declaration = DeclarationKeys.Contains(key);
            if (!m.ContainsKey(key) && !extras.Utf8Metadata.ContainsKey(key) && (declares || !declaration))
            {
                throw new ModelFormatException(Invariant($"This is not a training checkpoint: metadata '{key}' is missing."));
            }

            if (m.ContainsKey(key) && !declares && declaration)
            {
                throw new ModelFormatException(Invariant($"Metadata '{key}' belongs to checkpoint format {FormatVersion}; this file says format 1."));
            }
        }

        var state = new NamedState();
        foreach (var (key, value) in m.Where(e => e.Key != FormatKey))
        {
            state.SetText(key, value);
        }

        foreach (var (key, value) in extras.Utf8Metadata)
        {
            state.SetUtf8(key, value);
        }

        foreach (var (name, tensor) in extras.Tensors)
        {
            state.SetTensor(name, new StateTensor(tensor.Shape, tensor.Values));
        }

        if (!declares)
        {
            DeclareWhatItHolds(state);
        }

        return state;
    }

    /// <summary>Reads a format-1 state as declaring what it holds (see the remarks).</summary>
    private static void DeclareWhatItHolds(NamedState state)
    {
        state.SetText(DeclarationKeys[0], string.Join(",", OptimizerTensors.Where(state.HasTensor)));
        if (state.HasTensor(BestWeightsTensor) || state.Has("best_epoch"))
        {
            state.SetFlag(DeclarationKeys[1], state.HasTensor(BestWeightsTensor));
        }

        state.SetFlag(DeclarationKeys[2], state.Has("plateau"));
    }

    /// <summary><paramref name="name"/>, when a checkpoint may hold that entry.</summary>
    private static string Known(string name) =>
        Keys.Contains(name) ? name : throw new ArgumentException(Invariant($"A checkpoint holds only the entries {string.Join(", ", Keys)}; got '{name}'."), "state");

    /// <summary>The length of the best weights: the network's parameters and its state.</summary>
    private static int ParametersAndState(ModelShape shape)
    {
        long length = (long)shape.ParameterCount + shape.StateCount;
        return length <= Array.MaxLength ? (int)length : throw new ModelFormatException(Invariant($"The network's {shape.ParameterCount} parameters and {shape.StateCount} state values do not fit one array of at most {Array.MaxLength}."));
    }

    private static int TrainRows(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(TrainRowsKey, out string? text))
        {
            throw new ModelFormatException(Invariant($"This is not a training checkpoint: metadata '{TrainRowsKey}' is missing."));
        }

        int rows = NamedState.ParseInt(text, TrainRowsKey, 1);
        return rows <= MaxRows ? rows : throw new ModelFormatException(Invariant($"Metadata '{TrainRowsKey}' must be at most {MaxRows}; got {rows}."));
    }
}

using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Autoencoder.Model;
using Autoencoder.Optimizers;
using Autoencoder.Training;

namespace Autoencoder.Serialization;

/// <summary>
/// Training checkpoints: a model file (same layout, same checks, same atomic save) whose extras
/// hold the optimizer's state tensors, the epoch's sample order, the best weights kept by early
/// stopping, and in metadata the generator's state, the position in the run, the history so far,
/// and SHA-256 fingerprints of the training options and data, so a resume with anything else
/// is refused. Numbers are invariant round-trip text; the reader accepts nothing else.
/// </summary>
/// <remarks>
/// Format 2 declares what the run keeps, so a file missing any of it is refused when loaded
/// (format 1 files, which declare nothing, still load; what they hold is checked at resume):
/// <c>optimizer_state</c> (the optimizer's state tensors, comma-separated in ordinal order, empty
/// for none), <c>restore_best_weights</c> (<c>true</c> when early stopping keeps the best weights:
/// then <c>training.best_weights</c> is present exactly when <c>best_epoch</c> is) and
/// <c>plateau_schedule</c> (<c>true</c> when the schedule is <see cref="ReduceOnPlateau"/>, whose
/// state <c>plateau</c> then holds). Every position is checked against the others at load
/// (epoch and history, batch and samples against the training rows, the order a permutation);
/// at resume, once the options' fingerprint matches, the declarations must fit the options too.
/// </remarks>
internal static partial class CheckpointFile
{
    /// <summary>Sample indices are stored as float32, exact up to 2^24.</summary>
    public const int MaxRows = 1 << 24;

    /// <summary>
    /// The most epochs a checkpointed run may have: its history, one entry per epoch, then stays
    /// within about 13 MB, which a load checks in well under a second whatever the numbers are.
    /// </summary>
    public const int MaxEpochs = 100_000;

    private const string FormatVersion = "2";
    private const string OrderTensor = "training.order";
    private const string BestWeightsTensor = "training.best_weights";

    private static readonly string[] OptimizerTensors = ["optimizer.m", "optimizer.v", "optimizer.momentum"];

    private static readonly string[] Keys =
    [
        "checkpoint_format", "training_options_sha256", "training_data_sha256", "train_rows", "epoch", "batch", "epoch_started",
        "rng", "loss_sum", "epoch_samples", "samples_seen", "last_validation", "learning_rate", "history", "best_loss", "best_epoch",
        "epochs_without_improvement", "plateau", "optimizer_steps", "optimizer_state", "restore_best_weights", "plateau_schedule",
    ];

    /// <summary>The keys format 2 added: what the run keeps, declared so a file missing any of it is refused at load.</summary>
    private static readonly string[] DeclarationKeys = ["optimizer_state", "restore_best_weights", "plateau_schedule"];

    private static readonly ModelFileSchema Schema = new(
        Keys,
        new Dictionary<string, Func<ModelShape, IReadOnlyDictionary<string, string>, int[]>>
        {
            [OrderTensor] = (_, metadata) => [TrainRows(metadata)],
            [BestWeightsTensor] = (shape, _) => [shape.ParameterCount],
            [OptimizerTensors[0]] = (shape, _) => [shape.ParameterCount],
            [OptimizerTensors[1]] = (shape, _) => [shape.ParameterCount],
            [OptimizerTensors[2]] = (shape, _) => [shape.ParameterCount],
        },
        longMetadataKeys: ["history"]);

    public static void Save(string path, AutoencoderModel model, IOptimizer optimizer, TrainingState state, string optionsHash, string dataHash)
    {
        var extras = new ModelFileExtras();
        var m = extras.Metadata;
        m["checkpoint_format"] = FormatVersion;
        m["training_options_sha256"] = optionsHash;
        m["training_data_sha256"] = dataHash;
        m["train_rows"] = Int(state.Order.Length);
        m["epoch"] = Int(state.Epoch);
        m["batch"] = Int(state.Batch);
        m["epoch_started"] = state.EpochStarted ? "true" : "false";
        var (rngState, rngIncrement) = state.Random.RawState;
        m["rng"] = Invariant($"{rngState.ToString("x16", CultureInfo.InvariantCulture)}:{rngIncrement.ToString("x16", CultureInfo.InvariantCulture)}");
        m["loss_sum"] = Number(state.LossSum);
        m["epoch_samples"] = Int(state.EpochSamples);
        m["samples_seen"] = state.SamplesSeen.ToString(CultureInfo.InvariantCulture);
        if (state.LastValidation is double validation)
        {
            m["last_validation"] = Number(validation);
        }

        m["learning_rate"] = Number(state.LearningRate);
        m["history"] = string.Join(";", state.History.Select(e =>
            Invariant($"{Int(e.Epoch)}:{Number(e.TrainLoss)}:{(e.ValidationLoss is double v ? Number(v) : "-")}:{e.Duration.Ticks.ToString(CultureInfo.InvariantCulture)}:{Number(e.LearningRate)}")));
        m["best_loss"] = Number(state.BestLoss);
        if (state.BestEpoch is int best)
        {
            m["best_epoch"] = Int(best);
        }

        m["epochs_without_improvement"] = Int(state.EpochsWithoutImprovement);
        if (state.Plateau is { } p)
        {
            m["plateau"] = Invariant($"{Number(p.Rate)}:{Number(p.Best)}:{Int(p.BadEpochs)}:{Int(p.CooldownLeft)}");
        }

        m["optimizer_steps"] = optimizer.Steps.ToString(CultureInfo.InvariantCulture);
        m["optimizer_state"] = string.Join(",", optimizer.State.Keys.Order(StringComparer.Ordinal));
        m["restore_best_weights"] = state.BestWeights is not null ? "true" : "false"; // allocated from the start when early stopping restores
        m["plateau_schedule"] = state.Plateau is not null ? "true" : "false";
        int parameters = model.Network.Parameters.Length;
        foreach (var (name, values) in optimizer.State)
        {
            extras.Tensors[name] = new ExtraTensor([parameters], values);
        }

        extras.Tensors[OrderTensor] = new ExtraTensor([state.Order.Length], Array.ConvertAll(state.Order, i => (float)i));
        if (state.BestWeights is not null && state.BestEpoch is not null)
        {
            extras.Tensors[BestWeightsTensor] = new ExtraTensor([parameters], state.BestWeights);
        }

        ModelFile.Save(model, path, extras);
    }

    public static (AutoencoderModel Model, Contents Contents) Load(string path)
    {
        AutoencoderModel model = ModelFile.Load(path, Schema, out ModelFileExtras extras);
        try
        {
            return (model, Parse(extras));
        }
        catch (ModelFormatException e)
        {
            throw new ModelFormatException(Invariant($"'{path}': {e.Message}"), e);
        }
    }

    /// <summary>Reads a checkpoint from <paramref name="stream"/> (see <see cref="ModelFile.Read(Stream, ModelFileSchema, out ModelFileExtras, ModelFileLimits?)"/>) within <paramref name="limits"/>, the default budget unless given.</summary>
    public static (AutoencoderModel Model, Contents Contents) Read(Stream stream, ModelFileLimits? limits = null)
    {
        AutoencoderModel model = ModelFile.Read(stream, Schema, out ModelFileExtras extras, limits);
        return (model, Parse(extras));
    }

    private static Contents Parse(ModelFileExtras extras)
    {
        var m = extras.Metadata;
        if (!m.TryGetValue("checkpoint_format", out string? format))
        {
            throw new ModelFormatException("This is not a training checkpoint: metadata 'checkpoint_format' is missing.");
        }

        if (format is not ("1" or FormatVersion))
        {
            throw new ModelFormatException(Invariant($"Checkpoint format '{TensorName.Shown(format)}' is not supported; this library reads formats 1 and {FormatVersion}."));
        }

        bool declares = format == FormatVersion;
        foreach (string key in Keys.Where(k => k is not ("last_validation" or "best_epoch" or "plateau")))
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

        int rows = TrainRows(m);
        if (!extras.Tensors.TryGetValue(OrderTensor, out ExtraTensor? orderTensor))
        {
            throw new ModelFormatException(Invariant($"Tensor '{OrderTensor}' is missing."));
        }

        string[] rng = m["rng"].Split(':');
        if (rng.Length != 2 || !Hex(rng[0], out ulong rngState) || !Hex(rng[1], out ulong rngIncrement) || (rngIncrement & 1) == 0)
        {
            throw new ModelFormatException(Invariant($"Metadata 'rng' must be two 16-digit hex numbers, the second odd; got '{TensorName.Shown(m["rng"])}'."));
        }

        var state = new TrainingState(rows, Pcg32.FromState(rngState, rngIncrement))
        {
            Epoch = Int(m, "epoch", 1),
            Batch = Int(m, "batch", 0),
            EpochStarted = Flag(m, "epoch_started"),
            LossSum = Number(m["loss_sum"], "loss_sum"),
            EpochSamples = Int(m, "epoch_samples", 0),
            SamplesSeen = Long(m["samples_seen"], "samples_seen"),
            LastValidation = m.TryGetValue("last_validation", out string? v) ? Number(v, "last_validation") : null,
            LearningRate = Number(m["learning_rate"], "learning_rate"),
            BestLoss = Number(m["best_loss"], "best_loss", allowInfinity: true),
            BestEpoch = m.ContainsKey("best_epoch") ? Int(m, "best_epoch", 1) : null,
            EpochsWithoutImprovement = Int(m, "epochs_without_improvement", 0),
        };

        if (state.Epoch > MaxEpochs + 1)
        {
            throw new ModelFormatException(Invariant($"Metadata 'epoch' must be at most {MaxEpochs + 1} (checkpointed runs have at most {MaxEpochs} epochs); got {state.Epoch}."));
        }

        CheckPosition(state, rows);

        var seen = new bool[rows];
        for (int i = 0; i < rows; i++)
        {
            float value = orderTensor.Values[i];
            int index = (int)value;
            if (index != value || index < 0 || index >= rows || seen[index])
            {
                throw new ModelFormatException(Invariant($"Tensor '{OrderTensor}' must be a permutation of 0..{rows - 1}; got {value} at index {i}."));
            }

            seen[index] = true;
            state.Order[i] = index;
        }

        var history = CheckpointHistory.Read(extras.Utf8Metadata["history"], state.Epoch);

        // Format 1 declares nothing: what it keeps is what it holds, checked against the run's
        // options at resume (a best epoch without best weights may be a run that keeps none).
        bool plateauSchedule = declares ? Flag(m, "plateau_schedule") : m.ContainsKey("plateau");
        if (m.TryGetValue("plateau", out string? plateau) != plateauSchedule)
        {
            throw new ModelFormatException(plateauSchedule
                ? "Metadata 'plateau_schedule' declares a ReduceOnPlateau schedule but its state, metadata 'plateau', is missing."
                : "Metadata 'plateau' holds a ReduceOnPlateau schedule's state but 'plateau_schedule' declares no such schedule.");
        }

        if (plateau is not null)
        {
            string[] f = plateau.Split(':');
            if (f.Length != 4)
            {
                throw new ModelFormatException(Invariant($"Metadata 'plateau' must be rate:best:bad:cooldown; got '{TensorName.Shown(plateau)}'."));
            }

            state.Plateau = (Number(f[0], "plateau"), Number(f[1], "plateau", allowInfinity: true), Int(f[2], "plateau", 0), Int(f[3], "plateau", 0));
        }

        bool hasBestWeights = extras.Tensors.TryGetValue(BestWeightsTensor, out ExtraTensor? best);
        bool? declaredRestore = declares ? Flag(m, "restore_best_weights")
            : hasBestWeights ? true
            : state.BestEpoch is null ? null
            : false;
        bool restoresBestWeights = declaredRestore ?? false;
        if (hasBestWeights && state.BestEpoch is null && !declares)
        {
            throw new ModelFormatException(Invariant($"Tensor '{BestWeightsTensor}' is present but the checkpoint names no best epoch."));
        }

        if (declares && hasBestWeights != (restoresBestWeights && state.BestEpoch is not null))
        {
            throw new ModelFormatException(restoresBestWeights
                ? Invariant($"The checkpoint restores best weights and {(state.BestEpoch is int e ? $"names best epoch {e}" : "names no best epoch")}, so tensor '{BestWeightsTensor}' must be {(state.BestEpoch is null ? "absent" : "present")}; it is {(hasBestWeights ? "present" : "missing")}.")
                : Invariant($"Tensor '{BestWeightsTensor}' is present but metadata 'restore_best_weights' declares that early stopping keeps no best weights."));
        }

        state.BestWeights = best?.Values; // without a best epoch yet, the run allocates its own

        bool consistent = (state.BestEpoch is null || state.BestEpoch <= history.Count)
            && state.EpochsWithoutImprovement <= history.Count
            && state.LearningRate >= 0 && state.LearningRate <= float.MaxValue
            && (state.Plateau is not { } p || (p.Rate >= 0 && p.Rate <= float.MaxValue))
            && state.LossSum >= 0;
        if (!consistent)
        {
            throw new ModelFormatException(Invariant($"The checkpoint's early-stopping state is inconsistent: best epoch {state.BestEpoch?.ToString(CultureInfo.InvariantCulture) ?? "none"}, {state.EpochsWithoutImprovement} epochs without improvement, learning rate {state.LearningRate} (plateau rate {state.Plateau?.Rate}; rates lie in [0, {float.MaxValue}]), loss sum {state.LossSum}, after {history.Count} epochs."));
        }

        // Every step takes at least one sample, so the optimizer has taken at most as many steps as samples were seen.
        long optimizerSteps = Long(m["optimizer_steps"], "optimizer_steps");
        if (optimizerSteps < 0 || optimizerSteps > state.SamplesSeen)
        {
            throw new ModelFormatException(Invariant($"Metadata 'optimizer_steps' must be in [0, {state.SamplesSeen}] (one step takes at least one of the {state.SamplesSeen} samples seen); got {optimizerSteps}."));
        }

        string declaredState = declares
            ? m["optimizer_state"]
            : string.Join(",", OptimizerTensors.Where(extras.Tensors.ContainsKey).Order(StringComparer.Ordinal));
        var optimizerState = ReadOptimizerState(declaredState, extras);
        return new Contents(state, history, optimizerState, optimizerSteps, m["training_options_sha256"], m["training_data_sha256"], declaredRestore);
    }

    /// <summary>
    /// The position must be one a run over <paramref name="rows"/> rows could have written, whatever
    /// its batch size: every batch holds at least one row and all but the last are full.
    /// </summary>
    private static void CheckPosition(TrainingState state, int rows)
    {
        bool fits = state.Batch <= rows
            && state.EpochSamples <= rows
            && (state.Batch == 0) == (state.EpochSamples == 0)
            && (state.Batch == 0 || (state.EpochSamples >= state.Batch && (state.EpochSamples == rows || state.EpochSamples % state.Batch == 0)))
            && (state.EpochStarted || state.Batch == 0)
            && state.SamplesSeen == ((long)(state.Epoch - 1) * rows) + state.EpochSamples;
        if (!fits)
        {
            throw new ModelFormatException(Invariant(
                $"The checkpoint's position is impossible for {rows} training rows: epoch {state.Epoch}, batch {state.Batch}, {state.EpochSamples} samples into the epoch, {state.SamplesSeen} samples seen."));
        }
    }

    /// <summary>The optimizer's state tensors, exactly those <c>optimizer_state</c> declares.</summary>
    private static Dictionary<string, float[]> ReadOptimizerState(string declared, ModelFileExtras extras)
    {
        string[] names = declared.Length == 0 ? [] : declared.Split(',');
        if (names.Any(n => !OptimizerTensors.Contains(n)) || !names.SequenceEqual(names.Distinct().Order(StringComparer.Ordinal)))
        {
            throw new ModelFormatException(Invariant($"Metadata 'optimizer_state' must list optimizer state tensors from {string.Join(", ", OptimizerTensors)}, in ordinal order, each once; got '{TensorName.Shown(declared)}'."));
        }

        foreach (string name in OptimizerTensors)
        {
            bool present = extras.Tensors.ContainsKey(name);
            if (present != names.Contains(name))
            {
                throw new ModelFormatException(present
                    ? Invariant($"Tensor '{name}' is present but metadata 'optimizer_state' does not declare it.")
                    : Invariant($"Tensor '{name}' is missing; metadata 'optimizer_state' declares it."));
            }
        }

        var state = names.ToDictionary(n => n, n => extras.Tensors[n].Values, StringComparer.Ordinal);
        if (state.TryGetValue("optimizer.v", out float[]? second) && Array.FindIndex(second, v => v < 0) is int negative and >= 0)
        {
            throw new ModelFormatException(Invariant($"Tensor 'optimizer.v' holds Adam's second moments, which are never negative; got {second[negative]} at index {negative}."));
        }

        return state;
    }

    private static bool Flag(IReadOnlyDictionary<string, string> m, string key) => m[key] switch
    {
        "true" => true,
        "false" => false,
        var other => throw new ModelFormatException(Invariant($"Metadata '{key}' must be 'true' or 'false'; got '{TensorName.Shown(other)}'.")),
    };

    /// <summary>SHA-256 of the options that shape a run's trajectory (not Epochs, Progress, Callbacks or checkpoint settings).</summary>
    public static string OptionsHash(TrainingOptions o)
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture; // records print their numbers with the current culture
        try
        {
            string text = string.Join(
                "\n",
                Invariant($"batch_size={o.BatchSize}"),
                Invariant($"loss={o.Loss}"),
                Invariant($"optimizer={o.Optimizer}"),
                Invariant($"shuffle={o.Shuffle}"),
                Invariant($"seed={o.Seed}"),
                Invariant($"validation_fraction={o.ValidationFraction:R}"),
                Invariant($"validation_data={o.ValidationData is not null}"),
                Invariant($"corruption={o.Corruption}"),
                Invariant($"schedule={o.LearningRateSchedule}"),
                Invariant($"early_stopping={o.EarlyStopping}"),
                Invariant($"clip={o.GradientClipNorm:R}"),
                Invariant($"kl_weight={o.KlWeight:R}"),
                Invariant($"kl_warm_up={o.KlWarmUpEpochs}"));
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    /// <summary>SHA-256 of the row-major training data followed by the validation data, if any.</summary>
    public static string DataHash(float[] all, float[]? validation)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(MemoryMarshal.AsBytes(all.AsSpan()));
        hash.AppendData(BitConverter.GetBytes(validation?.Length ?? -1));
        if (validation is not null)
        {
            hash.AppendData(MemoryMarshal.AsBytes(validation.AsSpan()));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static int TrainRows(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue("train_rows", out string? text))
        {
            throw new ModelFormatException("This is not a training checkpoint: metadata 'train_rows' is missing.");
        }

        int rows = Int(text, "train_rows", 1);
        return rows <= MaxRows ? rows : throw new ModelFormatException(Invariant($"Metadata 'train_rows' must be at most {MaxRows}; got {rows}."));
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static int Int(IReadOnlyDictionary<string, string> m, string key, int min) => Int(m[key], key, min);

    private static int Int(string text, string key, int min)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < min || Int(value) != text)
        {
            throw new ModelFormatException(Invariant($"Metadata '{key}' must hold an integer of at least {min} in canonical form; got '{TensorName.Shown(text)}'."));
        }

        return value;
    }

    private static long Long(string text, string key)
    {
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value.ToString(CultureInfo.InvariantCulture) != text)
        {
            throw new ModelFormatException(Invariant($"Metadata '{key}' must hold a non-negative integer in canonical form; got '{TensorName.Shown(text)}'."));
        }

        return value;
    }

    private static double Number(string text, string key, bool allowInfinity = false)
    {
        if (!double.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out double value)
            || double.IsNaN(value) || (!allowInfinity && double.IsInfinity(value)) || Number(value) != text)
        {
            throw new ModelFormatException(Invariant($"Metadata '{key}' must hold numbers in canonical form; got '{TensorName.Shown(text)}'."));
        }

        return value;
    }

    private static bool Hex(string text, out ulong value)
    {
        value = 0;
        return text.Length == 16
            && ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            && value.ToString("x16", CultureInfo.InvariantCulture) == text;
    }
}

using Autoencoder.Data;
using Autoencoder.Layers;
using Autoencoder.Model;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Training;

/// <summary>
/// A run's data, checked and copied once into row-major arrays: the training rows, the validation
/// rows (given, or Keras' <c>validation_split</c>: the last rows before shuffling), and the
/// fingerprints a checkpoint records of the options and the data.
/// </summary>
internal sealed class TrainingData
{
    private TrainingData(float[] train, int trainRows, float[]? validation, int validationRows)
    {
        Train = train;
        TrainRows = trainRows;
        Validation = validation;
        ValidationRows = validationRows;
    }

    /// <summary>Every row given, row-major; the first <see cref="TrainRows"/> are trained on.</summary>
    public float[] Train { get; }

    public int TrainRows { get; }

    /// <summary>The validation rows, row-major, or null for none.</summary>
    public float[]? Validation { get; }

    public int ValidationRows { get; }

    /// <summary>SHA-256 of the options that shape the run (null unless checkpointing or resuming).</summary>
    public string? OptionsHash { get; private init; }

    /// <summary>SHA-256 of the data (null unless checkpointing or resuming).</summary>
    public string? DataHash { get; private init; }

    /// <summary>
    /// Checks <paramref name="x"/> and the validation options against <paramref name="network"/>
    /// and <paramref name="options"/> (which must already be valid) and copies the rows.
    /// </summary>
    /// <exception cref="ArgumentException">The data or the validation settings do not fit (see <see cref="AutoencoderModel.Fit"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The batch size times the widest layer is more than one array holds.</exception>
    public static TrainingData Prepare(Network network, Matrix<float> x, TrainingOptions options, bool fingerprint)
    {
        int inputSize = network.InputSize;
        Guard.Data(x, inputSize, "one per input feature of the model");
        options.Loss.CheckTargets(x, nameof(x));

        int trainRows = x.RowCount;
        int validationRows = 0;
        float[]? validation = null;
        if (options.ValidationData is { } validationData)
        {
            if (options.ValidationFraction > 0)
            {
                throw new ArgumentException(
                    Invariant($"Give either {nameof(TrainingOptions.ValidationData)} or {nameof(TrainingOptions.ValidationFraction)}, not both; got a {validationData.RowCount}-row matrix and a fraction of {options.ValidationFraction}."),
                    nameof(options));
            }

            Guard.Data(validationData, inputSize, "one per input feature of the model", "options.ValidationData");
            options.Loss.CheckTargets(validationData, "options.ValidationData");
            validation = RowMajor.ToArray(validationData);
            validationRows = validationData.RowCount;
        }
        else if (options.ValidationFraction > 0)
        {
            validationRows = (int)(x.RowCount * options.ValidationFraction);
            trainRows = x.RowCount - validationRows;
            if (validationRows == 0 || trainRows == 0)
            {
                throw new ArgumentException(
                    Invariant($"{nameof(TrainingOptions.ValidationFraction)} {options.ValidationFraction} of {x.RowCount} rows leaves {trainRows} training and {validationRows} validation rows; both must be at least 1."),
                    nameof(options));
            }
        }

        // Every per-batch buffer holds at most batch × widest-layer values, in one array each.
        int batch = Math.Min(options.BatchSize, trainRows);
        if ((long)batch * network.MaxWidth > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                "options.BatchSize",
                Invariant($"options.BatchSize × the widest layer ({network.MaxWidth} units) must be at most {Array.MaxLength} (one array per batch buffer), so the batch size is at most {Array.MaxLength / network.MaxWidth} for this model; got {options.BatchSize}."));
        }

        foreach (Layer layer in network.Layers)
        {
            if (layer.SavedCount(batch) > Array.MaxLength)
            {
                throw new ArgumentOutOfRangeException(
                    "options.BatchSize",
                    Invariant($"options.BatchSize is too large for layer {layer.Name}: what it keeps for the backward pass, {layer.SavedCount(batch)} values at batch size {options.BatchSize}, must fit one array ({Array.MaxLength} values)."));
            }
        }

        float[] all = RowMajor.ToArray(x);
        if (validation is null && validationRows > 0)
        {
            validation = all.AsSpan(trainRows * inputSize).ToArray();
        }

        return new TrainingData(all, trainRows, validation, validationRows)
        {
            OptionsHash = fingerprint ? RunFingerprint.Options(options) : null,
            DataHash = fingerprint ? RunFingerprint.Data(all, validation) : null,
        };
    }
}

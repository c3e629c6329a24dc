using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Autoencoder.Data;
using Autoencoder.Layers;
using Autoencoder.Model;

namespace Autoencoder.Training;

/// <summary>
/// A run's data, checked: the training rows as a feed (in memory, gathered by index, or streamed),
/// the validation rows (given, or Keras' <c>validation_split</c>: the last rows before shuffling),
/// and the fingerprints a checkpoint records of the options and the data.
/// </summary>
/// <remarks>
/// A matrix is copied once into a row-major array, as it always was; arrays are used in place.
/// Rows in memory are checked before training starts; streamed rows as each batch arrives.
/// </remarks>
internal sealed class TrainingData : IDisposable
{
    private TrainingData(TrainingFeed feed, ValidationSet? validation)
    {
        Feed = feed;
        Validation = validation;
    }

    /// <summary>Where the batches come from.</summary>
    public TrainingFeed Feed { get; }

    /// <summary>The number of training rows.</summary>
    public int TrainRows => Feed.Rows;

    /// <summary>The validation rows, or null for none.</summary>
    public ValidationSet? Validation { get; }

    /// <summary>SHA-256 of the options that shape the run (null unless checkpointing or resuming).</summary>
    public string? OptionsHash { get; private init; }

    /// <summary>SHA-256 of the data, or for streamed data of what identifies it (null unless checkpointing or resuming).</summary>
    public string? DataHash { get; private init; }

    /// <summary>
    /// Checks <paramref name="x"/> and the validation options against <paramref name="network"/>
    /// and <paramref name="options"/> (which must already be valid).
    /// </summary>
    /// <exception cref="ArgumentException">The data or the validation settings do not fit (see <see cref="AutoencoderModel.Fit(DataSource, TrainingOptions?, CancellationToken)"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The batch size times the widest layer is more than one array holds.</exception>
    public static TrainingData Prepare(Network network, DataSource x, TrainingOptions options, bool fingerprint)
    {
        ArgumentNullException.ThrowIfNull(x);
        ValueRule rule = options.Loss.TargetRule;
        DataSource train = Checked(network, x, options, "x", rule);
        DataSource? validation = null;
        string validationName = "x";
        if (options.ValidationData is { } validationData)
        {
            if (options.ValidationFraction > 0)
            {
                throw new ArgumentException(
                    Invariant($"Give either {nameof(TrainingOptions.ValidationData)} or {nameof(TrainingOptions.ValidationFraction)}, not both; got a {Describe(validationData)} source and a fraction of {options.ValidationFraction}."),
                    nameof(options));
            }

            validation = Checked(network, validationData, options, "options.ValidationData", rule);
            validationName = "options.ValidationData";
        }

        // Each source of unknown length is counted once (a pass over it); every later use takes that count.
        long rows = CountedRows(train, "x");
        long allRows = rows;
        DataSource all = train;
        long? heldRows = validation is null ? null : CountedRows(validation, "options.ValidationData");
        if (options.ValidationFraction > 0)
        {
            long validationRows = (long)(rows * options.ValidationFraction);
            if (validationRows == 0 || validationRows == rows)
            {
                throw new ArgumentException(
                    Invariant($"{nameof(TrainingOptions.ValidationFraction)} {options.ValidationFraction} of {rows} rows leaves {rows - validationRows} training and {validationRows} validation rows; both must be at least 1."),
                    nameof(options));
            }

            validation = train.CountedSlice(rows - validationRows, validationRows);
            train = train.CountedSlice(0, rows - validationRows);
            rows -= validationRows;
            heldRows = validationRows;
        }

        if (rows > int.MaxValue)
        {
            throw new ArgumentException(Invariant($"x may hold at most {int.MaxValue} training rows; got {rows}."), nameof(x));
        }

        CheckBatchSize(network, options, (int)rows);
        TrainingFeed feed = train is InMemorySource memory ? new MemoryFeed(memory) : new StreamFeed(train, (int)rows, rule, "x");
        if (heldRows > int.MaxValue)
        {
            throw new ArgumentException(Invariant($"{validationName} may hold at most {int.MaxValue} rows; got {heldRows}."), validationName);
        }

        ValidationSet? held = validation is null ? null : new ValidationSet(validation, (int)heldRows!.Value, rule, validationName);
        return new TrainingData(feed, held)
        {
            OptionsHash = fingerprint ? RunFingerprint.Options(options) : null,
            DataHash = fingerprint ? DataFingerprint(all, allRows, validation, heldRows ?? 0) : null,
        };
    }

    /// <inheritdoc/>
    public void Dispose() => Feed.Dispose();

    /// <summary>The source as training reads it: a matrix copied into rows and checked, arrays checked, streams as they are (checked as they are read).</summary>
    private static DataSource Checked(Network network, DataSource source, TrainingOptions options, string name, ValueRule rule)
    {
        ArgumentNullException.ThrowIfNull(source, name);
        if (source.Columns != network.InputSize)
        {
            throw new ArgumentException(
                Invariant($"{name} must have {network.InputSize} columns (one per input feature of the model); got {source.Columns} columns."), name);
        }

        if (source.RowCount == 0)
        {
            throw new ArgumentException(Invariant($"{name} must have at least one row (one per input feature of the model); got 0 rows."), name);
        }

        if (source is MatrixSource matrix)
        {
            if (matrix.IsWhole)
            {
                // The checks (and their messages) a matrix always had.
                Guard.Data(matrix.Matrix, network.InputSize, "one per input feature of the model", name);
                options.Loss.CheckTargets(matrix.Matrix, name);
                return matrix.ToRowMajor();
            }

            source = matrix.ToRowMajor();
        }

        if (source is InMemorySource memory)
        {
            memory.CheckValues(name, rule);
        }
        return source;
    }

    private static void CheckBatchSize(Network network, TrainingOptions options, int trainRows)
    {
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
    }

    /// <summary>
    /// SHA-256 of the rows of <paramref name="all"/> (training rows and a validation fraction's)
    /// followed by the validation rows' count and values; a streamed source adds what identifies
    /// it and its row count instead of its values.
    /// </summary>
    private static string DataFingerprint(DataSource all, long allRows, DataSource? validation, long validationRows)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, all, allRows);
        long validationValues = validation is null ? -1 : validationRows * validation.Columns;
        hash.AppendData(BitConverter.GetBytes(validationValues > int.MaxValue ? -2 : (int)validationValues));
        if (validation is not null)
        {
            Append(hash, validation, validationRows);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The rows of <paramref name="source"/>, counted by a pass over it when not known; at least one.</summary>
    private static long CountedRows(DataSource source, string name)
    {
        long rows = source.CountRows();
        if (rows == 0)
        {
            throw new ArgumentException(Invariant($"{name} must have at least one row; the source gave none."), name);
        }

        return rows;
    }

    private static void Append(IncrementalHash hash, DataSource source, long rows)
    {
        if (source is not InMemorySource memory)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Invariant($"[{source.Identity}: {rows} rows of {source.Columns}]")));
            return;
        }

        if (memory.TryGetContiguous(out ReadOnlyMemory<float> values))
        {
            hash.AppendData(MemoryMarshal.AsBytes(values.Span));
            return;
        }

        for (int r = 0; r < memory.Rows; r++)
        {
            hash.AppendData(MemoryMarshal.AsBytes(memory.Row(r)));
        }
    }

    private static string Describe(DataSource source) =>
        source.RowCount is long rows ? Invariant($"{rows}-row") : "streamed";
}

using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder;

/// <summary>How <see cref="AutoencoderModel.Fit(Autoencoder.Data.DataSource, TrainingOptions?, CancellationToken)"/> trains: epochs, batches, loss, optimizer, validation and progress.</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training data; positive. Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>
    /// Samples per gradient step; positive. The last batch of an epoch holds the remainder when the
    /// sample count is not a multiple (its loss is the mean over its own samples, as in PyTorch). A
    /// model with batch normalization needs at least two rows in every batch, so a batch size that
    /// leaves one row over is refused when training starts. Default 32.
    /// </summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The loss to minimise. Default <see cref="Autoencoder.Loss.MeanSquaredError"/>.</summary>
    public Loss Loss { get; init; } = Loss.MeanSquaredError;

    /// <summary>The optimizer and its hyper-parameters. Default Adam with learning rate 1e-3.</summary>
    public OptimizerOptions Optimizer { get; init; } = new AdamOptions();

    /// <summary>Whether to visit the training samples in a new random order every epoch. Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>
    /// Seed for the shuffling order of this run. When null, the model's own generator (seeded by
    /// <see cref="AutoencoderBuilder.WithSeed"/>) is used and advanced, so a sequence of calls is reproducible too.
    /// </summary>
    public int? Seed { get; init; }

    /// <summary>
    /// Held-out samples scored after every epoch (rows = samples): a matrix, a <c>float[][]</c>
    /// or any <see cref="DataSource"/>, read block by block when it is a file or a stream. Cannot
    /// be combined with <see cref="ValidationFraction"/>.
    /// </summary>
    public DataSource? ValidationData { get; init; }

    /// <summary>
    /// Fraction in [0, 1) of the training rows held out for validation: the <em>last</em> rows,
    /// taken before any shuffling, as Keras' <c>validation_split</c> does. Default 0 (none).
    /// </summary>
    public double ValidationFraction { get; init; }

    /// <summary>Receives a report after every batch and at the end of every epoch. Optional.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>
    /// Noise applied to the training inputs (not the targets) of every batch, making a denoising
    /// autoencoder: <see cref="GaussianNoise"/>, <see cref="MaskingNoise"/> or
    /// <see cref="SaltAndPepperNoise"/>. Default null (none). Never applied at inference or validation.
    /// </summary>
    public InputCorruption? Corruption { get; init; }

    /// <summary>How the learning rate changes per epoch. Default null (constant).</summary>
    public LearningRateSchedule? LearningRateSchedule { get; init; }

    /// <summary>Stops training when the monitored loss stops improving. Default null (off).</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>
    /// When set, the gradient of every step is scaled down so that its global L2 norm (over all
    /// parameters) is at most this value, as PyTorch's <c>clip_grad_norm_</c>: scaled by
    /// <c>max / (norm + 1e-6)</c> when the norm exceeds it. Positive. Default null (no clipping).
    /// </summary>
    public double? GradientClipNorm { get; init; }

    /// <summary>Called at the end of every batch and epoch; any of them can stop training. Default none.</summary>
    public IReadOnlyList<ITrainingCallback> Callbacks { get; init; } = [];

    /// <summary>
    /// Variational models only: the weight β of the KL term of the loss (β-VAE); non-negative. Default 1,
    /// the evidence lower bound itself.
    /// </summary>
    public double KlWeight { get; init; } = 1;

    /// <summary>
    /// Variational models only: epochs over which the KL weight rises linearly from
    /// <c>KlWeight / (KlWarmUpEpochs + 1)</c> to <see cref="KlWeight"/> (epoch <c>e</c> uses
    /// <c>KlWeight · min(1, e / (KlWarmUpEpochs + 1))</c>); non-negative. Default 0 (full weight from the start).
    /// </summary>
    public int KlWarmUpEpochs { get; init; }

    /// <summary>
    /// When set, the run writes a checkpoint to this file (replacing it atomically) at the end of
    /// every epoch, and every <see cref="CheckpointEveryBatches"/> batches if that is set: the
    /// weights, the optimizer's state, the random generator, the position in the epoch and the
    /// history so far. <see cref="TrainingCheckpoint.Load"/> reads it back, and
    /// <see cref="TrainingCheckpoint.Resume(Autoencoder.Data.DataSource, TrainingOptions, CancellationToken)"/> continues the run with the same data and options,
    /// in this process or another, ending bit-identical to a run that was never interrupted.
    /// Default null (no checkpoints).
    /// </summary>
    public string? CheckpointPath { get; init; }

    /// <summary>With <see cref="CheckpointPath"/>: also write a checkpoint every this many batches; positive. Default null (epoch ends only).</summary>
    public int? CheckpointEveryBatches { get; init; }

    /// <summary>
    /// Splits every batch into this many slices of consecutive rows (slice <c>k</c> holds rows
    /// <c>[k·rows/K, (k+1)·rows/K)</c>), computes each slice's gradient on its own, multiplies it by
    /// the slice's share of the batch and adds the slices in order. This is the arithmetic of a run on
    /// that many replicas through a <see cref="IGradientReducer"/>, in one process: the two give the
    /// same bits, and both stay within float rounding of the unsplit batch (batch normalization then
    /// normalizes each slice by its own statistics and keeps the first slice's running statistics, as
    /// PyTorch's distributed data parallelism does). From 1 to <see cref="BatchSize"/>; default 1 (no split).
    /// </summary>
    public int BatchSlices { get; init; } = 1;

    /// <summary>
    /// The seam of data-parallel training: when set, this process is replica
    /// <see cref="IGradientReducer.Rank"/> of <see cref="IGradientReducer.Replicas"/>, computes only its
    /// slice of each batch, and takes the batch's gradient from the reducer before every optimizer
    /// step. Every replica must be given the same model, data and options. Default null: a step's
    /// gradient is its own batch's.
    /// </summary>
    public IGradientReducer? GradientReducer { get; init; }

    internal void Validate()
    {
        Guard.Positive(Epochs, "options.Epochs");
        Guard.Positive(BatchSize, "options.BatchSize");
        ArgumentNullException.ThrowIfNull(Loss, "options.Loss");
        ArgumentNullException.ThrowIfNull(Optimizer, "options.Optimizer");
        Optimizer.Validate();
        Guard.InRange(ValidationFraction, 0, 1, maxInclusive: false, "options.ValidationFraction");
        Corruption?.Validate();
        LearningRateSchedule?.Validate();
        EarlyStopping?.Validate();
        if (GradientClipNorm is double clip)
        {
            Guard.Positive(clip, "options.GradientClipNorm");
        }

        Guard.InRange(BatchSlices, 1, BatchSize, maxInclusive: true, "options.BatchSlices");
        if (GradientReducer is { } reducer)
        {
            int replicas = reducer.Replicas;
            int rank = reducer.Rank;
            if (replicas < 1 || replicas > BatchSize || rank < 0 || rank >= replicas)
            {
                throw new ArgumentException(
                    Invariant($"options.GradientReducer must have 1 to options.BatchSize ({BatchSize}) replicas and a rank from 0 to replicas - 1; got {replicas} replicas and rank {rank}."), "options");
            }

            if (BatchSlices != 1)
            {
                throw new ArgumentException(
                    Invariant($"options.BatchSlices must be 1 with a gradient reducer, whose replicas are the slices; got {BatchSlices} with {replicas} replicas."), "options");
            }
        }

        ArgumentNullException.ThrowIfNull(Callbacks, "options.Callbacks");
        for (int i = 0; i < Callbacks.Count; i++)
        {
            if (Callbacks[i] is null)
            {
                throw new ArgumentException(Invariant($"options.Callbacks must not contain null; got null at index {i}."), "options");
            }
        }

        if (CheckpointPath is not null)
        {
            string? folder = null;
            try
            {
                folder = Path.GetDirectoryName(Path.GetFullPath(CheckpointPath));
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
            {
            }

            if (CheckpointPath.Length == 0 || folder is null || !Directory.Exists(folder) || Directory.Exists(CheckpointPath))
            {
                throw new ArgumentException(
                    Invariant($"options.CheckpointPath must be a file path in an existing folder, or null; got '{CheckpointPath}'."), "options");
            }
        }

        if (CheckpointEveryBatches is int every)
        {
            Guard.Positive(every, "options.CheckpointEveryBatches");
        }

        Guard.NonNegativeFloat(KlWeight, "options.KlWeight");
        Guard.NonNegative(KlWarmUpEpochs, "options.KlWarmUpEpochs");
    }
}

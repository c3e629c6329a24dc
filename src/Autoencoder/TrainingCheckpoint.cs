using Autoencoder.Data;
using Autoencoder.Serialization;
using Autoencoder.Training;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder;

/// <summary>
/// A training run saved part-way by <see cref="TrainingOptions.CheckpointPath"/>: the model as it
/// was, plus everything needed to continue the run exactly (optimizer state, random generator,
/// position in the epoch, history, early-stopping and schedule state).
/// </summary>
/// <example>
/// <code>
/// var options = new TrainingOptions { Epochs = 50, CheckpointPath = "run.ckpt" };
/// model.Fit(x, options);                       // interrupted: a crash, a reboot, a cancelled job
/// // later, in any process:
/// TrainingCheckpoint checkpoint = TrainingCheckpoint.Load("run.ckpt");
/// TrainingHistory history = checkpoint.Resume(x, options);   // same data and options
/// AutoencoderModel model = checkpoint.Model;
/// </code>
/// </example>
public sealed class TrainingCheckpoint
{
    private CheckpointContents? _contents;

    private TrainingCheckpoint(AutoencoderModel model, CheckpointContents contents)
    {
        Model = model;
        _contents = contents;
        History = contents.History;
        Epoch = contents.Epoch;
        Batch = contents.Batch;
    }

    /// <summary>The model with the weights at the checkpoint; <see cref="Resume(Autoencoder.Data.DataSource, TrainingOptions, CancellationToken)"/> trains it further.</summary>
    public AutoencoderModel Model { get; }

    /// <summary>The epoch the run was in (or was about to start when <see cref="Batch"/> is 0), 1-based.</summary>
    public int Epoch { get; }

    /// <summary>Batches of <see cref="Epoch"/> already trained.</summary>
    public int Batch { get; }

    /// <summary>The epochs completed before the checkpoint, each read from the file's text (checked when the file was loaded) as it is asked for.</summary>
    public IReadOnlyList<EpochResult> History { get; }

    /// <summary>
    /// Reads a checkpoint written during <see cref="AutoencoderModel.Fit(Autoencoder.Data.DataSource, TrainingOptions?, CancellationToken)"/>, checked as a whole: every
    /// tensor and key its declarations require (the optimizer's state, the best weights of the best
    /// epoch, the plateau schedule's state) is present, and every position fits the others (epoch and
    /// history, batch and samples against the training rows, the sample order a permutation).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="ModelFormatException">
    /// <paramref name="path"/> names a directory, a FIFO, a device or a socket (refused before it is
    /// opened, so a FIFO never blocks; pass a <see cref="Stream"/> to read from one), or a file larger
    /// than a model file can be (refused before it is read); or the file is not a valid checkpoint (a plain model file is not one). The message says what is wrong.
    /// </exception>
    public static TrainingCheckpoint Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var (model, contents) = CheckpointFile.Load(path, CheckpointContents.Read);
        return new TrainingCheckpoint(model, contents);
    }

    /// <summary>Reads a checkpoint from <paramref name="stream"/>, checked as <see cref="Load"/> checks a file, within <paramref name="limits"/> (the default budget unless given).</summary>
    internal static TrainingCheckpoint Read(Stream stream, ModelFileLimits? limits = null)
    {
        var (model, contents) = CheckpointFile.Read(stream, CheckpointContents.Read, limits);
        return new TrainingCheckpoint(model, contents);
    }

    /// <summary>
    /// Continues the run on <see cref="Model"/> until <see cref="TrainingOptions.Epochs"/> and returns
    /// the whole history (the epochs before the checkpoint included). With the same data and options
    /// the final weights are bit-identical to those of an uninterrupted run. Only
    /// <see cref="TrainingOptions.Epochs"/>, <see cref="TrainingOptions.Progress"/>,
    /// <see cref="TrainingOptions.Callbacks"/> and the checkpoint settings may differ; the run keeps
    /// writing checkpoints when <see cref="TrainingOptions.CheckpointPath"/> is set. A checkpoint resumes once.
    /// </summary>
    /// <exception cref="ArgumentException">The data or the options differ from the run's (the message says which), or the same argument errors as <see cref="AutoencoderModel.Fit(Autoencoder.Data.DataSource, TrainingOptions?, CancellationToken)"/>.</exception>
    /// <exception cref="InvalidOperationException">This checkpoint has already been resumed.</exception>
    /// <exception cref="ModelFormatException">
    /// The options match the fingerprint the checkpoint holds, but its recorded state does not fit
    /// them (its position in the epoch, the optimizer state it holds, or the early-stopping and
    /// schedule state it declares): the file is inconsistent.
    /// </exception>
    /// <exception cref="TrainingDivergedException">As in <see cref="AutoencoderModel.Fit(Autoencoder.Data.DataSource, TrainingOptions?, CancellationToken)"/>.</exception>
    public TrainingHistory Resume(Matrix<float> x, TrainingOptions options, CancellationToken cancellationToken = default) =>
        Resume(DataSource.FromMatrix(x ?? throw new ArgumentNullException(nameof(x))), options, cancellationToken);

    /// <summary>
    /// As <see cref="Resume(Matrix{float}, TrainingOptions, CancellationToken)"/>, on any data
    /// source: give the source the run was trained on (for a file: the same file, unchanged; for a
    /// stream: one that gives the same rows). A streamed run continues from the batch after the
    /// checkpoint in the same epoch order, so its weights too are bit-identical to an uninterrupted run's.
    /// </summary>
    /// <exception cref="ArgumentException">The data or the options differ from the run's, or the same argument errors as <see cref="AutoencoderModel.Fit(DataSource, TrainingOptions?, CancellationToken)"/>.</exception>
    /// <exception cref="InvalidOperationException">This checkpoint has already been resumed.</exception>
    /// <exception cref="ModelFormatException">The recorded state does not fit the options: the file is inconsistent.</exception>
    /// <exception cref="TrainingDivergedException">As in <see cref="AutoencoderModel.Fit(DataSource, TrainingOptions?, CancellationToken)"/>.</exception>
    public TrainingHistory Resume(DataSource x, TrainingOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(options);
        CheckpointContents contents = Interlocked.Exchange(ref _contents, null)
            ?? throw new InvalidOperationException("This checkpoint has already been resumed; load it again to resume from the same point.");
        try
        {
            return Model.Train(x, options, contents, cancellationToken);
        }
        catch (Exception) when (!contents.Started)
        {
            // Refused before training began (arguments, an overlapping Fit, a state that does not fit
            // the options): nothing has moved on, so the checkpoint can be resumed again.
            _contents = contents;
            throw;
        }
    }
}

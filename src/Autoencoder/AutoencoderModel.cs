using Autoencoder.Data;
using Autoencoder.Losses;
using Autoencoder.Model;
using Autoencoder.Optimizers;
using Autoencoder.Serialization;
using Autoencoder.Training;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder;

/// <summary>
/// A dense autoencoder: <c>h = Encode(x)</c>, <c>x̂ = Decode(h)</c>. Data are MathNet matrices
/// with one sample per row. Create one with <see cref="AutoencoderBuilder"/> or
/// <see cref="Load(string)"/>.
/// </summary>
/// <remarks>
/// Thread safety: once trained, any number of threads may call <see cref="Encode(Matrix{float})"/>,
/// <see cref="Decode(Matrix{float})"/>, <see cref="Reconstruct(Matrix{float})"/>,
/// <see cref="Evaluate(Matrix{float}, Loss)"/>, <see cref="ReconstructionErrors(Matrix{float}, Loss)"/> and <see cref="Save(string)"/> at
/// once; their scratch memory is per call. <see cref="Fit(Autoencoder.Data.DataSource, TrainingOptions?, CancellationToken)"/> changes the weights and must not
/// overlap any other call on the same model.
/// </remarks>
public sealed partial class AutoencoderModel
{
    internal const ulong InitializationStream = 1;
    internal const ulong TrainingStream = 2;
    internal const ulong GenerationStream = 4;

    private readonly Network _network;
    private Pcg32 _trainingRandom;
    private int _fitting;

    internal AutoencoderModel(Network network, int seed)
    {
        _network = network;
        Seed = seed;
        _trainingRandom = new Pcg32((ulong)(uint)seed, TrainingStream);
        // Units and activation as the spec gives them: a batch-normalized layer applies its activation after the normalization.
        var specLayers = network.Spec.Encoder.Concat(network.Spec.Decoder).ToArray();
        Layers = network.SpecLayers
            .Select((l, i) => new LayerDescription(l.InputSize, l is Layers.DenseLayer d ? d.Outputs : l.OutputSize, specLayers[i].Activation, i < network.EncoderLayerCount)
            {
                Options = network.LayerOptions[i],
                TransposedWeights = l is Layers.DenseLayer { TransposedWeights: true },
                Kind = l.Kind,
            })
            .ToArray();
    }

    /// <summary>Features per sample (columns of the data).</summary>
    public int InputSize => _network.InputSize;

    /// <summary>Size of the code produced by <see cref="Encode(Matrix{float})"/>.</summary>
    public int LatentSize => _network.LatentSize;

    /// <summary>The layers from input to output; the last encoder layer produces the code.</summary>
    public IReadOnlyList<LayerDescription> Layers { get; }

    /// <summary>Number of trainable values: weights and biases, and batch normalization's scales and shifts (its running statistics are non-trainable state).</summary>
    public int ParameterCount => _network.Parameters.Length;

    /// <summary>The seed the model was built with (chosen at random when none was given).</summary>
    public int Seed { get; }

    /// <summary>
    /// True for a variational autoencoder (<see cref="AutoencoderBuilder.WithVariationalLatent"/>): its
    /// latent layer's <see cref="LayerDescription.Units"/> is <c>2·LatentSize</c> (mean, then log-variance).
    /// </summary>
    public bool IsVariational => _network.IsVariational;

    internal Network Network => _network;

    /// <summary>
    /// Trains the model to reconstruct <paramref name="x"/> (rows = samples) and returns the
    /// per-epoch history. Cancelling <paramref name="cancellationToken"/> stops between two batches
    /// and returns normally with <see cref="StopReason.Cancelled"/>; the model then holds the
    /// weights of the last completed step and is ready to use. Each call starts a fresh optimizer state.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="x"/> or the validation data is empty, has the wrong column count, holds NaN or
    /// infinity, or (binary cross-entropy) values outside [0, 1]; or both validation data and a
    /// validation fraction are given; or the fraction leaves no training or validation rows; or the
    /// model has batch normalization and a batch would hold a single row.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// An option is out of range (epochs, batch size, fraction, optimizer settings outside float
    /// range), or the batch size times the widest layer is more than one array holds.
    /// </exception>
    /// <exception cref="TrainingDivergedException">
    /// The loss or a gradient became NaN or infinite, or an optimizer step would have made a weight or
    /// an optimizer moment so; the step is not applied and the model keeps the last finite weights.
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// Another <see cref="Fit(Autoencoder.Data.DataSource, TrainingOptions?, CancellationToken)"/> is running on this model, or the learning-rate schedule gave a rate
    /// outside [0, <see cref="float.MaxValue"/>].
    /// </exception>
    public TrainingHistory Fit(Matrix<float> x, TrainingOptions? options = null, CancellationToken cancellationToken = default) =>
        Train(DataSource.FromMatrix(x ?? throw new ArgumentNullException(nameof(x))), options ?? new TrainingOptions(), null, cancellationToken);

    /// <summary>
    /// Trains the model on the rows of <paramref name="x"/>: arrays in place, a matrix copied
    /// once into rows, files and streams read block by block in the background with bounded
    /// memory (see <see cref="DataSource"/> for how each kind is shuffled). Otherwise as
    /// <see cref="Fit(Matrix{float}, TrainingOptions?, CancellationToken)"/>; a checkpoint of a
    /// file or stream run records its position by the epoch's shuffle key, so a resumed run reads
    /// the rest of the same order.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// As <see cref="Fit(Matrix{float}, TrainingOptions?, CancellationToken)"/>; for a file or a
    /// stream, a row with the wrong length or a value the loss cannot use stops training when its
    /// batch is read (the model keeps the weights of the last step).
    /// </exception>
    /// <exception cref="InvalidDataException">A file is malformed, or a source gave fewer rows in an epoch than it held when training started.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="Fit(Matrix{float}, TrainingOptions?, CancellationToken)"/>.</exception>
    /// <exception cref="TrainingDivergedException">As <see cref="Fit(Matrix{float}, TrainingOptions?, CancellationToken)"/>.</exception>
    /// <exception cref="InvalidOperationException">As <see cref="Fit(Matrix{float}, TrainingOptions?, CancellationToken)"/>.</exception>
    public TrainingHistory Fit(DataSource x, TrainingOptions? options = null, CancellationToken cancellationToken = default) =>
        Train(x ?? throw new ArgumentNullException(nameof(x)), options ?? new TrainingOptions(), null, cancellationToken);

    /// <summary>
    /// Fit's body: validates the options against the model, prepares the data
    /// (<see cref="TrainingData"/>), and runs the training (<see cref="TrainingRun"/>) from a fresh
    /// state, or from <paramref name="resume"/> (a checkpoint's state and optimizer) when given.
    /// </summary>
    internal TrainingHistory Train(DataSource x, TrainingOptions options, CheckpointContents? resume, CancellationToken cancellationToken)
    {
        options.Validate();
        RequireLikelihood(options.Loss, "options.Loss");
        using TrainingData data = TrainingData.Prepare(_network, x, options, fingerprint: options.CheckpointPath is not null || resume is not null);
        if (Interlocked.Exchange(ref _fitting, 1) != 0)
        {
            throw new InvalidOperationException("Fit is already running on this model; calls to Fit must not overlap.");
        }

        try
        {
            Pcg32 random = options.Seed is int seed ? new Pcg32((ulong)(uint)seed, TrainingStream) : _trainingRandom;
            var run = new TrainingRun(_network, options, data, resume, random)
            {
                SaveCheckpoint = options.CheckpointPath is { } path ? state => CheckpointFile.Save(path, this, state) : null,
            };
            try
            {
                return run.Fit(cancellationToken);
            }
            finally
            {
                if (options.Seed is null)
                {
                    _trainingRandom = run.State.Random;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _fitting, 0);
        }
    }

    /// <summary>Encodes every row of <paramref name="x"/>: returns an <c>N × LatentSize</c> matrix of codes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, has other than <see cref="InputSize"/> columns, or holds NaN or infinity.</exception>
    public Matrix<float> Encode(Matrix<float> x)
    {
        Guard.DataShape(x, InputSize, "one per input feature of the model");
        return Apply(x, 0, _network.EncoderEnd, LatentSize);
    }

    /// <summary>Decodes every row of <paramref name="codes"/>: returns an <c>N × InputSize</c> matrix of reconstructions.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="codes"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="codes"/> is empty, has other than <see cref="LatentSize"/> columns, or holds NaN or infinity.</exception>
    public Matrix<float> Decode(Matrix<float> codes)
    {
        Guard.DataShape(codes, LatentSize, "one per latent unit of the model");
        return Apply(codes, _network.EncoderEnd, _network.Layers.Count, InputSize);
    }

    /// <summary>Encodes then decodes every row of <paramref name="x"/>: returns an <c>N × InputSize</c> matrix.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, has other than <see cref="InputSize"/> columns, or holds NaN or infinity.</exception>
    public Matrix<float> Reconstruct(Matrix<float> x)
    {
        Guard.DataShape(x, InputSize, "one per input feature of the model");
        return Apply(x, 0, _network.Layers.Count, InputSize);
    }

    /// <summary>Encodes one sample into <paramref name="code"/> (length <see cref="LatentSize"/>) without allocating.</summary>
    /// <exception cref="ArgumentException">A span has the wrong length, or the input holds NaN or infinity.</exception>
    public void Encode(ReadOnlySpan<float> sample, Span<float> code)
    {
        CheckLength(sample.Length, InputSize, nameof(sample));
        CheckLength(code.Length, LatentSize, nameof(code));
        CheckFinite(sample, nameof(sample));
        _network.Run(0, _network.EncoderEnd, sample, 1, code);
    }

    /// <summary>Decodes one code into <paramref name="reconstruction"/> (length <see cref="InputSize"/>) without allocating.</summary>
    /// <exception cref="ArgumentException">A span has the wrong length, or the input holds NaN or infinity.</exception>
    public void Decode(ReadOnlySpan<float> code, Span<float> reconstruction)
    {
        CheckLength(code.Length, LatentSize, nameof(code));
        CheckLength(reconstruction.Length, InputSize, nameof(reconstruction));
        CheckFinite(code, nameof(code));
        _network.Run(_network.EncoderEnd, _network.Layers.Count, code, 1, reconstruction);
    }

    /// <summary>Reconstructs one sample into <paramref name="reconstruction"/> (length <see cref="InputSize"/>) without allocating.</summary>
    /// <exception cref="ArgumentException">A span has the wrong length, or the input holds NaN or infinity.</exception>
    public void Reconstruct(ReadOnlySpan<float> sample, Span<float> reconstruction)
    {
        CheckLength(sample.Length, InputSize, nameof(sample));
        CheckLength(reconstruction.Length, InputSize, nameof(reconstruction));
        CheckFinite(sample, nameof(sample));
        _network.Run(0, _network.Layers.Count, sample, 1, reconstruction);
    }

    /// <summary>
    /// The mean element loss of reconstructing <paramref name="x"/> (see <see cref="Loss"/> for the
    /// formulas): what <see cref="Fit(Autoencoder.Data.DataSource, TrainingOptions?, CancellationToken)"/> reports as validation loss for a plain model (its training
    /// loss adds any regularisation penalties). A variational model is reconstructed from its mean
    /// code here; its training and validation losses are the negative ELBO (see <see cref="Elbo"/>).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="x"/> is empty, has the wrong column count, holds NaN or infinity, or
    /// (binary cross-entropy) values outside [0, 1].
    /// </exception>
    public double Evaluate(Matrix<float> x, Loss loss)
    {
        double[] rows = RowLossSums(x, loss);
        return rows.Sum() / ((double)x.RowCount * InputSize);
    }

    /// <summary>
    /// One anomaly score per row of <paramref name="x"/>: the mean element loss of reconstructing
    /// that row under <paramref name="loss"/> (per-sample MSE, binary cross-entropy, or any other loss).
    /// A row's score does not depend on the other rows' values.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="x"/> is empty, has the wrong column count, holds NaN or infinity, or
    /// (binary cross-entropy) values outside [0, 1].
    /// </exception>
    public Vector<float> ReconstructionErrors(Matrix<float> x, Loss loss)
    {
        double[] rows = RowLossSums(x, loss);
        return Vector<float>.Build.Dense(rows.Length, i => (float)(rows[i] / InputSize));
    }

    /// <summary>
    /// The outputs (activations) of layer <paramref name="layer"/> (an index into <see cref="Layers"/>)
    /// for every row of <paramref name="x"/>, H2O's "deep features": an <c>N × Layers[layer].Units</c>
    /// matrix. Layer <c>Layers.Count − 1</c> gives the reconstruction; for a variational model the
    /// latent layer gives the mean and the log-variance side by side. Dropout is not applied.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, has other than <see cref="InputSize"/> columns, or holds NaN or infinity.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not a layer index.</exception>
    public Matrix<float> Features(Matrix<float> x, int layer)
    {
        if (layer < 0 || layer >= Layers.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), Invariant($"{nameof(layer)} must be a layer index in [0, {Layers.Count - 1}]; got {layer}."));
        }

        Guard.DataShape(x, InputSize, "one per input feature of the model");
        return Apply(x, 0, _network.LayerEnds[layer], Layers[layer].Units, fullHead: true);
    }

    private double[] RowLossSums(Matrix<float> x, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        Guard.DataShape(x, InputSize, "one per input feature of the model");
        var sums = new double[x.RowCount];
        RowLossSums(x, loss, sums);
        return sums;
    }

    /// <summary>Each row's summed element loss into <paramref name="sums"/> (x and loss already checked for shape).</summary>
    private void RowLossSums(Matrix<float> x, Loss loss, Span<double> sums)
    {
        var lossFunction = new LossFunction(loss, _network.OutputActivation);
        if (!BatchInference.MatrixRowLossSums(_network, lossFunction, loss.TargetRule, Guard.DenseColumnMajor(x), x.RowCount, sums))
        {
            Guard.Finite(x, nameof(x));
            ValidateTargets(x, loss, nameof(x));
            throw new InvalidOperationException("A block refused its input, but the full check found no value to refuse.");
        }
    }

    private Matrix<float> Apply(Matrix<float> x, int firstLayer, int endLayer, int outputWidth, bool fullHead = false)
    {
        int rows = x.RowCount;
        Guard.ResultSize(rows, outputWidth, Invariant($"an N × {outputWidth} matrix"), nameof(x));

        // Every element is written below (or the call throws), so the result need not be cleared first.
        float[] result = GC.AllocateUninitializedArray<float>(rows * outputWidth);
        ApplyInto(x, result, firstLayer, endLayer, fullHead);
        return Matrix<float>.Build.Dense(rows, outputWidth, result);
    }

    /// <summary>Layers <c>[firstLayer, endLayer)</c> on the rows of <paramref name="x"/> into the column-major storage <paramref name="result"/>.</summary>
    private void ApplyInto(Matrix<float> x, Span<float> result, int firstLayer, int endLayer, bool fullHead = false)
    {
        if (!BatchInference.RunMatrix(_network, Guard.DenseColumnMajor(x), x.RowCount, firstLayer, endLayer, result, fullHead))
        {
            Guard.Finite(x, nameof(x));
            throw new InvalidOperationException("A block refused its input, but the full check found no value to refuse.");
        }
    }

    private static void ValidateTargets(Matrix<float> data, Loss loss, string name) => loss.CheckTargets(data, name);

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException(Invariant($"{name} must have length {expected}; got {actual}."), name);
        }
    }

    private static void CheckFinite(ReadOnlySpan<float> values, string name)
    {
        if (!Kernels.Finite.All(values))
        {
            int index = 0;
            while (float.IsFinite(values[index]))
            {
                index++;
            }

            throw new ArgumentException(Invariant($"{name} must contain only finite values; got {values[index]} at index {index}."), name);
        }
    }
}

using Autoencoder.Data;

namespace Autoencoder.MLNet;

/// <summary>
/// Options of the autoencoder anomaly-detection trainer
/// (<see cref="AutoencoderCatalog.Autoencoder(Microsoft.ML.AnomalyDetectionCatalog.AnomalyDetectionTrainers, string, AutoencoderAnomalyOptions?)"/>):
/// the network's shape, how it is trained and how the threshold is set.
/// </summary>
/// <remarks>
/// The network is <c>features → HiddenLayerSizes… → LatentSize → HiddenLayerSizes reversed… → features</c>,
/// hidden layers with <see cref="HiddenActivation"/>, a linear code, and a sigmoid output when the
/// features are scaled to [0, 1] (<see cref="FeatureScaling.MinMax"/>), else a linear one.
/// </remarks>
public sealed record AutoencoderAnomalyOptions
{
    /// <summary>The widths of the encoder's hidden layers, outermost first (the decoder mirrors them); default one layer of 16. May be empty.</summary>
    public IReadOnlyList<int> HiddenLayerSizes { get; init; } = [16];

    /// <summary>The width of the code (the bottleneck); default 4.</summary>
    public int LatentSize { get; init; } = 4;

    /// <summary>The activation of the hidden layers; default ReLU.</summary>
    public Activation HiddenActivation { get; init; } = Activation.Relu;

    /// <summary>Passes over the training data; default 50.</summary>
    public int Epochs { get; init; } = 50;

    /// <summary>Rows per training step; default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The seed of the initial weights and of the shuffle order; the same seed and data give the same model. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The training loss, which also scores each row (its mean per feature); default mean squared error.</summary>
    public Loss Loss { get; init; } = Loss.MeanSquaredError;

    /// <summary>
    /// How the features are scaled before training and scoring (fitted on the training data, and
    /// saved with the transformer); null to use them as given (when the pipeline normalizes them
    /// already). Default <see cref="FeatureScaling.MinMax"/>.
    /// </summary>
    public FeatureScaling? Scaling { get; init; } = FeatureScaling.MinMax;

    /// <summary>
    /// The expected share of anomalies in the training data, in (0, 0.5]: the threshold is the
    /// <c>100·(1 − Contamination)</c> percentile of the training rows' scores, as PyOD's. Default 0.1.
    /// </summary>
    public double Contamination { get; init; } = AnomalyDetector.DefaultContamination;

    /// <summary>Checks every option, naming the first one out of range.</summary>
    /// <exception cref="ArgumentNullException">A list or the loss is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(HiddenLayerSizes, nameof(HiddenLayerSizes));
        ArgumentNullException.ThrowIfNull(Loss, nameof(Loss));
        for (int i = 0; i < HiddenLayerSizes.Count; i++)
        {
            if (HiddenLayerSizes[i] <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(HiddenLayerSizes), Invariant($"every hidden layer size must be positive; got {HiddenLayerSizes[i]} at index {i}."));
            }
        }

        Positive(LatentSize, nameof(LatentSize));
        Positive(Epochs, nameof(Epochs));
        Positive(BatchSize, nameof(BatchSize));
        if (!Enum.IsDefined(HiddenActivation))
        {
            throw new ArgumentOutOfRangeException(nameof(HiddenActivation), Invariant($"{nameof(HiddenActivation)} must be one of {string.Join(", ", Enum.GetNames<Activation>())}; got {HiddenActivation}."));
        }

        if (Scaling is { } scaling && !Enum.IsDefined(scaling))
        {
            throw new ArgumentOutOfRangeException(nameof(Scaling), Invariant($"{nameof(Scaling)} must be null or one of {string.Join(", ", Enum.GetNames<FeatureScaling>())}; got {scaling}."));
        }

        if (!(Contamination > 0 && Contamination <= AnomalyDetector.MaxContamination))
        {
            throw new ArgumentOutOfRangeException(nameof(Contamination), Invariant($"{nameof(Contamination)} must be in (0, {AnomalyDetector.MaxContamination}]; got {Contamination}."));
        }
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, Invariant($"{name} must be positive; got {value}."));
        }
    }

    /// <summary>A new, untrained model for <paramref name="inputSize"/> features.</summary>
    internal AutoencoderModel BuildModel(int inputSize)
    {
        var builder = new AutoencoderBuilder(inputSize);
        foreach (int units in HiddenLayerSizes)
        {
            builder.AddEncoderLayer(units, HiddenActivation);
        }

        return builder
            .WithLatent(LatentSize, Activation.Identity)
            .WithOutputActivation(Scaling == FeatureScaling.MinMax ? Activation.Sigmoid : Activation.Identity)
            .WithSeed(Seed)
            .Build();
    }

    /// <summary>The core library's training options for these options.</summary>
    internal TrainingOptions TrainingOptions() =>
        new() { Epochs = Epochs, BatchSize = BatchSize, Loss = Loss, Seed = Seed };
}

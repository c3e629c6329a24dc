using Autoencoder.Data;

namespace Autoencoder.Orleans;

/// <summary>
/// <see cref="TrainingOptions"/> in the form that travels to the silos: every setting that shapes a
/// run, as plain fields. The options a silo cannot be given (code to call back, files of the client,
/// custom loss, noise or schedule types) are refused with the reason.
/// </summary>
[GenerateSerializer]
[Immutable]
internal sealed record TrainingPlan
{
    [Id(0)] public int Epochs { get; init; }

    [Id(1)] public int BatchSize { get; init; }

    [Id(2)] public string Loss { get; init; } = "";

    [Id(3)] public string Optimizer { get; init; } = "";

    [Id(4)] public double[] OptimizerValues { get; init; } = [];

    [Id(5)] public bool Shuffle { get; init; }

    [Id(6)] public int? Seed { get; init; }

    [Id(7)] public double ValidationFraction { get; init; }

    [Id(8)] public string? Corruption { get; init; }

    [Id(9)] public double[] CorruptionValues { get; init; } = [];

    [Id(10)] public string? Schedule { get; init; }

    [Id(11)] public double[] ScheduleValues { get; init; } = [];

    [Id(12)] public double[]? EarlyStopping { get; init; }

    [Id(13)] public double? GradientClipNorm { get; init; }

    [Id(14)] public double KlWeight { get; init; }

    [Id(15)] public int KlWarmUpEpochs { get; init; }

    /// <summary>The plan of <paramref name="o"/>.</summary>
    /// <exception cref="ArgumentException">The options hold something a silo cannot be given.</exception>
    public static TrainingPlan From(TrainingOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        Refuse(o.Progress is not null, "options.Progress (a report to this process); follow a distributed run through DistributedOptions.Progress");
        Refuse(o.Callbacks.Count > 0, "options.Callbacks (code of this process)");
        Refuse(o.CheckpointPath is not null || o.CheckpointEveryBatches is not null, "options.CheckpointPath or CheckpointEveryBatches (the distributed run keeps its own checkpoints; see DistributedOptions.CheckpointEveryBatches)");
        Refuse(o.ValidationData is not null, "options.ValidationData (a source of this process); use options.ValidationFraction");
        Refuse(o.GradientReducer is not null || o.BatchSlices != 1, "options.GradientReducer or BatchSlices (the distributed run sets the slices: one per worker)");
        return new TrainingPlan
        {
            Epochs = o.Epochs,
            BatchSize = o.BatchSize,
            Loss = LossName(o.Loss),
            Optimizer = o.Optimizer switch
            {
                AdamOptions => "adam",
                AdamWOptions => "adamw",
                SgdOptions => "sgd",
                _ => throw Unsupported("options.Optimizer", o.Optimizer),
            },
            OptimizerValues = o.Optimizer switch
            {
                AdamFamilyOptions a => [a.LearningRate, a.Beta1, a.Beta2, a.Epsilon, a.WeightDecay],
                SgdOptions s => [s.LearningRate, s.Momentum, s.Nesterov ? 1 : 0, s.WeightDecay],
                _ => [],
            },
            Shuffle = o.Shuffle,
            Seed = o.Seed,
            ValidationFraction = o.ValidationFraction,
            Corruption = o.Corruption switch
            {
                null => null,
                GaussianNoise => "gaussian",
                MaskingNoise => "masking",
                SaltAndPepperNoise => "salt_and_pepper",
                _ => throw Unsupported("options.Corruption", o.Corruption),
            },
            CorruptionValues = o.Corruption switch
            {
                GaussianNoise g => [g.StandardDeviation],
                MaskingNoise m => [m.Fraction],
                SaltAndPepperNoise p => [p.Fraction, p.Low, p.High],
                _ => [],
            },
            Schedule = o.LearningRateSchedule switch
            {
                null => null,
                StepDecay => "step",
                ExponentialDecay => "exponential",
                CosineAnnealing => "cosine",
                ReduceOnPlateau => "plateau",
                _ => throw Unsupported("options.LearningRateSchedule", o.LearningRateSchedule),
            },
            ScheduleValues = o.LearningRateSchedule switch
            {
                StepDecay s => [s.StepSize, s.Gamma],
                ExponentialDecay x => [x.Gamma],
                CosineAnnealing c => [c.Period, c.MinimumRate],
                ReduceOnPlateau p => [p.Factor, p.Patience, p.MinDelta, p.MinimumRate, p.Cooldown],
                _ => [],
            },
            EarlyStopping = o.EarlyStopping is { } stop ? [stop.Patience, stop.MinDelta, stop.RestoreBestWeights ? 1 : 0] : null,
            GradientClipNorm = o.GradientClipNorm,
            KlWeight = o.KlWeight,
            KlWarmUpEpochs = o.KlWarmUpEpochs,
        };
    }

    /// <summary>The options of this plan for replica <paramref name="reducer"/>, checkpointing to <paramref name="checkpointPath"/> every <paramref name="checkpointEveryBatches"/> batches (and every epoch) when given.</summary>
    public TrainingOptions ToOptions(IGradientReducer? reducer, string? checkpointPath, int? checkpointEveryBatches) => new()
    {
        Epochs = Epochs,
        BatchSize = BatchSize,
        Loss = Loss switch
        {
            "mse" => Autoencoder.Loss.MeanSquaredError,
            "bce" => Autoencoder.Loss.BinaryCrossEntropy,
            _ => Autoencoder.Loss.MeanAbsoluteError,
        },
        Optimizer = Optimizer switch
        {
            "adam" => new AdamOptions { LearningRate = OptimizerValues[0], Beta1 = OptimizerValues[1], Beta2 = OptimizerValues[2], Epsilon = OptimizerValues[3], WeightDecay = OptimizerValues[4] },
            "adamw" => new AdamWOptions { LearningRate = OptimizerValues[0], Beta1 = OptimizerValues[1], Beta2 = OptimizerValues[2], Epsilon = OptimizerValues[3], WeightDecay = OptimizerValues[4] },
            _ => new SgdOptions { LearningRate = OptimizerValues[0], Momentum = OptimizerValues[1], Nesterov = OptimizerValues[2] != 0, WeightDecay = OptimizerValues[3] },
        },
        Shuffle = Shuffle,
        Seed = Seed,
        ValidationFraction = ValidationFraction,
        Corruption = Corruption switch
        {
            null => null,
            "gaussian" => new GaussianNoise(CorruptionValues[0]),
            "masking" => new MaskingNoise(CorruptionValues[0]),
            _ => new SaltAndPepperNoise(CorruptionValues[0], (float)CorruptionValues[1], (float)CorruptionValues[2]),
        },
        LearningRateSchedule = Schedule switch
        {
            null => null,
            "step" => new StepDecay((int)ScheduleValues[0], ScheduleValues[1]),
            "exponential" => new ExponentialDecay(ScheduleValues[0]),
            "cosine" => new CosineAnnealing((int)ScheduleValues[0], ScheduleValues[1]),
            _ => new ReduceOnPlateau(ScheduleValues[0], (int)ScheduleValues[1], ScheduleValues[2], ScheduleValues[3], (int)ScheduleValues[4]),
        },
        EarlyStopping = EarlyStopping is { } e ? new EarlyStopping { Patience = (int)e[0], MinDelta = e[1], RestoreBestWeights = e[2] != 0 } : null,
        GradientClipNorm = GradientClipNorm,
        KlWeight = KlWeight,
        KlWarmUpEpochs = KlWarmUpEpochs,
        GradientReducer = reducer,
        CheckpointPath = checkpointPath,
        CheckpointEveryBatches = checkpointPath is null ? null : checkpointEveryBatches,
    };

    private static string LossName(Loss loss) =>
        loss == Autoencoder.Loss.MeanSquaredError ? "mse"
        : loss == Autoencoder.Loss.BinaryCrossEntropy ? "bce"
        : loss == Autoencoder.Loss.MeanAbsoluteError ? "mae"
        : throw Unsupported("options.Loss", loss);

    private static void Refuse(bool condition, string what)
    {
        if (condition)
        {
            throw new ArgumentException(Invariant($"A distributed run cannot carry {what}; leave it unset."), "options");
        }
    }

    private static ArgumentException Unsupported(string name, object? value) =>
        new(Invariant($"{name} must be one of the library's own kinds to travel to the silos (a custom type's code is not there); got {value?.GetType().Name}."), "options");
}

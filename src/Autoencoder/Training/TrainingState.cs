namespace Autoencoder.Training;

/// <summary>
/// Everything about a training run in progress besides the weights and the optimizer's moments:
/// where it is (epoch, batch, the epoch's sample order, the generator), what it has measured so
/// far, and the state of early stopping and of a plateau schedule. A checkpoint stores it, so a
/// resumed run continues bit for bit.
/// </summary>
internal sealed class TrainingState
{
    public TrainingState(int trainRows, Pcg32 random)
    {
        Order = new int[trainRows];
        for (int i = 0; i < Order.Length; i++)
        {
            Order[i] = i;
        }

        Random = random;
    }

    /// <summary>The epoch in progress, or the next to start when <see cref="Batch"/> is 0 and <see cref="EpochStarted"/> is false (1-based).</summary>
    public int Epoch { get; set; } = 1;

    /// <summary>The next batch of <see cref="Epoch"/> to train (0-based).</summary>
    public int Batch { get; set; }

    /// <summary>True once <see cref="Epoch"/> has shuffled its order and set its rate.</summary>
    public bool EpochStarted { get; set; }

    /// <summary>The sample order of the current epoch (each epoch shuffles the previous order in place).</summary>
    public int[] Order { get; }

    public Pcg32 Random;

    /// <summary>Sum of batch losses weighted by batch rows over the current epoch so far.</summary>
    public double LossSum { get; set; }

    public int EpochSamples { get; set; }

    public long SamplesSeen { get; set; }

    public double? LastValidation { get; set; }

    /// <summary>The learning rate of the current epoch.</summary>
    public double LearningRate { get; set; }

    public List<EpochResult> History { get; } = [];

    public double BestLoss { get; set; } = double.PositiveInfinity;

    public int? BestEpoch { get; set; }

    public int EpochsWithoutImprovement { get; set; }

    /// <summary>The weights of <see cref="BestEpoch"/> when early stopping restores them, followed by the state of that epoch (batch normalization's running statistics); else null.</summary>
    public float[]? BestWeights { get; set; }

    /// <summary>The state of a <see cref="ReduceOnPlateau"/> schedule (rate, best, bad epochs, cooldown left); null for other schedules.</summary>
    public (double Rate, double Best, int BadEpochs, int CooldownLeft)? Plateau { get; set; }
}

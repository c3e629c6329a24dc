namespace Autoencoder;

/// <summary>
/// The moment settings Adam and AdamW share: <see cref="AdamOptions"/> and
/// <see cref="AdamWOptions"/> differ only in how they apply weight decay.
/// </summary>
public abstract record AdamFamilyOptions : OptimizerOptions
{
    private protected AdamFamilyOptions()
    {
    }

    /// <summary>Decay rate of the first moment, in [0, 1). Default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Decay rate of the second moment, in [0, 1). Default 0.999.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>
    /// Added to the denominator after the square root; positive and at least float's smallest normal
    /// value (about 1.18e-38; smaller values would round to 0 and make a zero gradient divide 0 by 0). Default 1e-8.
    /// </summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>The weight-decay coefficient λ; non-negative and within float range (the default depends on the variant).</summary>
    public abstract double WeightDecay { get; init; }

    internal override void Validate()
    {
        base.Validate();
        string name = GetType().Name;
        Guard.InRange(Beta1, 0, 1, maxInclusive: false, Invariant($"{name}.{nameof(Beta1)}"));
        Guard.InRange(Beta2, 0, 1, maxInclusive: false, Invariant($"{name}.{nameof(Beta2)}"));
        Guard.PositiveFloat(Epsilon, Invariant($"{name}.{nameof(Epsilon)}"));
        Guard.NonNegativeFloat(WeightDecay, Invariant($"{name}.{nameof(WeightDecay)}"));

        // The first step moves a weight by up to lr / (1 − β₁) (bias correction of the first moment).
        double firstStep = LearningRate / (1 - Beta1);
        if (!(firstStep <= float.MaxValue))
        {
            throw new ArgumentOutOfRangeException(
                Invariant($"{name}.{nameof(LearningRate)}"),
                Invariant($"{name}.{nameof(LearningRate)} / (1 − {nameof(Beta1)}), the size of the first step, must be within float range (at most {float.MaxValue}); got {LearningRate} / (1 − {Beta1}) = {firstStep}."));
        }
    }
}

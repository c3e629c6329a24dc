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

    /// <summary>Added to the denominator after the square root; positive. Default 1e-8.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>The weight-decay coefficient λ; non-negative (the default depends on the variant).</summary>
    public abstract double WeightDecay { get; init; }

    internal override void Validate()
    {
        base.Validate();
        string name = GetType().Name;
        Guard.InRange(Beta1, 0, 1, maxInclusive: false, $"{name}.{nameof(Beta1)}");
        Guard.InRange(Beta2, 0, 1, maxInclusive: false, $"{name}.{nameof(Beta2)}");
        Guard.Positive(Epsilon, $"{name}.{nameof(Epsilon)}");
        Guard.NonNegative(WeightDecay, $"{name}.{nameof(WeightDecay)}");
    }
}

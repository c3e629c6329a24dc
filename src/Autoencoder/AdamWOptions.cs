using Autoencoder.Optimizers;

namespace Autoencoder;

/// <summary>
/// AdamW with PyTorch's semantics (<c>torch.optim.AdamW</c>): before the Adam update the
/// parameters shrink by <c>θ ← θ(1 − lr·λ)</c> (decoupled weight decay), and the gradient itself
/// carries no penalty.
/// </summary>
public sealed record AdamWOptions : OptimizerOptions
{
    /// <summary>Decay rate of the first moment, in [0, 1). Default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Decay rate of the second moment, in [0, 1). Default 0.999.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Added to the denominator after the square root; positive. Default 1e-8.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Decoupled decay coefficient λ; non-negative. Default 0.01, as in PyTorch.</summary>
    public double WeightDecay { get; init; } = 0.01;

    internal override void Validate()
    {
        base.Validate();
        Guard.InRange(Beta1, 0, 1, maxInclusive: false, $"{nameof(AdamWOptions)}.{nameof(Beta1)}");
        Guard.InRange(Beta2, 0, 1, maxInclusive: false, $"{nameof(AdamWOptions)}.{nameof(Beta2)}");
        Guard.Positive(Epsilon, $"{nameof(AdamWOptions)}.{nameof(Epsilon)}");
        Guard.NonNegative(WeightDecay, $"{nameof(AdamWOptions)}.{nameof(WeightDecay)}");
    }

    internal override IOptimizer Create(int parameterCount) =>
        new Adam(parameterCount, LearningRate, Beta1, Beta2, Epsilon, WeightDecay, decoupledWeightDecay: true);
}

using Autoencoder.Optimizers;

namespace Autoencoder;

/// <summary>
/// Adam with PyTorch's semantics (<c>torch.optim.Adam</c>): moments
/// <c>m ← β₁m + (1 − β₁)g</c>, <c>v ← β₂v + (1 − β₂)g²</c>, bias-corrected, update
/// <c>θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)</c> with ε added after the square
/// root. <see cref="WeightDecay"/> is classic L2 (added to the gradient), as in PyTorch's Adam;
/// for decoupled decay use <see cref="AdamWOptions"/>.
/// </summary>
public sealed record AdamOptions : OptimizerOptions
{
    /// <summary>Decay rate of the first moment, in [0, 1). Default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Decay rate of the second moment, in [0, 1). Default 0.999.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Added to the denominator after the square root; positive. Default 1e-8.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>L2 penalty coefficient added to the gradient as <c>g + λθ</c>; non-negative. Default 0.</summary>
    public double WeightDecay { get; init; }

    internal override void Validate()
    {
        base.Validate();
        Guard.InRange(Beta1, 0, 1, maxInclusive: false, $"{nameof(AdamOptions)}.{nameof(Beta1)}");
        Guard.InRange(Beta2, 0, 1, maxInclusive: false, $"{nameof(AdamOptions)}.{nameof(Beta2)}");
        Guard.Positive(Epsilon, $"{nameof(AdamOptions)}.{nameof(Epsilon)}");
        Guard.NonNegative(WeightDecay, $"{nameof(AdamOptions)}.{nameof(WeightDecay)}");
    }

    internal override IOptimizer Create(int parameterCount) =>
        new Adam(parameterCount, LearningRate, Beta1, Beta2, Epsilon, WeightDecay, decoupledWeightDecay: false);
}

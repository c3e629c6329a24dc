using Autoencoder.Optimizers;

namespace Autoencoder;

/// <summary>
/// Adam with PyTorch's semantics (<c>torch.optim.Adam</c>): moments
/// <c>m ← β₁m + (1 − β₁)g</c>, <c>v ← β₂v + (1 − β₂)g²</c>, bias-corrected, update
/// <c>θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)</c> with ε added after the square
/// root. <see cref="WeightDecay"/> is classic L2 (added to the gradient), as in PyTorch's Adam;
/// for decoupled decay use <see cref="AdamWOptions"/>.
/// </summary>
public sealed record AdamOptions : AdamFamilyOptions
{
    /// <summary>L2 penalty coefficient added to the gradient as <c>g + λθ</c>; non-negative. Default 0.</summary>
    public override double WeightDecay { get; init; }

    internal override IOptimizer Create(int parameterCount) =>
        new Adam(parameterCount, LearningRate, Beta1, Beta2, Epsilon, WeightDecay, decoupledWeightDecay: false);
}

using Autoencoder.Optimizers;

namespace Autoencoder;

/// <summary>
/// AdamW with PyTorch's semantics (<c>torch.optim.AdamW</c>): before the Adam update the
/// parameters shrink by <c>θ ← θ(1 − lr·λ)</c> (decoupled weight decay), and the gradient itself
/// carries no penalty.
/// </summary>
public sealed record AdamWOptions : AdamFamilyOptions
{
    /// <summary>Decoupled decay coefficient λ; non-negative. Default 0.01, as in PyTorch.</summary>
    public override double WeightDecay { get; init; } = 0.01;

    internal override IOptimizer Create(int parameterCount) =>
        new Adam(parameterCount, LearningRate, Beta1, Beta2, Epsilon, WeightDecay, decoupledWeightDecay: true);
}

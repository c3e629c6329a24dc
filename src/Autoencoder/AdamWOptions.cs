using Autoencoder.Optimizers;

namespace Autoencoder;

/// <summary>
/// AdamW with PyTorch's semantics (<c>torch.optim.AdamW</c>): before the Adam update the
/// parameters shrink by <c>θ ← θ(1 − lr·λ)</c> (decoupled weight decay), and the gradient itself
/// carries no penalty.
/// </summary>
public sealed record AdamWOptions : AdamFamilyOptions
{
    /// <summary>Decoupled decay coefficient λ; non-negative, with <c>lr·λ</c> within float range. Default 0.01, as in PyTorch.</summary>
    public override double WeightDecay { get; init; } = 0.01;

    internal override void Validate()
    {
        base.Validate();
        double shrink = LearningRate * WeightDecay;
        if (!(shrink <= float.MaxValue))
        {
            throw new ArgumentOutOfRangeException(
                $"{nameof(AdamWOptions)}.{nameof(WeightDecay)}",
                Invariant($"{nameof(AdamWOptions)}.{nameof(LearningRate)} × {nameof(WeightDecay)}, the per-step shrink of the weights, must be within float range (at most {float.MaxValue}); got {LearningRate} × {WeightDecay} = {shrink}."));
        }
    }

    internal override IOptimizer Create(int parameterCount) =>
        new Adam(parameterCount, LearningRate, Beta1, Beta2, Epsilon, WeightDecay, decoupledWeightDecay: true);
}

using Autoencoder.Optimizers;

namespace Autoencoder;

/// <summary>
/// Stochastic gradient descent with optional momentum, PyTorch's semantics (<c>torch.optim.SGD</c>,
/// dampening 0): <c>g ← g + λθ</c>; <c>b ← g</c> on the first step, then <c>b ← μb + g</c>;
/// <c>g ← g + μb</c> (Nesterov) or <c>g ← b</c>; <c>θ ← θ − lr·g</c>.
/// </summary>
public sealed record SgdOptions : OptimizerOptions
{
    /// <summary>Creates SGD options with PyTorch's defaults but a learning rate of 0.01.</summary>
    public SgdOptions() => LearningRate = 0.01;

    /// <summary>Momentum factor μ, in [0, 1). Default 0 (plain SGD).</summary>
    public double Momentum { get; init; }

    /// <summary>Whether to use Nesterov momentum (requires <see cref="Momentum"/> &gt; 0). Default false.</summary>
    public bool Nesterov { get; init; }

    /// <summary>L2 penalty coefficient λ added to the gradient; non-negative and within float range. Default 0.</summary>
    public double WeightDecay { get; init; }

    internal override void Validate()
    {
        base.Validate();
        Guard.InRange(Momentum, 0, 1, maxInclusive: false, $"{nameof(SgdOptions)}.{nameof(Momentum)}");
        Guard.NonNegativeFloat(WeightDecay, $"{nameof(SgdOptions)}.{nameof(WeightDecay)}");
        if (Nesterov && Momentum == 0)
        {
            throw new ArgumentException(
                $"{nameof(SgdOptions)}.{nameof(Nesterov)} requires {nameof(Momentum)} > 0; got {nameof(Momentum)} = 0.",
                nameof(Nesterov));
        }
    }

    internal override IOptimizer Create(int parameterCount) =>
        new Sgd(parameterCount, LearningRate, Momentum, Nesterov, WeightDecay);
}

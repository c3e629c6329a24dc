using Autoencoder.Optimizers;

namespace Autoencoder;

/// <summary>
/// Which optimizer <see cref="AutoencoderModel.Fit(Autoencoder.Data.DataSource, TrainingOptions?, CancellationToken)"/> uses and its hyper-parameters: one of
/// <see cref="AdamOptions"/>, <see cref="AdamWOptions"/> or <see cref="SgdOptions"/>.
/// </summary>
public abstract record OptimizerOptions
{
    private protected OptimizerOptions()
    {
    }

    /// <summary>The step size. Must be positive and within float range (see each optimizer for its own bound).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Checks every hyper-parameter, throwing an <see cref="ArgumentOutOfRangeException"/> naming the bad one.</summary>
    internal virtual void Validate() => Guard.PositiveFloat(LearningRate, Invariant($"{GetType().Name}.{nameof(LearningRate)}"));

    /// <summary>Creates the optimizer with fresh state for a flat parameter buffer of the given length.</summary>
    internal abstract IOptimizer Create(int parameterCount);
}

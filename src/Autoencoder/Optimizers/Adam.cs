namespace Autoencoder.Optimizers;

/// <summary>
/// Adam and AdamW following PyTorch's single-tensor implementation step for step, so that the
/// same weights and gradients give the same result to float32 rounding:
/// <code>
/// t ← t + 1
/// θ ← θ·(1 − lr·λ)                       (AdamW only)
/// g ← g + λθ                             (Adam with weight decay only)
/// m ← m + (1 − β₁)(g − m)                (PyTorch's lerp form of β₁m + (1 − β₁)g)
/// v ← β₂v + (1 − β₂)g²
/// θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// </summary>
internal sealed class Adam : IOptimizer
{
    private readonly float[] _m;
    private readonly float[] _v;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly float _epsilon;
    private readonly float _weightDecay;
    private readonly bool _decoupled;

    public Adam(int parameterCount, double learningRate, double beta1, double beta2, double epsilon, double weightDecay, bool decoupledWeightDecay)
    {
        _m = new float[parameterCount];
        _v = new float[parameterCount];
        LearningRate = learningRate;
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = (float)epsilon;
        _weightDecay = (float)weightDecay;
        _decoupled = decoupledWeightDecay;
    }

    public double LearningRate { get; set; }

    public long Steps { get; private set; }

    /// <summary>First-moment estimates (tests and checkpoints read them).</summary>
    public ReadOnlySpan<float> FirstMoment => _m;

    /// <summary>Second-moment estimates.</summary>
    public ReadOnlySpan<float> SecondMoment => _v;

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (parameters.Length != _m.Length || gradients.Length != _m.Length)
        {
            throw new ArgumentException($"Expected {_m.Length} parameters and gradients; got {parameters.Length} and {gradients.Length}.");
        }

        Steps++;
        double biasCorrection1 = 1 - Math.Pow(_beta1, Steps);
        double biasCorrection2 = 1 - Math.Pow(_beta2, Steps);
        float stepSize = (float)(LearningRate / biasCorrection1);
        float biasCorrection2Sqrt = (float)Math.Sqrt(biasCorrection2);
        float oneMinusBeta1 = (float)(1 - _beta1);
        float beta2 = (float)_beta2;
        float oneMinusBeta2 = (float)(1 - _beta2);
        float decay = _decoupled ? (float)(1 - LearningRate * _weightDecay) : 1f;
        float l2 = _decoupled ? 0f : _weightDecay;

        Span<float> m = _m, v = _v;
        for (int i = 0; i < parameters.Length; i++)
        {
            float p = parameters[i] * decay;
            float g = gradients[i] + l2 * p;
            float mi = m[i] + oneMinusBeta1 * (g - m[i]);
            float vi = v[i] * beta2 + oneMinusBeta2 * g * g;
            m[i] = mi;
            v[i] = vi;
            float denominator = MathF.Sqrt(vi) / biasCorrection2Sqrt + _epsilon;
            parameters[i] = p - stepSize * (mi / denominator);
        }
    }
}

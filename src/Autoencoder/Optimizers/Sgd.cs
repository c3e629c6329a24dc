namespace Autoencoder.Optimizers;

/// <summary>
/// SGD with momentum following <c>torch.optim.SGD</c> (dampening 0):
/// <code>
/// g ← g + λθ
/// b ← g (first step) | μb + g
/// g ← g + μb (Nesterov) | b
/// θ ← θ − lr·g
/// </code>
/// </summary>
internal sealed class Sgd : IOptimizer
{
    private readonly float[] _momentumBuffer;
    private readonly float _momentum;
    private readonly bool _nesterov;
    private readonly float _weightDecay;

    public Sgd(int parameterCount, double learningRate, double momentum, bool nesterov, double weightDecay)
    {
        _momentumBuffer = momentum != 0 ? new float[parameterCount] : [];
        LearningRate = learningRate;
        _momentum = (float)momentum;
        _nesterov = nesterov;
        _weightDecay = (float)weightDecay;
    }

    public double LearningRate { get; set; }

    public long Steps { get; private set; }

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (gradients.Length != parameters.Length)
        {
            throw new ArgumentException($"Expected {parameters.Length} gradients; got {gradients.Length}.");
        }

        Steps++;
        float lr = (float)LearningRate;
        bool first = Steps == 1;
        for (int i = 0; i < parameters.Length; i++)
        {
            float p = parameters[i];
            float g = gradients[i] + _weightDecay * p;
            if (_momentum != 0f)
            {
                float b = first ? g : _momentum * _momentumBuffer[i] + g;
                _momentumBuffer[i] = b;
                g = _nesterov ? g + _momentum * b : b;
            }

            parameters[i] = p - lr * g;
        }
    }
}

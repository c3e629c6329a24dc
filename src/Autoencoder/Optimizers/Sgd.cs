using System.Runtime.Intrinsics;
using Autoencoder.Kernels;

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

    public long Steps { get; set; }

    public IReadOnlyDictionary<string, float[]> State =>
        _momentumBuffer.Length > 0 ? new Dictionary<string, float[]> { ["optimizer.momentum"] = _momentumBuffer } : new Dictionary<string, float[]>();

    /// <summary>
    /// One update, vectorised: the arithmetic of <see cref="StepReference"/> in the same order, with
    /// each multiply-then-add fused (one rounding instead of two), so every instruction path gives
    /// bit-identical results. Returns whether every new parameter and momentum value is finite.
    /// </summary>
    public bool Step(ReadOnlySpan<float> parameters, Span<float> updated, ReadOnlySpan<float> gradients)
    {
        Update update = NextStep(parameters, gradients);
        return _momentum != 0f
            ? ElementwiseDriver.Update(update, parameters, updated, _momentumBuffer, gradients)
            : ElementwiseDriver.Update(update, parameters, updated, gradients);
    }

    /// <inheritdoc cref="Step(ReadOnlySpan{float}, Span{float}, ReadOnlySpan{float})"/>
    public bool Step(Span<float> parameters, ReadOnlySpan<float> gradients) => Step(parameters, parameters, gradients);

    /// <summary>Scalar reference for <see cref="Step(Span{float}, ReadOnlySpan{float})"/>: PyTorch's arithmetic, one operation at a time.</summary>
    public void StepReference(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        Update u = NextStep(parameters, gradients);
        for (int i = 0; i < parameters.Length; i++)
        {
            float p = parameters[i];
            float g = gradients[i] + u.WeightDecay * p;
            if (u.Momentum != 0f)
            {
                float b = u.First ? g : u.Momentum * _momentumBuffer[i] + g;
                _momentumBuffer[i] = b;
                g = u.Nesterov ? g + u.Momentum * b : b;
            }

            parameters[i] = p - u.LearningRate * g;
        }
    }

    /// <summary>Checks the lengths, counts the step and returns its constants.</summary>
    private Update NextStep(ReadOnlySpan<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (gradients.Length != parameters.Length)
        {
            throw new ArgumentException(Invariant($"Expected {parameters.Length} gradients; got {gradients.Length}."));
        }

        Steps++;
        return new Update
        {
            LearningRate = (float)LearningRate,
            WeightDecay = _weightDecay,
            Momentum = _momentum,
            Nesterov = _nesterov,
            First = Steps == 1,
        };
    }

    /// <summary>
    /// The per-element update of one step: as a one-state update with momentum, and as a binary
    /// operator <c>(θ, g) → θ'</c> without. Hand-written: TensorPrimitives has no optimizer step, and
    /// composing it would take several passes and a temporary buffer.
    /// </summary>
    private readonly struct Update : IOneStateUpdateOperator, IBinaryOperator
    {
        public float LearningRate { get; init; }

        public float WeightDecay { get; init; }

        public float Momentum { get; init; }

        public bool Nesterov { get; init; }

        /// <summary>The first step starts the momentum buffer at the gradient.</summary>
        public bool First { get; init; }

        public float Invoke(float p, float gradient) =>
            MathF.FusedMultiplyAdd(-LearningRate, MathF.FusedMultiplyAdd(WeightDecay, p, gradient), p);

        public Vector128<float> Invoke(Vector128<float> p, Vector128<float> gradient) =>
            Vector128.FusedMultiplyAdd(Vector128.Create(-LearningRate), Vector128.FusedMultiplyAdd(Vector128.Create(WeightDecay), p, gradient), p);

        public Vector256<float> Invoke(Vector256<float> p, Vector256<float> gradient) =>
            Vector256.FusedMultiplyAdd(Vector256.Create(-LearningRate), Vector256.FusedMultiplyAdd(Vector256.Create(WeightDecay), p, gradient), p);

        public Vector512<float> Invoke(Vector512<float> p, Vector512<float> gradient) =>
            Vector512.FusedMultiplyAdd(Vector512.Create(-LearningRate), Vector512.FusedMultiplyAdd(Vector512.Create(WeightDecay), p, gradient), p);

        public void Invoke(ref float parameter, ref float state, float gradient)
        {
            float g = MathF.FusedMultiplyAdd(WeightDecay, parameter, gradient);
            float b = First ? g : MathF.FusedMultiplyAdd(Momentum, state, g);
            state = b;
            g = Nesterov ? MathF.FusedMultiplyAdd(Momentum, b, g) : b;
            parameter = MathF.FusedMultiplyAdd(-LearningRate, g, parameter);
        }

        public void Invoke(ref Vector128<float> parameter, ref Vector128<float> state, Vector128<float> gradient)
        {
            Vector128<float> momentum = Vector128.Create(Momentum);
            Vector128<float> g = Vector128.FusedMultiplyAdd(Vector128.Create(WeightDecay), parameter, gradient);
            Vector128<float> b = First ? g : Vector128.FusedMultiplyAdd(momentum, state, g);
            state = b;
            g = Nesterov ? Vector128.FusedMultiplyAdd(momentum, b, g) : b;
            parameter = Vector128.FusedMultiplyAdd(Vector128.Create(-LearningRate), g, parameter);
        }

        public void Invoke(ref Vector256<float> parameter, ref Vector256<float> state, Vector256<float> gradient)
        {
            Vector256<float> momentum = Vector256.Create(Momentum);
            Vector256<float> g = Vector256.FusedMultiplyAdd(Vector256.Create(WeightDecay), parameter, gradient);
            Vector256<float> b = First ? g : Vector256.FusedMultiplyAdd(momentum, state, g);
            state = b;
            g = Nesterov ? Vector256.FusedMultiplyAdd(momentum, b, g) : b;
            parameter = Vector256.FusedMultiplyAdd(Vector256.Create(-LearningRate), g, parameter);
        }

        public void Invoke(ref Vector512<float> parameter, ref Vector512<float> state, Vector512<float> gradient)
        {
            Vector512<float> momentum = Vector512.Create(Momentum);
            Vector512<float> g = Vector512.FusedMultiplyAdd(Vector512.Create(WeightDecay), parameter, gradient);
            Vector512<float> b = First ? g : Vector512.FusedMultiplyAdd(momentum, state, g);
            state = b;
            g = Nesterov ? Vector512.FusedMultiplyAdd(momentum, b, g) : b;
            parameter = Vector512.FusedMultiplyAdd(Vector512.Create(-LearningRate), g, parameter);
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Autoencoder.Kernels;
using Autoencoder.Model;

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
    /// <summary>The name of the momentum buffer in a checkpoint.</summary>
    public const string MomentumName = "optimizer.momentum";

    /// <summary>The buffers SGD may keep: the momentum buffer, when there is momentum.</summary>
    public static readonly IReadOnlyList<string> BufferNames = [MomentumName];

    private readonly float[] _momentumBuffer;
    private readonly float _momentum;

    /// <inheritdoc/>
    public IReadOnlyList<float[]> Buffers { get; }
    private readonly bool _nesterov;
    private readonly float _weightDecay;

    public Sgd(int parameterCount, double learningRate, double momentum, bool nesterov, double weightDecay)
    {
        _momentumBuffer = momentum != 0 ? new float[parameterCount] : [];
        Buffers = momentum != 0 ? [_momentumBuffer] : [];
        LearningRate = learningRate;
        _momentum = (float)momentum;
        _nesterov = nesterov;
        _weightDecay = (float)weightDecay;
    }

    /// <inheritdoc/>
    public double LearningRate { get; set; }

    /// <inheritdoc/>
    public long Steps { get; private set; }

    /// <inheritdoc/>
    public void SaveState(NamedState state)
    {
        if (_momentum != 0f)
        {
            OptimizerState.Save(state, Steps, (MomentumName, _momentumBuffer));
        }
        else
        {
            OptimizerState.Save(state, Steps);
        }
    }

    /// <inheritdoc/>
    public void RestoreState(NamedState state)
    {
        long steps = OptimizerState.Expect(state, _momentum != 0f ? BufferNames : [], _momentumBuffer.Length);
        CheckState(state, steps);
        if (_momentum != 0f)
        {
            state.GetTensor(MomentumName).CopyTo(_momentumBuffer, 0);
        }

        Steps = steps;
    }

    /// <summary>
    /// Checks the momentum buffer <paramref name="state"/> holds, if any, after
    /// <paramref name="steps"/> steps: the first step starts it, so before that it is zero.
    /// </summary>
    /// <exception cref="ModelFormatException">A value SGD never writes.</exception>
    public static void CheckState(NamedState state, long steps)
    {
        if (steps == 0 && state.TryGetTensor(MomentumName, out float[]? momentum) && OptimizerState.FirstNonZero(momentum) is int nonZero and >= 0)
        {
            throw new ModelFormatException(Invariant($"Tensor '{MomentumName}' holds SGD's momentum, which is 0 before the first step (metadata 'optimizer_steps' is 0); got {momentum[nonZero]} at index {nonZero}."));
        }
    }

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

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float p, float gradient) =>
            MathF.FusedMultiplyAdd(-LearningRate, MathF.FusedMultiplyAdd(WeightDecay, p, gradient), p);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> p, Vector128<float> gradient) =>
            Vector128.FusedMultiplyAdd(Vector128.Create(-LearningRate), Vector128.FusedMultiplyAdd(Vector128.Create(WeightDecay), p, gradient), p);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> p, Vector256<float> gradient) =>
            Vector256.FusedMultiplyAdd(Vector256.Create(-LearningRate), Vector256.FusedMultiplyAdd(Vector256.Create(WeightDecay), p, gradient), p);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> p, Vector512<float> gradient) =>
            Vector512.FusedMultiplyAdd(Vector512.Create(-LearningRate), Vector512.FusedMultiplyAdd(Vector512.Create(WeightDecay), p, gradient), p);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref float parameter, ref float state, float gradient)
        {
            float g = MathF.FusedMultiplyAdd(WeightDecay, parameter, gradient);
            float b = First ? g : MathF.FusedMultiplyAdd(Momentum, state, g);
            state = b;
            g = Nesterov ? MathF.FusedMultiplyAdd(Momentum, b, g) : b;
            parameter = MathF.FusedMultiplyAdd(-LearningRate, g, parameter);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref Vector128<float> parameter, ref Vector128<float> state, Vector128<float> gradient)
        {
            Vector128<float> momentum = Vector128.Create(Momentum);
            Vector128<float> g = Vector128.FusedMultiplyAdd(Vector128.Create(WeightDecay), parameter, gradient);
            Vector128<float> b = First ? g : Vector128.FusedMultiplyAdd(momentum, state, g);
            state = b;
            g = Nesterov ? Vector128.FusedMultiplyAdd(momentum, b, g) : b;
            parameter = Vector128.FusedMultiplyAdd(Vector128.Create(-LearningRate), g, parameter);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref Vector256<float> parameter, ref Vector256<float> state, Vector256<float> gradient)
        {
            Vector256<float> momentum = Vector256.Create(Momentum);
            Vector256<float> g = Vector256.FusedMultiplyAdd(Vector256.Create(WeightDecay), parameter, gradient);
            Vector256<float> b = First ? g : Vector256.FusedMultiplyAdd(momentum, state, g);
            state = b;
            g = Nesterov ? Vector256.FusedMultiplyAdd(momentum, b, g) : b;
            parameter = Vector256.FusedMultiplyAdd(Vector256.Create(-LearningRate), g, parameter);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

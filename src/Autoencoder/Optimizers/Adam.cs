using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Autoencoder.Kernels;
using Autoencoder.Model;

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
    /// <summary>The name of the first-moment buffer in a checkpoint.</summary>
    public const string FirstMomentName = "optimizer.m";

    /// <summary>The name of the second-moment buffer in a checkpoint.</summary>
    public const string SecondMomentName = "optimizer.v";

    /// <summary>The buffers Adam keeps, in ordinal order.</summary>
    public static readonly IReadOnlyList<string> BufferNames = [FirstMomentName, SecondMomentName];

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
        Buffers = [_m, _v];
        LearningRate = learningRate;
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = (float)epsilon;
        _weightDecay = (float)weightDecay;
        _decoupled = decoupledWeightDecay;
    }

    /// <inheritdoc/>
    public double LearningRate { get; set; }

    /// <inheritdoc/>
    public long Steps { get; private set; }

    /// <inheritdoc/>
    public void SaveState(NamedState state) => OptimizerState.Save(state, Steps, (FirstMomentName, _m), (SecondMomentName, _v));

    /// <inheritdoc/>
    public void RestoreState(NamedState state)
    {
        long steps = OptimizerState.Expect(state, BufferNames, _m.Length);
        CheckState(state, steps);
        state.GetTensor(FirstMomentName).CopyTo(_m, 0);
        state.GetTensor(SecondMomentName).CopyTo(_v, 0);
        Steps = steps;
    }

    /// <summary>
    /// Checks the values of Adam's buffers that <paramref name="state"/> holds, after
    /// <paramref name="steps"/> steps: second moments are never negative, and before the first step
    /// both moments are zero.
    /// </summary>
    /// <exception cref="ModelFormatException">A value Adam never writes.</exception>
    public static void CheckState(NamedState state, long steps)
    {
        if (state.TryGetTensor(SecondMomentName, out float[]? second) && Array.FindIndex(second, v => v < 0) is int negative and >= 0)
        {
            throw new ModelFormatException(Invariant($"Tensor '{SecondMomentName}' holds Adam's second moments, which are never negative; got {second[negative]} at index {negative}."));
        }

        foreach (string name in BufferNames)
        {
            if (steps == 0 && state.TryGetTensor(name, out float[]? moments) && OptimizerState.FirstNonZero(moments) is int nonZero and >= 0)
            {
                throw new ModelFormatException(Invariant($"Tensor '{name}' holds Adam's moments, which are 0 before the first step (metadata 'optimizer_steps' is 0); got {moments[nonZero]} at index {nonZero}."));
            }
        }
    }

    /// <summary>First-moment estimates (tests and checkpoints read them).</summary>
    public ReadOnlySpan<float> FirstMoment => _m;

    /// <inheritdoc/>
    public IReadOnlyList<float[]> Buffers { get; }

    /// <summary>Second-moment estimates.</summary>
    public ReadOnlySpan<float> SecondMoment => _v;

    /// <summary>
    /// One update, vectorised: the arithmetic of <see cref="StepReference"/> in the same order, with
    /// each multiply-then-add fused (one rounding instead of two), so the two agree to a few float
    /// ulps and every instruction path gives bit-identical results. Returns whether every new
    /// parameter and moment is finite.
    /// </summary>
    /// <remarks>
    /// Buffers of at least <see cref="ParallelMinimum"/> parameters are updated in two halves on the
    /// worker pool: the update is element-wise and path-independent, so the bits do not change.
    /// </remarks>
    public unsafe bool Step(ReadOnlySpan<float> parameters, Span<float> updated, ReadOnlySpan<float> gradients)
    {
        Update update = NextStep(parameters, gradients);
        if (parameters.Length < ParallelMinimum)
        {
            return ElementwiseDriver.Update(update, parameters, updated, _m, _v, gradients);
        }

        ElementwiseDriver.CheckInput(parameters, updated, nameof(updated));
        ElementwiseDriver.CheckOutput(parameters, updated, nameof(updated));
        fixed (float* p = parameters, u = updated, m = _m, v = _v, g = gradients)
        {
            var work = new StepWork { Parameters = p, Updated = u, First = m, Second = v, Gradients = g, Update = update };
            WorkerPool.InHalves(ref work, parameters.Length, ParallelMinimum);
            return work.Finite[0] && work.Finite[1];
        }
    }

    /// <inheritdoc cref="Step(ReadOnlySpan{float}, Span{float}, ReadOnlySpan{float})"/>
    public bool Step(Span<float> parameters, ReadOnlySpan<float> gradients) => Step(parameters, parameters, gradients);

    /// <summary>Below this many parameters one thread updates them all: waking a helper would cost more than it saves.</summary>
    internal const int ParallelMinimum = 1 << 16;

    /// <summary>One half of a large update; each half reports whether what it wrote is finite.</summary>
    private unsafe struct StepWork : IRangeWork
    {
        public float* Parameters;
        public float* Updated;
        public float* First;
        public float* Second;
        public float* Gradients;
        public Update Update;
        public fixed bool Finite[2];

        public void Run(int part, int start, int length) =>
            Finite[part] = ElementwiseDriver.Update(
                Update,
                new ReadOnlySpan<float>(Parameters + start, length),
                new Span<float>(Updated + start, length),
                new Span<float>(First + start, length),
                new Span<float>(Second + start, length),
                new ReadOnlySpan<float>(Gradients + start, length));
    }

    /// <summary>Scalar reference for <see cref="Step(Span{float}, ReadOnlySpan{float})"/>: PyTorch's arithmetic, one operation at a time.</summary>
    public void StepReference(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        Update u = NextStep(parameters, gradients);
        Span<float> m = _m, v = _v;
        for (int i = 0; i < parameters.Length; i++)
        {
            float p = parameters[i] * u.Decay;
            float g = gradients[i] + u.L2 * p;
            float mi = m[i] + u.OneMinusBeta1 * (g - m[i]);
            float vi = v[i] * u.Beta2 + u.OneMinusBeta2 * g * g;
            m[i] = mi;
            v[i] = vi;
            float denominator = MathF.Sqrt(vi) / u.BiasCorrection2Sqrt + u.Epsilon;
            parameters[i] = p - u.StepSize * (mi / denominator);
        }
    }

    /// <summary>Checks the lengths, counts the step and returns its constants.</summary>
    private Update NextStep(ReadOnlySpan<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (parameters.Length != _m.Length || gradients.Length != _m.Length)
        {
            throw new ArgumentException(Invariant($"Expected {_m.Length} parameters and gradients; got {parameters.Length} and {gradients.Length}."));
        }

        Steps++;
        double biasCorrection1 = 1 - Math.Pow(_beta1, Steps);
        double biasCorrection2 = 1 - Math.Pow(_beta2, Steps);
        return new Update
        {
            StepSize = (float)(LearningRate / biasCorrection1),
            BiasCorrection2Sqrt = (float)Math.Sqrt(biasCorrection2),
            OneMinusBeta1 = (float)(1 - _beta1),
            Beta2 = (float)_beta2,
            OneMinusBeta2 = (float)(1 - _beta2),
            Epsilon = _epsilon,
            Decay = _decoupled ? (float)(1 - LearningRate * _weightDecay) : 1f,
            L2 = _decoupled ? 0f : _weightDecay,
        };
    }

    /// <summary>
    /// The per-element update of one step (constants fixed for the step). Hand-written: TensorPrimitives
    /// has no optimizer step, and composing one from its element-wise operations would make a dozen
    /// passes over four buffers and need temporaries.
    /// </summary>
    private readonly struct Update : ITwoStateUpdateOperator
    {
        public float StepSize { get; init; }

        public float BiasCorrection2Sqrt { get; init; }

        public float OneMinusBeta1 { get; init; }

        public float Beta2 { get; init; }

        public float OneMinusBeta2 { get; init; }

        public float Epsilon { get; init; }

        /// <summary><c>1 − lr·λ</c> for AdamW, else 1.</summary>
        public float Decay { get; init; }

        /// <summary>λ for Adam's L2 term, else 0.</summary>
        public float L2 { get; init; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref float parameter, ref float first, ref float second, float gradient)
        {
            float p = parameter * Decay;
            float g = MathF.FusedMultiplyAdd(L2, p, gradient);
            float m = MathF.FusedMultiplyAdd(OneMinusBeta1, g - first, first);
            float v = MathF.FusedMultiplyAdd(OneMinusBeta2 * g, g, second * Beta2);
            first = m;
            second = v;
            float denominator = MathF.Sqrt(v) / BiasCorrection2Sqrt + Epsilon;
            parameter = MathF.FusedMultiplyAdd(-StepSize, m / denominator, p);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref Vector128<float> parameter, ref Vector128<float> first, ref Vector128<float> second, Vector128<float> gradient)
        {
            Vector128<float> p = parameter * Decay;
            Vector128<float> g = Vector128.FusedMultiplyAdd(Vector128.Create(L2), p, gradient);
            Vector128<float> m = Vector128.FusedMultiplyAdd(Vector128.Create(OneMinusBeta1), g - first, first);
            Vector128<float> v = Vector128.FusedMultiplyAdd(OneMinusBeta2 * g, g, second * Beta2);
            first = m;
            second = v;
            Vector128<float> denominator = Vector128.Sqrt(v) / BiasCorrection2Sqrt + Vector128.Create(Epsilon);
            parameter = Vector128.FusedMultiplyAdd(Vector128.Create(-StepSize), m / denominator, p);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref Vector256<float> parameter, ref Vector256<float> first, ref Vector256<float> second, Vector256<float> gradient)
        {
            Vector256<float> p = parameter * Decay;
            Vector256<float> g = Vector256.FusedMultiplyAdd(Vector256.Create(L2), p, gradient);
            Vector256<float> m = Vector256.FusedMultiplyAdd(Vector256.Create(OneMinusBeta1), g - first, first);
            Vector256<float> v = Vector256.FusedMultiplyAdd(OneMinusBeta2 * g, g, second * Beta2);
            first = m;
            second = v;
            Vector256<float> denominator = Vector256.Sqrt(v) / BiasCorrection2Sqrt + Vector256.Create(Epsilon);
            parameter = Vector256.FusedMultiplyAdd(Vector256.Create(-StepSize), m / denominator, p);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Invoke(ref Vector512<float> parameter, ref Vector512<float> first, ref Vector512<float> second, Vector512<float> gradient)
        {
            Vector512<float> p = parameter * Decay;
            Vector512<float> g = Vector512.FusedMultiplyAdd(Vector512.Create(L2), p, gradient);
            Vector512<float> m = Vector512.FusedMultiplyAdd(Vector512.Create(OneMinusBeta1), g - first, first);
            Vector512<float> v = Vector512.FusedMultiplyAdd(OneMinusBeta2 * g, g, second * Beta2);
            first = m;
            second = v;
            Vector512<float> denominator = Vector512.Sqrt(v) / BiasCorrection2Sqrt + Vector512.Create(Epsilon);
            parameter = Vector512.FusedMultiplyAdd(Vector512.Create(-StepSize), m / denominator, p);
        }
    }
}

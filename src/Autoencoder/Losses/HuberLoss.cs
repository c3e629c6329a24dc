using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Autoencoder.Kernels;

namespace Autoencoder.Losses;

/// <summary>
/// <see cref="Loss.Huber"/>, PyTorch's <c>HuberLoss(delta)</c>: with <c>d = x̂ − x</c>, <c>ℓ = ½d²</c> for
/// <c>|d| &lt; δ</c>, else <c>δ(|d| − ½δ)</c>; <c>∂ℓ/∂x̂ = d</c> clamped to [−δ, δ] (PyTorch's backward:
/// <c>±δ</c> from <c>|d| ≥ δ</c> on). The kernels are hand-written (TensorPrimitives has no Huber loss);
/// the clamp is a compare and select, so NaN behaves the same on every path.
/// </summary>
internal sealed class HuberLoss(float delta) : Loss
{
    /// <summary>δ as the kernels use it.</summary>
    public float Delta { get; } = delta;

    public override double Value(float prediction, float target)
    {
        double z = Math.Abs((double)prediction - target), delta = Delta;
        return z < delta ? 0.5 * z * z : delta * (z - (0.5 * delta));
    }

    public override double Derivative(float prediction, float target)
    {
        double d = (double)prediction - target;
        return d <= -Delta ? -Delta : d >= Delta ? Delta : d;
    }

    /// <summary><c>Σ ℓ</c>, each term and the sum in double, in the driver's fixed order (the same on every path).</summary>
    public override double Sum(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets) =>
        ElementwiseDriver.Sum(new Term(Delta), predictions, targets);

    /// <summary><c>scale · clamp(x̂ − x, −δ, δ)</c> per element; rounds exactly as <see cref="GradientReference"/>.</summary>
    public override void Gradient(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, float scale, Span<float> dPredictions) =>
        ElementwiseDriver.Apply(new ScaledClamp(scale, Delta), predictions, targets, dPredictions);

    /// <summary>Scalar reference for <see cref="Sum"/>.</summary>
    public double SumReference(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets)
    {
        double sum = 0;
        for (int i = 0; i < predictions.Length; i++)
        {
            sum += Value(predictions[i], targets[i]);
        }

        return sum;
    }

    /// <summary>Scalar reference for <see cref="Gradient"/>.</summary>
    public void GradientReference(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, float scale, Span<float> dPredictions)
    {
        for (int i = 0; i < predictions.Length; i++)
        {
            float d = predictions[i] - targets[i];
            dPredictions[i] = (d <= -Delta ? -Delta : d >= Delta ? Delta : d) * scale;
        }
    }

    internal override bool SumsFeatureMajor => true;

    internal override bool TryRowSumsFeatureMajor(ReadOnlySpan<float> predictions, int predictionStride, ReadOnlySpan<float> targets, int targetStride, int rows, int width, Span<double> sums)
    {
        ElementwiseDriver.RowSumsFeatureMajor(new Term(Delta), predictions, predictionStride, targets, targetStride, rows, width, sums);
        return true;
    }

    internal override string FileName => Invariant($"huber:{Delta:R}");

    public override string ToString() => Invariant($"Huber({Delta:R})");

    public override bool Equals(object? obj) => obj is HuberLoss other && other.Delta.Equals(Delta);

    public override int GetHashCode() => Delta.GetHashCode();

    /// <summary><c>(y, x) → ℓ</c> in double: <c>z = |y − x|</c>, <c>z &lt; δ ? ½z² : δ(z − ½δ)</c>.</summary>
    private readonly struct Term(double delta) : ISumOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Invoke(double y, double x)
        {
            double z = Math.Abs(y - x);
            return z < delta ? 0.5 * z * z : delta * (z - (0.5 * delta));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<double> Invoke(Vector128<double> y, Vector128<double> x)
        {
            Vector128<double> z = Vector128.Abs(y - x), d = Vector128.Create(delta);
            return Vector128.ConditionalSelect(Vector128.LessThan(z, d), Vector128.Create(0.5) * z * z, d * (z - (Vector128.Create(0.5) * d)));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> Invoke(Vector256<double> y, Vector256<double> x)
        {
            Vector256<double> z = Vector256.Abs(y - x), d = Vector256.Create(delta);
            return Vector256.ConditionalSelect(Vector256.LessThan(z, d), Vector256.Create(0.5) * z * z, d * (z - (Vector256.Create(0.5) * d)));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<double> Invoke(Vector512<double> y, Vector512<double> x)
        {
            Vector512<double> z = Vector512.Abs(y - x), d = Vector512.Create(delta);
            return Vector512.ConditionalSelect(Vector512.LessThan(z, d), Vector512.Create(0.5) * z * z, d * (z - (Vector512.Create(0.5) * d)));
        }
    }

    /// <summary><c>(y, x) → scale · clamp(y − x, −δ, δ)</c>.</summary>
    private readonly struct ScaledClamp(float scale, float delta) : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float y, float x)
        {
            float d = y - x;
            return (d <= -delta ? -delta : d >= delta ? delta : d) * scale;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> y, Vector128<float> x)
        {
            Vector128<float> d = y - x, hi = Vector128.Create(delta);
            Vector128<float> clamped = Vector128.ConditionalSelect(Vector128.LessThanOrEqual(d, -hi), -hi, Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(d, hi), hi, d));
            return clamped * scale;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> y, Vector256<float> x)
        {
            Vector256<float> d = y - x, hi = Vector256.Create(delta);
            Vector256<float> clamped = Vector256.ConditionalSelect(Vector256.LessThanOrEqual(d, -hi), -hi, Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(d, hi), hi, d));
            return clamped * scale;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> y, Vector512<float> x)
        {
            Vector512<float> d = y - x, hi = Vector512.Create(delta);
            Vector512<float> clamped = Vector512.ConditionalSelect(Vector512.LessThanOrEqual(d, -hi), -hi, Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(d, hi), hi, d));
            return clamped * scale;
        }
    }
}

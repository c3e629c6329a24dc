using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Autoencoder.Kernels;

namespace Autoencoder.Losses;

/// <summary>
/// <see cref="Loss.MeanAbsoluteError"/>, PyTorch's <c>L1Loss</c>: <c>ℓ = |x̂ − x|</c>,
/// <c>∂ℓ/∂x̂ = sign(x̂ − x)</c> (0 where they are equal). The kernels are hand-written: TensorPrimitives
/// has no fused absolute difference summed in double, nor a sign of a difference.
/// </summary>
internal sealed class MeanAbsoluteErrorLoss : Loss
{
    public override double Value(float prediction, float target) => Math.Abs((double)prediction - target);

    public override double Derivative(float prediction, float target) =>
        prediction > target ? 1.0 : prediction < target ? -1.0 : 0.0;

    /// <summary><c>Σ |x̂ − x|</c>, each term and the sum in double, in the driver's fixed order (the same on every path).</summary>
    public override double Sum(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets) =>
        ElementwiseDriver.Sum(default(AbsoluteDifference), predictions, targets);

    /// <summary><c>scale · sign(x̂ − x)</c> per element; rounds exactly as <see cref="GradientReference"/>.</summary>
    public override void Gradient(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, float scale, Span<float> dPredictions) =>
        ElementwiseDriver.Apply(new ScaledSign(scale), predictions, targets, dPredictions);

    /// <summary>Scalar reference for <see cref="Sum"/>.</summary>
    public static double SumReference(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets)
    {
        double sum = 0;
        for (int i = 0; i < predictions.Length; i++)
        {
            sum += Math.Abs((double)predictions[i] - targets[i]);
        }

        return sum;
    }

    /// <summary>Scalar reference for <see cref="Gradient"/>.</summary>
    public static void GradientReference(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, float scale, Span<float> dPredictions)
    {
        for (int i = 0; i < predictions.Length; i++)
        {
            float d = predictions[i] - targets[i];
            dPredictions[i] = d > 0f ? scale : d < 0f ? -scale : 0f;
        }
    }

    internal override bool SumsFeatureMajor => true;

    internal override bool TryRowSumsFeatureMajor(ReadOnlySpan<float> predictions, int predictionStride, ReadOnlySpan<float> targets, int targetStride, int rows, int width, Span<double> sums)
    {
        ElementwiseDriver.RowSumsFeatureMajor(default(AbsoluteDifference), predictions, predictionStride, targets, targetStride, rows, width, sums);
        return true;
    }

    internal override string FileName => "mean_absolute_error";

    public override string ToString() => "MeanAbsoluteError";

    /// <summary><c>(y, x) → |y − x|</c> in double.</summary>
    private readonly struct AbsoluteDifference : ISumOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Invoke(double y, double x) => Math.Abs(y - x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<double> Invoke(Vector128<double> y, Vector128<double> x) => Vector128.Abs(y - x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> Invoke(Vector256<double> y, Vector256<double> x) => Vector256.Abs(y - x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<double> Invoke(Vector512<double> y, Vector512<double> x) => Vector512.Abs(y - x);
    }

    /// <summary><c>(y, x) → scale · sign(y − x)</c>, by compare and select (NaN gives 0 on every path).</summary>
    private readonly struct ScaledSign(float scale) : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float y, float x)
        {
            float d = y - x;
            return d > 0f ? scale : d < 0f ? -scale : 0f;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> y, Vector128<float> x)
        {
            Vector128<float> d = y - x, s = Vector128.Create(scale);
            return Vector128.ConditionalSelect(Vector128.GreaterThan(d, Vector128<float>.Zero), s, Vector128.ConditionalSelect(Vector128.LessThan(d, Vector128<float>.Zero), -s, Vector128<float>.Zero));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> y, Vector256<float> x)
        {
            Vector256<float> d = y - x, s = Vector256.Create(scale);
            return Vector256.ConditionalSelect(Vector256.GreaterThan(d, Vector256<float>.Zero), s, Vector256.ConditionalSelect(Vector256.LessThan(d, Vector256<float>.Zero), -s, Vector256<float>.Zero));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> y, Vector512<float> x)
        {
            Vector512<float> d = y - x, s = Vector512.Create(scale);
            return Vector512.ConditionalSelect(Vector512.GreaterThan(d, Vector512<float>.Zero), s, Vector512.ConditionalSelect(Vector512.LessThan(d, Vector512<float>.Zero), -s, Vector512<float>.Zero));
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Autoencoder.Kernels;

namespace Autoencoder.Losses;

/// <summary>
/// Mean squared error. <see cref="Sum"/> gives <c>Σ (y − x)²</c> (the caller divides by the
/// element count it averages over); <see cref="Gradient"/> gives <c>∂/∂y = scale · 2(y − x)</c>.
/// </summary>
/// <remarks>
/// Hand-written kernels: TensorPrimitives' <c>Distance</c> returns the float square root of the
/// sum, and its float sums would lose the double accumulation; its <c>Subtract</c> then
/// <c>Multiply</c> would make two passes for the gradient.
/// </remarks>
internal static class MeanSquaredError
{
    /// <summary>
    /// <c>Σ (output − target)²</c>, each term and the sum in double, as <see cref="SumReference"/>;
    /// only the order of the additions differs (the driver's sixteen partial sums, the same on every path).
    /// </summary>
    public static double Sum(ReadOnlySpan<float> output, ReadOnlySpan<float> target) =>
        ElementwiseDriver.Sum(default(SquaredDifference), output, target);

    /// <summary>Per-row <see cref="Sum"/> over feature-major blocks (<see cref="ElementwiseDriver.RowSumsFeatureMajor{TOp}"/>).</summary>
    public static void RowSumsFeatureMajor(ReadOnlySpan<float> output, int outputStride, ReadOnlySpan<float> target, int targetStride, int rows, int width, Span<double> sums) =>
        ElementwiseDriver.RowSumsFeatureMajor(default(SquaredDifference), output, outputStride, target, targetStride, rows, width, sums);

    /// <summary>
    /// Overwrites <paramref name="dOutput"/> with <c>scale · 2(output − target)</c>; it may be the
    /// same memory as either input. Rounds exactly as <see cref="GradientReference"/>.
    /// </summary>
    public static void Gradient(ReadOnlySpan<float> output, ReadOnlySpan<float> target, float scale, Span<float> dOutput) =>
        ElementwiseDriver.Apply(new ScaledDifference(2f * scale), output, target, dOutput);

    /// <summary>Scalar reference for <see cref="Sum"/>.</summary>
    public static double SumReference(ReadOnlySpan<float> output, ReadOnlySpan<float> target)
    {
        double sum = 0;
        for (int i = 0; i < output.Length; i++)
        {
            double d = (double)output[i] - target[i];
            sum += d * d;
        }

        return sum;
    }

    /// <summary>Scalar reference for <see cref="Gradient"/>.</summary>
    public static void GradientReference(ReadOnlySpan<float> output, ReadOnlySpan<float> target, float scale, Span<float> dOutput)
    {
        float twoScale = 2f * scale;
        for (int i = 0; i < output.Length; i++)
        {
            dOutput[i] = twoScale * (output[i] - target[i]);
        }
    }

    /// <summary><c>(y, x) → (y − x)²</c> in double.</summary>
    private readonly struct SquaredDifference : ISumOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Invoke(double y, double x)
        {
            double d = y - x;
            return d * d;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<double> Invoke(Vector128<double> y, Vector128<double> x)
        {
            Vector128<double> d = y - x;
            return d * d;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> Invoke(Vector256<double> y, Vector256<double> x)
        {
            Vector256<double> d = y - x;
            return d * d;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<double> Invoke(Vector512<double> y, Vector512<double> x)
        {
            Vector512<double> d = y - x;
            return d * d;
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Autoencoder.Kernels;

namespace Autoencoder.Activations;

/// <summary>
/// Softplus: <c>f(z) = ln(1 + e^z) = max(z, 0) + ln(1 + e^(−|z|))</c> (the second form never
/// overflows); <c>f′(z) = σ(z)</c>.
/// </summary>
/// <remarks>
/// Both kernels are hand-written. TensorPrimitives has no softplus, and its <c>LogP1</c> evaluates
/// <c>ln(1 + x)</c> directly, which loses the relative precision of tiny <c>x = e^(−|z|)</c> (the
/// whole value for very negative z). The backward pass needs σ(z) times <c>dA</c>; TensorPrimitives'
/// Sigmoid followed by Multiply would overwrite <c>dA</c> when the kernel runs in place.
/// </remarks>
internal static class Softplus
{
    public static void Forward(ReadOnlySpan<float> z, Span<float> a) => ElementwiseDriver.Apply(default(ForwardOperator), z, a);

    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> dA, Span<float> dZ) =>
        ElementwiseDriver.Apply(default(BackwardOperator), z, dA, dZ);

    /// <summary>Scalar reference for <see cref="Forward"/>.</summary>
    public static void ForwardReference(ReadOnlySpan<float> z, Span<float> a)
    {
        for (int i = 0; i < z.Length; i++)
        {
            a[i] = Value(z[i]);
        }
    }

    /// <summary>Scalar reference for <see cref="Backward"/>.</summary>
    public static void BackwardReference(ReadOnlySpan<float> z, ReadOnlySpan<float> dA, Span<float> dZ)
    {
        for (int i = 0; i < z.Length; i++)
        {
            dZ[i] = dA[i] * Sigmoid.Value(z[i]);
        }
    }

    private static float Value(float z)
    {
        double v = z;
        return (float)(Math.Max(v, 0.0) + Log1p(Math.Exp(-Math.Abs(v))));
    }

    /// <summary>ln(1 + x) for x ≥ 0, accurate for tiny x where 1 + x rounds to 1.</summary>
    private static double Log1p(double x) => x < 1e-4 ? x * (1.0 - x * (0.5 - x / 3.0)) : Math.Log(1.0 + x);

    /// <summary>
    /// <c>z → max(z, 0) + ln(1 + e)</c> with <c>e = e^(−|z|)</c> ∈ [0, 1], in double and rounded once to
    /// float: the exponential from <see cref="Exponential"/>, the logarithm from
    /// <see cref="Logarithm.OnePlus(double)"/>, which works from e itself, so tiny e (very negative z,
    /// where the whole value is e) keep their relative precision. The maximum is a compare-and-select
    /// (a NaN passes through the logarithm). The same operations in every form, so every width and
    /// the scalar form give the same bits.
    /// </summary>
    private readonly struct ForwardOperator : IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float z)
        {
            double v = z;
            return (float)((v > 0 ? v : 0.0) + Logarithm.OnePlus(Exponential.Compute(-Math.Abs(v))));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> z)
        {
            (Vector128<double> low, Vector128<double> high) = Vector128.Widen(z);
            return Vector128.Narrow(Value(low), Value(high));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> z)
        {
            (Vector256<double> low, Vector256<double> high) = Vector256.Widen(z);
            return Vector256.Narrow(Value(low), Value(high));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> z)
        {
            (Vector512<double> low, Vector512<double> high) = Vector512.Widen(z);
            return Vector512.Narrow(Value(low), Value(high));
        }

        private static Vector128<double> Value(Vector128<double> v) =>
            (Vector128.GreaterThan(v, Vector128<double>.Zero) & v) + Logarithm.OnePlus(Exponential.Compute(-Vector128.Abs(v)));

        private static Vector256<double> Value(Vector256<double> v) =>
            (Vector256.GreaterThan(v, Vector256<double>.Zero) & v) + Logarithm.OnePlus(Exponential.Compute(-Vector256.Abs(v)));

        private static Vector512<double> Value(Vector512<double> v) =>
            (Vector512.GreaterThan(v, Vector512<double>.Zero) & v) + Logarithm.OnePlus(Exponential.Compute(-Vector512.Abs(v)));
    }

    /// <summary><c>(z, dA) → dA·σ(z)</c>, with σ from <see cref="Sigmoid.Compute(float)"/> (the same bits in every form).</summary>
    private readonly struct BackwardOperator : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float z, float dA) => dA * Sigmoid.Compute(z);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> z, Vector128<float> dA) => dA * Sigmoid.Compute(z);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> dA) => dA * Sigmoid.Compute(z);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> dA) => dA * Sigmoid.Compute(z);
    }
}

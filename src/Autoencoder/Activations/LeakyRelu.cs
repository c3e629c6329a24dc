using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Autoencoder.Kernels;

namespace Autoencoder.Activations;

/// <summary>Leaky ReLU: <c>f(z) = z</c> for <c>z &gt; 0</c>, else <c>α·z</c>; <c>f′ = 1</c> or <c>α</c>.</summary>
/// <remarks>
/// Both kernels are hand-written: TensorPrimitives has no leaky ReLU and no masked select, and
/// <c>Max(z, α·z)</c> through it would take two passes that break in-place use (the product
/// would overwrite <c>z</c> before the maximum reads it).
/// </remarks>
internal static class LeakyRelu
{
    /// <summary>The negative slope, PyTorch's default.</summary>
    public const float Slope = 0.01f;

    public static void Forward(ReadOnlySpan<float> z, Span<float> a) => ElementwiseDriver.Apply(default(ForwardOperator), z, a);

    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> dA, Span<float> dZ) =>
        ElementwiseDriver.Apply(default(BackwardOperator), z, dA, dZ);

    /// <summary>Scalar reference for <see cref="Forward"/>.</summary>
    public static void ForwardReference(ReadOnlySpan<float> z, Span<float> a)
    {
        for (int i = 0; i < z.Length; i++)
        {
            float v = z[i];
            a[i] = v > 0f ? v : Slope * v;
        }
    }

    /// <summary>Scalar reference for <see cref="Backward"/>.</summary>
    public static void BackwardReference(ReadOnlySpan<float> z, ReadOnlySpan<float> dA, Span<float> dZ)
    {
        for (int i = 0; i < z.Length; i++)
        {
            dZ[i] = z[i] > 0f ? dA[i] : Slope * dA[i];
        }
    }

    /// <summary><c>z → z &gt; 0 ? z : α·z</c>.</summary>
    private readonly struct ForwardOperator : IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float z) => z > 0f ? z : Slope * z;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> z) => Vector128.ConditionalSelect(Vector128.GreaterThan(z, Vector128<float>.Zero), z, z * Slope);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> z) => Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<float>.Zero), z, z * Slope);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> z) => Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<float>.Zero), z, z * Slope);
    }

    /// <summary><c>(z, dA) → z &gt; 0 ? dA : α·dA</c>.</summary>
    private readonly struct BackwardOperator : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float z, float dA) => z > 0f ? dA : Slope * dA;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> z, Vector128<float> dA) => Vector128.ConditionalSelect(Vector128.GreaterThan(z, Vector128<float>.Zero), dA, dA * Slope);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> dA) => Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<float>.Zero), dA, dA * Slope);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> dA) => Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<float>.Zero), dA, dA * Slope);
    }
}

using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Autoencoder.Kernels;

namespace Autoencoder.Activations;

/// <summary>ReLU: <c>f(z) = max(z, 0)</c>, <c>f′(z) = 1</c> for <c>z &gt; 0</c>, else 0 (PyTorch's choice at 0).</summary>
internal static class Relu
{
    public static void Forward(ReadOnlySpan<float> z, Span<float> a) => TensorPrimitives.Max(z, 0f, a);

    // Hand-written: TensorPrimitives has no masked select, and building the mask with its
    // element-wise ops would take a temporary buffer and extra passes. The mask compare is false
    // for NaN, so a NaN input passes no gradient, as in the scalar form.
    public static void Backward(ReadOnlySpan<float> z, ReadOnlySpan<float> dA, Span<float> dZ) =>
        ElementwiseDriver.Apply(default(BackwardOperator), z, dA, dZ);

    /// <summary>Scalar reference for <see cref="Forward"/>.</summary>
    public static void ForwardReference(ReadOnlySpan<float> z, Span<float> a)
    {
        for (int i = 0; i < z.Length; i++)
        {
            a[i] = MathF.Max(z[i], 0f);
        }
    }

    /// <summary>Scalar reference for <see cref="Backward"/>.</summary>
    public static void BackwardReference(ReadOnlySpan<float> z, ReadOnlySpan<float> dA, Span<float> dZ)
    {
        for (int i = 0; i < z.Length; i++)
        {
            dZ[i] = z[i] > 0f ? dA[i] : 0f;
        }
    }

    /// <summary><c>(z, dA) → z &gt; 0 ? dA : 0</c> as a bit mask.</summary>
    private readonly struct BackwardOperator : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float z, float dA) => z > 0f ? dA : 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> z, Vector128<float> dA) => Vector128.GreaterThan(z, Vector128<float>.Zero) & dA;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> dA) => Vector256.GreaterThan(z, Vector256<float>.Zero) & dA;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> dA) => Vector512.GreaterThan(z, Vector512<float>.Zero) & dA;
    }
}

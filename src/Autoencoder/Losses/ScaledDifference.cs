using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Autoencoder.Kernels;

namespace Autoencoder.Losses;

/// <summary>
/// <c>(y, x) → scale·(y − x)</c>: the gradient of MSE (with scale doubled) and of cross-entropy on
/// logits. Hand-written because TensorPrimitives has no fused subtract-then-scale; its
/// <c>Subtract</c> then <c>Multiply</c> would make two passes.
/// </summary>
internal readonly struct ScaledDifference(float scale) : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float y, float x) => scale * (y - x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> y, Vector128<float> x) => scale * (y - x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> x) => scale * (y - x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> x) => scale * (y - x);
}

using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Autoencoder.Training;

/// <summary>Global-norm gradient clipping, PyTorch's <c>clip_grad_norm_</c>.</summary>
internal static class GradientClipping
{
    /// <summary>Scales <paramref name="gradients"/> so their L2 norm is at most <paramref name="maxNorm"/>: by <c>maxNorm / (‖g‖ + 1e-6)</c> when the norm is larger.</summary>
    public static void ClipByGlobalNorm(Span<float> gradients, double maxNorm)
    {
        double norm = Math.Sqrt(SumOfSquares(gradients));
        if (norm > maxNorm)
        {
            TensorPrimitives.Multiply(gradients, (float)(maxNorm / (norm + 1e-6)), gradients);
        }
    }

    /// <summary>
    /// <c>Σ g²</c> in double, in one fixed order on every machine (always 128-bit vectors, which
    /// the runtime emulates lane by lane where they are not accelerated), so the clip factor, and
    /// with it the weights, do not depend on the instruction set.
    /// </summary>
    public static double SumOfSquares(ReadOnlySpan<float> values)
    {
        Vector128<double> low = Vector128<double>.Zero, high = Vector128<double>.Zero;
        int i = 0;
        for (; i + 4 <= values.Length; i += 4)
        {
            Vector128<float> v = Vector128.Create(values.Slice(i, 4));
            (Vector128<double> a, Vector128<double> b) = Vector128.Widen(v);
            low = Vector128.FusedMultiplyAdd(a, a, low);
            high = Vector128.FusedMultiplyAdd(b, b, high);
        }

        double sum = (low[0] + low[1]) + (high[0] + high[1]);
        for (; i < values.Length; i++)
        {
            sum = Math.FusedMultiplyAdd(values[i], values[i], sum);
        }

        return sum;
    }
}

using System.Runtime.Intrinsics;

namespace Autoencoder.Kernels;

/// <summary>
/// <c>e^x − 1</c> to a few float ulps relative, also for tiny |x| where <c>e^x</c> rounds to 1.
/// TensorPrimitives' <c>ExpM1</c> subtracts 1 from <c>e^x</c>, which for |x| below 2⁻²⁴ returns 0 and
/// for |x| ≈ 1e-3 keeps only four correct digits, so ELU and tanh use this instead.
/// </summary>
/// <remarks>
/// For |x| &lt; ½ the Taylor series to degree 8 (the next term is below 1.4e-8 of the result);
/// beyond it <c>e^x − 1</c> with <see cref="Exponential"/>, where the subtraction loses at most a
/// factor 1/(1 − e^(−½)) ≈ 2.5 of relative precision, about 2 ulps. Infinities give +∞ and −1; NaN
/// gives NaN. The scalar form takes the branch the vector forms select, with the same operations
/// (the series' multiply-adds are fused in every form), so all give the same bits.
/// </remarks>
internal static class ExpM1
{
    private const float SeriesLimit = 0.5f;
    private const float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040, C8 = 1f / 40320;

    public static float Compute(float x)
    {
        if (!(MathF.Abs(x) < SeriesLimit))
        {
            return Exponential.Compute(x) - 1f;
        }

        float s = MathF.FusedMultiplyAdd(x, C8, C7);
        s = MathF.FusedMultiplyAdd(s, x, C6);
        s = MathF.FusedMultiplyAdd(s, x, C5);
        s = MathF.FusedMultiplyAdd(s, x, C4);
        s = MathF.FusedMultiplyAdd(s, x, C3);
        s = MathF.FusedMultiplyAdd(s, x, C2);
        return MathF.FusedMultiplyAdd(s * x, x, x);
    }

    public static Vector128<float> Compute(Vector128<float> x)
    {
        Vector128<float> s = Vector128.FusedMultiplyAdd(x, Vector128.Create(C8), Vector128.Create(C7));
        s = Vector128.FusedMultiplyAdd(s, x, Vector128.Create(C6));
        s = Vector128.FusedMultiplyAdd(s, x, Vector128.Create(C5));
        s = Vector128.FusedMultiplyAdd(s, x, Vector128.Create(C4));
        s = Vector128.FusedMultiplyAdd(s, x, Vector128.Create(C3));
        s = Vector128.FusedMultiplyAdd(s, x, Vector128.Create(C2));
        s = Vector128.FusedMultiplyAdd(s * x, x, x);
        return Vector128.ConditionalSelect(
            Vector128.LessThan(Vector128.Abs(x), Vector128.Create(SeriesLimit)), s, Exponential.Compute(x) - Vector128<float>.One);
    }

    public static Vector256<float> Compute(Vector256<float> x)
    {
        Vector256<float> s = Vector256.FusedMultiplyAdd(x, Vector256.Create(C8), Vector256.Create(C7));
        s = Vector256.FusedMultiplyAdd(s, x, Vector256.Create(C6));
        s = Vector256.FusedMultiplyAdd(s, x, Vector256.Create(C5));
        s = Vector256.FusedMultiplyAdd(s, x, Vector256.Create(C4));
        s = Vector256.FusedMultiplyAdd(s, x, Vector256.Create(C3));
        s = Vector256.FusedMultiplyAdd(s, x, Vector256.Create(C2));
        s = Vector256.FusedMultiplyAdd(s * x, x, x);
        return Vector256.ConditionalSelect(
            Vector256.LessThan(Vector256.Abs(x), Vector256.Create(SeriesLimit)), s, Exponential.Compute(x) - Vector256<float>.One);
    }

    public static Vector512<float> Compute(Vector512<float> x)
    {
        Vector512<float> s = Vector512.FusedMultiplyAdd(x, Vector512.Create(C8), Vector512.Create(C7));
        s = Vector512.FusedMultiplyAdd(s, x, Vector512.Create(C6));
        s = Vector512.FusedMultiplyAdd(s, x, Vector512.Create(C5));
        s = Vector512.FusedMultiplyAdd(s, x, Vector512.Create(C4));
        s = Vector512.FusedMultiplyAdd(s, x, Vector512.Create(C3));
        s = Vector512.FusedMultiplyAdd(s, x, Vector512.Create(C2));
        s = Vector512.FusedMultiplyAdd(s * x, x, x);
        return Vector512.ConditionalSelect(
            Vector512.LessThan(Vector512.Abs(x), Vector512.Create(SeriesLimit)), s, Exponential.Compute(x) - Vector512<float>.One);
    }
}

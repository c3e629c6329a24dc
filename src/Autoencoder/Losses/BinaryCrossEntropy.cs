using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Autoencoder.Kernels;

namespace Autoencoder.Losses;

/// <summary>
/// Binary cross-entropy <c>−x·ln p − (1 − x)·ln(1 − p)</c> for targets <c>x ∈ [0, 1]</c>, in two
/// forms: from logits (fused with a sigmoid output, exact for any logit) and from probabilities
/// (clamped to <see cref="Epsilon"/>, as Keras does). Sums are returned; the caller averages.
/// </summary>
/// <remarks>
/// The kernels are hand-written: TensorPrimitives has no cross-entropy, its float sums would
/// lose the double accumulation, and its <c>LogP1</c> loses the relative precision of tiny
/// arguments. Every form of a term (each vector width and the scalar one) performs the same
/// operations, so the sums, added in the driver's fixed order, have the same bits on every path;
/// they differ from the references by the order of the additions and the kernels' own logarithm.
/// </remarks>
internal static class BinaryCrossEntropy
{
    /// <summary>Clamp for probabilities, Keras' <c>epsilon()</c>.</summary>
    public const float Epsilon = 1e-7f;

    /// <summary>Below this <c>e^(−|z|)</c> the sums use the series of <c>ln(1 + e)</c>.</summary>
    private const double SeriesLimit = 1e-4;

    /// <summary>
    /// <c>Σ max(z, 0) − z·x + ln(1 + e^(−|z|))</c>: the loss of <c>p = σ(z)</c> written so that no
    /// term overflows and no logarithm sees 0. The last term is <c>−ln σ(|z|)</c>, read from the
    /// sigmoid output the forward pass already computed (<c>σ(|z|)</c> is <c>p</c> or <c>1 − p</c>),
    /// so a term costs one logarithm on [½, 1] and no exponential; its error is at most a few float
    /// ulps of <c>|z| + 1</c>. Terms are computed in float and summed in double.
    /// </summary>
    public static double SumFromLogits(ReadOnlySpan<float> logits, ReadOnlySpan<float> probabilities, ReadOnlySpan<float> target) =>
        ElementwiseDriver.SumOfFloatTerms(default(LogitTerm), logits, probabilities, target);

    /// <summary>Per-row <see cref="SumFromLogits"/> over feature-major blocks (<see cref="ElementwiseDriver.RowSumsOfFloatTermsFeatureMajor{TOp}"/>).</summary>
    public static void RowSumsFromLogitsFeatureMajor(
        ReadOnlySpan<float> logits, ReadOnlySpan<float> probabilities, int stride, ReadOnlySpan<float> target, int targetStride, int rows, int width, Span<double> sums) =>
        ElementwiseDriver.RowSumsOfFloatTermsFeatureMajor(default(LogitTerm), logits, stride, probabilities, stride, target, targetStride, rows, width, sums);

    /// <summary>Per-row <see cref="SumFromProbabilities"/> over feature-major blocks (<see cref="ElementwiseDriver.RowSumsFeatureMajor{TOp}"/>).</summary>
    public static void RowSumsFromProbabilitiesFeatureMajor(ReadOnlySpan<float> probabilities, int stride, ReadOnlySpan<float> target, int targetStride, int rows, int width, Span<double> sums) =>
        ElementwiseDriver.RowSumsFeatureMajor(default(ProbabilityTerm), probabilities, stride, target, targetStride, rows, width, sums);

    /// <summary>
    /// Gradient with respect to the logits, <c>scale · (σ(z) − x)</c>, from the sigmoid output
    /// <paramref name="probabilities"/> already computed in the forward pass. Overwrites <paramref name="dLogits"/>,
    /// which may be the same memory as either input.
    /// </summary>
    public static void GradientFromLogits(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> target, float scale, Span<float> dLogits) =>
        ElementwiseDriver.Apply(new ScaledDifference(scale), probabilities, target, dLogits);

    /// <summary><c>Σ −x·ln p − (1 − x)·ln(1 − p)</c> with <c>p</c> clamped to [ε, 1 − ε].</summary>
    public static double SumFromProbabilities(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> target) =>
        ElementwiseDriver.Sum(default(ProbabilityTerm), probabilities, target);

    /// <summary>
    /// Gradient with respect to the probabilities, <c>scale · (p − x) / (p(1 − p))</c>, and 0 where
    /// the clamp is active (the clamp's own derivative). Overwrites <paramref name="dProbabilities"/>,
    /// which may be the same memory as either input.
    /// </summary>
    public static void GradientFromProbabilities(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> target, float scale, Span<float> dProbabilities) =>
        ElementwiseDriver.Apply(new ProbabilityGradient(scale), probabilities, target, dProbabilities);

    /// <summary>Double-precision reference for <see cref="SumFromLogits"/>, from the logits alone.</summary>
    public static double SumFromLogitsReference(ReadOnlySpan<float> logits, ReadOnlySpan<float> target)
    {
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            sum += TermFromLogit(logits[i], target[i]);
        }

        return sum;
    }

    /// <summary>One element's loss from its logit, in double: <c>max(z, 0) − z·x + ln(1 + e^(−|z|))</c>.</summary>
    public static double TermFromLogit(double z, float target) => Math.Max(z, 0.0) - z * target + Log1pExp(-Math.Abs(z));

    /// <summary>Scalar reference for <see cref="GradientFromLogits"/>.</summary>
    public static void GradientFromLogitsReference(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> target, float scale, Span<float> dLogits)
    {
        for (int i = 0; i < probabilities.Length; i++)
        {
            dLogits[i] = scale * (probabilities[i] - target[i]);
        }
    }

    /// <summary>Scalar reference for <see cref="SumFromProbabilities"/>.</summary>
    public static double SumFromProbabilitiesReference(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> target)
    {
        double sum = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            double p = Math.Clamp(probabilities[i], Epsilon, 1f - Epsilon);
            double x = target[i];
            sum -= x * Math.Log(p) + (1 - x) * Math.Log(1 - p);
        }

        return sum;
    }

    /// <summary>Scalar reference for <see cref="GradientFromProbabilities"/>.</summary>
    public static void GradientFromProbabilitiesReference(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> target, float scale, Span<float> dProbabilities)
    {
        for (int i = 0; i < probabilities.Length; i++)
        {
            float p = probabilities[i];
            dProbabilities[i] = p > Epsilon && p < 1f - Epsilon
                ? (float)(scale * ((double)p - target[i]) / ((double)p * (1.0 - p)))
                : 0f;
        }
    }

    /// <summary>ln(1 + e^t) for t ≤ 0.</summary>
    private static double Log1pExp(double t)
    {
        double e = Math.Exp(t);
        return e < SeriesLimit ? e * (1.0 - e * (0.5 - e / 3.0)) : Math.Log(1.0 + e);
    }

    /// <summary>Whether the fused logit form applies to this output activation.</summary>
    public static bool UsesLogits(Activation outputActivation) => outputActivation == Activation.Sigmoid;

    /// <summary>
    /// <c>(z, p, x) → max(z, 0) − z·x − ln σ(|z|)</c> in float lanes, with <c>p = σ(z)</c>; the maximum
    /// is a compare-and-select, and every form performs the same operations (the same bits on every path).
    /// </summary>
    private readonly struct LogitTerm : IFloatSumOperator
    {
        private const float Ln2 = 0.6931472f;
        private const float Sqrt1Over2 = 0.70710677f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float z, float p, float x)
        {
            float s = z >= 0f ? p : 1f - p;
            return (z > 0f ? z : 0f) - z * x - LogHalfToOne(s);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> z, Vector128<float> p, Vector128<float> x)
        {
            Vector128<float> s = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(z, Vector128<float>.Zero), p, Vector128<float>.One - p);
            Vector128<float> y = s + s;
            Vector128<float> small = Vector128.LessThan(s, Vector128.Create(Sqrt1Over2));
            y = Vector128.ConditionalSelect(small, y, s);
            Vector128<float> t = (y - Vector128<float>.One) / (y + Vector128<float>.One);
            Vector128<float> log = (t + t) * Series(t * t) - (Vector128.Create(Ln2) & small);
            return (Vector128.GreaterThan(z, Vector128<float>.Zero) & z) - z * x - log;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> p, Vector256<float> x)
        {
            Vector256<float> s = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(z, Vector256<float>.Zero), p, Vector256<float>.One - p);
            Vector256<float> y = s + s;
            Vector256<float> small = Vector256.LessThan(s, Vector256.Create(Sqrt1Over2));
            y = Vector256.ConditionalSelect(small, y, s);
            Vector256<float> t = (y - Vector256<float>.One) / (y + Vector256<float>.One);
            Vector256<float> log = (t + t) * Series(t * t) - (Vector256.Create(Ln2) & small);
            return (Vector256.GreaterThan(z, Vector256<float>.Zero) & z) - z * x - log;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> z, Vector512<float> p, Vector512<float> x)
        {
            Vector512<float> s = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(z, Vector512<float>.Zero), p, Vector512<float>.One - p);
            Vector512<float> y = s + s;
            Vector512<float> small = Vector512.LessThan(s, Vector512.Create(Sqrt1Over2));
            y = Vector512.ConditionalSelect(small, y, s);
            Vector512<float> t = (y - Vector512<float>.One) / (y + Vector512<float>.One);
            Vector512<float> log = (t + t) * Series(t * t) - (Vector512.Create(Ln2) & small);
            return (Vector512.GreaterThan(z, Vector512<float>.Zero) & z) - z * x - log;
        }

        /// <summary>
        /// ln s for s in [½, 1] (a NaN stays NaN): with s scaled into [√½, √2) as y (times 2 below
        /// √½, which subtracts ln 2), ln y = 2·atanh(t), t = (y − 1)/(y + 1), |t| ≤ 0.1716, and
        /// the atanh series to t¹¹ leaves a truncation error below 2e-11. y − 1 is exact
        /// (Sterbenz), so the result keeps its relative precision near s = 1.
        /// </summary>
        private static float LogHalfToOne(float s)
        {
            bool small = s < Sqrt1Over2;
            float y = small ? s + s : s;
            float t = (y - 1f) / (y + 1f);
            float t2 = t * t;
            float series = 1f + t2 * (1f / 3 + t2 * (1f / 5 + t2 * (1f / 7 + t2 * (1f / 9 + t2 * (1f / 11)))));
            return (t + t) * series - (small ? Ln2 : 0f);
        }

        private static Vector128<float> Series(Vector128<float> t2) =>
            Vector128<float>.One + t2 * (Vector128.Create(1f / 3) + t2 * (Vector128.Create(1f / 5) + t2 * (Vector128.Create(1f / 7) + t2 * (Vector128.Create(1f / 9) + t2 * (1f / 11)))));

        private static Vector256<float> Series(Vector256<float> t2) =>
            Vector256<float>.One + t2 * (Vector256.Create(1f / 3) + t2 * (Vector256.Create(1f / 5) + t2 * (Vector256.Create(1f / 7) + t2 * (Vector256.Create(1f / 9) + t2 * (1f / 11)))));

        private static Vector512<float> Series(Vector512<float> t2) =>
            Vector512<float>.One + t2 * (Vector512.Create(1f / 3) + t2 * (Vector512.Create(1f / 5) + t2 * (Vector512.Create(1f / 7) + t2 * (Vector512.Create(1f / 9) + t2 * (1f / 11)))));
    }

    /// <summary>
    /// <c>(p, x) → −(x·ln p + (1 − x)·ln(1 − p))</c> with p clamped to [ε, 1 − ε], in double as the
    /// reference (the bounds are the float ones, widened exactly, so the clamp agrees too). The clamp
    /// is two compare-and-selects (a NaN passes through) and the logarithm is <see cref="Logarithm"/>,
    /// so every width and the scalar form give the same bits.
    /// </summary>
    private readonly struct ProbabilityTerm : ISumOperator
    {
        private const double Low = Epsilon, High = 1f - Epsilon;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Invoke(double p, double x)
        {
            p = p < Low ? Low : p;
            p = p > High ? High : p;
            return -((x * Logarithm.Compute(p)) + ((1 - x) * Logarithm.Compute(1 - p)));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<double> Invoke(Vector128<double> p, Vector128<double> x)
        {
            p = Vector128.ConditionalSelect(Vector128.LessThan(p, Vector128.Create(Low)), Vector128.Create(Low), p);
            p = Vector128.ConditionalSelect(Vector128.GreaterThan(p, Vector128.Create(High)), Vector128.Create(High), p);
            return -((x * Logarithm.Compute(p)) + ((Vector128<double>.One - x) * Logarithm.Compute(Vector128<double>.One - p)));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> Invoke(Vector256<double> p, Vector256<double> x)
        {
            p = Vector256.ConditionalSelect(Vector256.LessThan(p, Vector256.Create(Low)), Vector256.Create(Low), p);
            p = Vector256.ConditionalSelect(Vector256.GreaterThan(p, Vector256.Create(High)), Vector256.Create(High), p);
            return -((x * Logarithm.Compute(p)) + ((Vector256<double>.One - x) * Logarithm.Compute(Vector256<double>.One - p)));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<double> Invoke(Vector512<double> p, Vector512<double> x)
        {
            p = Vector512.ConditionalSelect(Vector512.LessThan(p, Vector512.Create(Low)), Vector512.Create(Low), p);
            p = Vector512.ConditionalSelect(Vector512.GreaterThan(p, Vector512.Create(High)), Vector512.Create(High), p);
            return -((x * Logarithm.Compute(p)) + ((Vector512<double>.One - x) * Logarithm.Compute(Vector512<double>.One - p)));
        }
    }

    /// <summary>
    /// <c>(p, x) → ε &lt; p &lt; 1 − ε ? scale·(p − x)/(p(1 − p)) : 0</c>, the arithmetic in double lanes
    /// and rounded once to float, exactly as the reference.
    /// </summary>
    private readonly struct ProbabilityGradient(float scale) : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Invoke(float p, float x) =>
            p > Epsilon && p < 1f - Epsilon ? (float)(scale * ((double)p - x) / ((double)p * (1.0 - p))) : 0f;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector128<float> Invoke(Vector128<float> p, Vector128<float> x)
        {
            Vector128<float> inside = Vector128.GreaterThan(p, Vector128.Create(Epsilon)) & Vector128.LessThan(p, Vector128.Create(1f - Epsilon));
            (Vector128<double> pLow, Vector128<double> pHigh) = Vector128.Widen(p);
            (Vector128<double> xLow, Vector128<double> xHigh) = Vector128.Widen(x);
            return inside & Vector128.Narrow(Quotient(pLow, xLow), Quotient(pHigh, xHigh));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Invoke(Vector256<float> p, Vector256<float> x)
        {
            Vector256<float> inside = Vector256.GreaterThan(p, Vector256.Create(Epsilon)) & Vector256.LessThan(p, Vector256.Create(1f - Epsilon));
            (Vector256<double> pLow, Vector256<double> pHigh) = Vector256.Widen(p);
            (Vector256<double> xLow, Vector256<double> xHigh) = Vector256.Widen(x);
            return inside & Vector256.Narrow(Quotient(pLow, xLow), Quotient(pHigh, xHigh));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Invoke(Vector512<float> p, Vector512<float> x)
        {
            Vector512<float> inside = Vector512.GreaterThan(p, Vector512.Create(Epsilon)) & Vector512.LessThan(p, Vector512.Create(1f - Epsilon));
            (Vector512<double> pLow, Vector512<double> pHigh) = Vector512.Widen(p);
            (Vector512<double> xLow, Vector512<double> xHigh) = Vector512.Widen(x);
            return inside & Vector512.Narrow(Quotient(pLow, xLow), Quotient(pHigh, xHigh));
        }

        private Vector128<double> Quotient(Vector128<double> p, Vector128<double> x) => scale * (p - x) / (p * (Vector128<double>.One - p));

        private Vector256<double> Quotient(Vector256<double> p, Vector256<double> x) => scale * (p - x) / (p * (Vector256<double>.One - p));

        private Vector512<double> Quotient(Vector512<double> p, Vector512<double> x) => scale * (p - x) / (p * (Vector512<double>.One - p));
    }
}

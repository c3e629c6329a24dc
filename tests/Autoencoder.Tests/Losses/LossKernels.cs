using Autoencoder.Losses;
using Autoencoder.Tests.Kernels;

namespace Autoencoder.Tests.Losses;

/// <summary>The kernel-versus-reference checks of the loss sums and gradients, shared by the xunit tests and the child-process runs.</summary>
internal static class LossKernels
{
    /// <summary>
    /// Double sums in another order: each of at most 1000 terms rounds at 2⁻⁵³, so the two orders
    /// differ by at most n·2⁻⁵³ ≈ 1.1e-13 of the sum of magnitudes, which is the sum itself because
    /// every term is ≥ 0 (targets lie in [0, 1]); the kernels' double logarithm is within a few ulps
    /// of Math's. 1e-12 leaves a margin and is still a million times finer than float.
    /// </summary>
    private static readonly Tolerance SumTolerance = new(1e-12, 0);

    /// <summary>Sizes and paths of <see cref="KernelCheck"/>; inputs seeded by the length.</summary>
    public static void Check(int count, List<string> failures)
    {
        // Outputs and logits span [−8, 8] with extremes planted; targets are probabilities.
        float[] output = KernelCheck.Inputs(count, seed: count, low: -8f, high: 8f, extremes: true);
        float[] finiteOutput = KernelCheck.Inputs(count, seed: count, low: -8f, high: 8f, extremes: false);
        float[] probabilities = KernelCheck.Inputs(count, seed: count + 2, low: 0f, high: 1f, extremes: true);
        float[] finiteProbabilities = KernelCheck.Inputs(count, seed: count + 2, low: 0f, high: 1f, extremes: false);
        float[] target = KernelCheck.Inputs(count, seed: count + 1, low: 0f, high: 1f, extremes: false);
        const float scale = 1f / 3;

        CheckSum("MSE sum", MeanSquaredError.Sum, MeanSquaredError.SumReference, output, target, failures);
        CheckSum("MSE sum (finite)", MeanSquaredError.Sum, MeanSquaredError.SumReference, finiteOutput, target, failures);
        CheckLogitSum("BCE sum from logits", output, target, failures);
        CheckLogitSum("BCE sum from logits (finite)", finiteOutput, target, failures);
        CheckSum("BCE sum from probabilities", BinaryCrossEntropy.SumFromProbabilities, BinaryCrossEntropy.SumFromProbabilitiesReference, probabilities, target, failures);
        CheckSum("BCE sum from probabilities (finite)", BinaryCrossEntropy.SumFromProbabilities, BinaryCrossEntropy.SumFromProbabilitiesReference, finiteProbabilities, target, failures);

        var mae = (MeanAbsoluteErrorLoss)Loss.MeanAbsoluteError;
        CheckSum("MAE sum", mae.Sum, MeanAbsoluteErrorLoss.SumReference, output, target, failures);
        CheckSum("MAE sum (finite)", mae.Sum, MeanAbsoluteErrorLoss.SumReference, finiteOutput, target, failures);
        foreach (double delta in new[] { 1.0, 0.25 })
        {
            var huber = (HuberLoss)Loss.Huber(delta);
            CheckSum($"Huber({delta}) sum", huber.Sum, huber.SumReference, output, target, failures);
            CheckSum($"Huber({delta}) sum (finite)", huber.Sum, huber.SumReference, finiteOutput, target, failures);
            CheckGradient($"Huber({delta}) gradient", huber.Gradient, huber.GradientReference, output, target, scale, failures);
        }

        // The gradients do the reference's arithmetic in the same order and precision: bit for bit.
        CheckGradient("MAE gradient", mae.Gradient, MeanAbsoluteErrorLoss.GradientReference, output, target, scale, failures);
        CheckGradient("MSE gradient", MeanSquaredError.Gradient, MeanSquaredError.GradientReference, output, target, scale, failures);
        CheckGradient("BCE gradient from logits", BinaryCrossEntropy.GradientFromLogits, BinaryCrossEntropy.GradientFromLogitsReference, probabilities, target, scale, failures);
        CheckGradient(
            "BCE gradient from probabilities", BinaryCrossEntropy.GradientFromProbabilities, BinaryCrossEntropy.GradientFromProbabilitiesReference,
            probabilities, target, scale, failures);
    }

    /// <summary>Every size and path.</summary>
    public static void CheckAll(List<string> failures)
    {
        foreach (int width in KernelCheck.Widths)
        {
            KernelCheck.OnPath(width, () =>
            {
                foreach (int count in KernelCheck.Sizes)
                {
                    Check(count, failures);
                }
            });
        }
    }

    /// <summary>
    /// The logit form computes each term in float and sums in double. A term
    /// <c>max(z, 0) − z·x + ln(1 + e^(−|z|))</c> rounds a few times at float precision relative to
    /// its largest intermediate (|z| or ln 2), so its error is at most about 4 ulps of
    /// <c>|z| + 1</c>, however much <c>max(z, 0)</c> and <c>z·x</c> cancel; the bound is the sum of
    /// those, plus the double tolerance relative to the result.
    /// </summary>
    private static void CheckLogitSum(string what, float[] z, float[] target, List<string> failures)
    {
        double bound = 0;
        for (int i = 0; i < z.Length; i++)
        {
            bound += 4 * Tolerance.Ulp * (Math.Abs((double)z[i]) + 1);
        }

        KernelCheck.Compare(
            $"{what}, length {z.Length}",
            BinaryCrossEntropy.SumFromLogitsReference(z, target),
            BinaryCrossEntropy.SumFromLogits(z, Probabilities(z), target),
            new Tolerance(SumTolerance.Relative, bound),
            failures);
    }

    private static float[] Probabilities(float[] z)
    {
        var p = new float[z.Length];
        Autoencoder.Activations.Sigmoid.Forward(z, p);
        return p;
    }

    private delegate double SumKernel(ReadOnlySpan<float> x, ReadOnlySpan<float> target);

    private delegate void GradientKernel(ReadOnlySpan<float> x, ReadOnlySpan<float> target, float scale, Span<float> gradient);

    private static void CheckSum(string what, SumKernel kernel, SumKernel reference, float[] x, float[] target, List<string> failures) =>
        KernelCheck.Compare($"{what}, length {x.Length}", reference(x, target), kernel(x, target), SumTolerance, failures);

    private static void CheckGradient(
        string what, GradientKernel kernel, GradientKernel reference, float[] x, float[] target, float scale, List<string> failures)
    {
        var expected = new float[x.Length];
        reference(x, target, scale, expected);
        var actual = new float[x.Length];
        kernel(x, target, scale, actual);
        KernelCheck.Compare(what, x, expected, actual, Tolerance.Exact, failures);
        float[] inPlace = (float[])x.Clone();
        kernel(inPlace, target, scale, inPlace);
        KernelCheck.Compare($"{what} in place", x, expected, inPlace, Tolerance.Exact, failures);
    }
}

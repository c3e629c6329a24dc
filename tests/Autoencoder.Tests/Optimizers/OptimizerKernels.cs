using Autoencoder.Optimizers;
using Autoencoder.Tests.Kernels;

namespace Autoencoder.Tests.Optimizers;

/// <summary>The vectorised optimizer steps against their scalar references, shared by the xunit tests and the child-process runs.</summary>
internal static class OptimizerKernels
{
    /// <summary>Steps per check: enough for the momentum terms to matter.</summary>
    private const int Steps = 3;

    /// <summary>
    /// Fused multiply-adds round once where the reference rounds twice, so each step may differ by
    /// about an ulp of the largest magnitude involved per operation (parameters in [−1, 1], gradients
    /// in [−2, 2], so absolute terms of up to 2); over three steps 8 ulps relative plus 16 ulps
    /// absolute covers that, while a wrong formula errs by a whole update (≈ lr = 1e-2).
    /// </summary>
    private static readonly Tolerance StepTolerance = new(8 * Tolerance.Ulp, 16 * Tolerance.Ulp);

    /// <summary>Adam configurations: plain, L2 weight decay, decoupled (AdamW).</summary>
    public static readonly (double WeightDecay, bool Decoupled)[] AdamVariants = [(0.0, false), (0.1, false), (0.1, true)];

    /// <summary>SGD configurations: plain, momentum, Nesterov, momentum with weight decay.</summary>
    public static readonly (double Momentum, bool Nesterov, double WeightDecay)[] SgdVariants =
        [(0.0, false, 0.0), (0.9, false, 0.0), (0.9, true, 0.0), (0.9, false, 0.1)];

    /// <summary>
    /// <see cref="Adam.Step(Span{float}, ReadOnlySpan{float})"/> against <see cref="Adam.StepReference"/> on <paramref name="count"/>
    /// parameters for each variant, comparing parameters and both moments after every step.
    /// </summary>
    public static void CheckAdam(int count, List<string> failures)
    {
        foreach ((double weightDecay, bool decoupled) in AdamVariants)
        {
            var adam = new Adam(count, 0.01, 0.9, 0.999, 1e-8, weightDecay, decoupled);
            var reference = new Adam(count, 0.01, 0.9, 0.999, 1e-8, weightDecay, decoupled);
            float[] parameters = KernelCheck.Inputs(count, seed: count, low: -1f, high: 1f, extremes: false);
            float[] expected = (float[])parameters.Clone();
            for (int t = 1; t <= Steps; t++)
            {
                float[] gradients = KernelCheck.Inputs(count, seed: count + t, low: -2f, high: 2f, extremes: false);
                adam.Step(parameters, gradients);
                reference.StepReference(expected, gradients);
                string what = $"Adam(λ={weightDecay}, decoupled={decoupled}) step {t}";
                KernelCheck.Compare($"{what} parameters", gradients, expected, parameters, StepTolerance, failures);
                KernelCheck.Compare($"{what} first moment", gradients, reference.FirstMoment, adam.FirstMoment, StepTolerance, failures);
                KernelCheck.Compare($"{what} second moment", gradients, reference.SecondMoment, adam.SecondMoment, StepTolerance, failures);
            }
        }
    }

    /// <summary><see cref="Sgd.Step(Span{float}, ReadOnlySpan{float})"/> against <see cref="Sgd.StepReference"/>, as <see cref="CheckAdam"/>.</summary>
    public static void CheckSgd(int count, List<string> failures)
    {
        foreach ((double momentum, bool nesterov, double weightDecay) in SgdVariants)
        {
            var sgd = new Sgd(count, 0.01, momentum, nesterov, weightDecay);
            var reference = new Sgd(count, 0.01, momentum, nesterov, weightDecay);
            float[] parameters = KernelCheck.Inputs(count, seed: count, low: -1f, high: 1f, extremes: false);
            float[] expected = (float[])parameters.Clone();
            for (int t = 1; t <= Steps; t++)
            {
                float[] gradients = KernelCheck.Inputs(count, seed: count + t, low: -2f, high: 2f, extremes: false);
                sgd.Step(parameters, gradients);
                reference.StepReference(expected, gradients);
                KernelCheck.Compare(
                    $"SGD(μ={momentum}, nesterov={nesterov}, λ={weightDecay}) step {t} parameters", gradients, expected, parameters, StepTolerance, failures);
            }
        }
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
                    CheckAdam(count, failures);
                    CheckSgd(count, failures);
                }
            });
        }
    }
}

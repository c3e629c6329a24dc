using Autoencoder.Activations;
using Autoencoder.Tests.Kernels;

namespace Autoencoder.Tests.Activations;

/// <summary>A forward kernel <c>a = f(z)</c>.</summary>
internal delegate void ForwardKernel(ReadOnlySpan<float> z, Span<float> a);

/// <summary>A backward kernel <c>dZ = f′ ⊙ dA</c>, given the forward input and output.</summary>
internal delegate void BackwardKernel(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> dA, Span<float> dZ);

/// <summary>
/// One activation's vectorised kernels beside their scalar references, with the tolerance each
/// pair is held to.
/// </summary>
internal sealed record ActivationKernel(
    Activation Activation,
    ForwardKernel Forward,
    ForwardKernel ForwardReference,
    Tolerance ForwardTolerance,
    BackwardKernel Backward,
    BackwardKernel BackwardReference,
    Tolerance BackwardTolerance)
{
    public override string ToString() => Activation.ToString();
}

/// <summary>The kernel-versus-reference checks of every activation, shared by the xunit tests and the child-process runs.</summary>
internal static class ActivationKernels
{
    /// <summary>
    /// Transcendental kernels against the scalar references: their exponentials and logarithms
    /// (Exponential and Logarithm, evaluated in double) are accurate to about 1 ulp, and the few operations around them
    /// add about as much each; 4 ulps leaves room for that without hiding a wrong formula, which
    /// errs by far more.
    /// </summary>
    private static readonly Tolerance FewUlps = new(4 * Tolerance.Ulp, Tolerance.SubnormalFloor);

    /// <summary>
    /// ELU against its reference, which computes <c>e^z − 1</c> in double and so is itself off by up to
    /// 2⁻⁵³ ≈ 1.1e-16 absolute (for |z| &lt; 1e-16 it returns 0 where the kernel returns z); beyond
    /// that absolute slack, a few ulps as <see cref="FewUlps"/>.
    /// </summary>
    private static readonly Tolerance EluForward = new(4 * Tolerance.Ulp, 1.2e-16);

    /// <summary>
    /// GELU's float erfc against the double one: the exponent polynomial, evaluated in float, is off
    /// by up to ~2e-7 absolute, which the exponential turns into the same relative error. Measured on
    /// 400,001 points of [−16, 16]: at most 4.7e-7 (3.9 ulps) wherever Φ(z) is a normal float; below
    /// z ≈ −13 Φ is subnormal and the absolute floor applies.
    /// </summary>
    private static readonly Tolerance GeluForward = new(6 * Tolerance.Ulp, Tolerance.SubnormalFloor);

    /// <summary>
    /// GELU's derivative Φ + zφ cancels near its root (z ≈ −0.75), so the relative error of its
    /// terms appears as an absolute error of a few ulps of Φ (measured: at most 1.8e-7 for dA = 1),
    /// scaled by |dA| ≤ 2 here.
    /// </summary>
    private static readonly Tolerance GeluBackward = new(6 * Tolerance.Ulp, 2 * 4 * Tolerance.Ulp);

    public static readonly ActivationKernel[] All =
    [
        new(Activation.Relu, Relu.Forward, Relu.ForwardReference, Tolerance.Exact,
            (z, _, dA, dZ) => Relu.Backward(z, dA, dZ), (z, _, dA, dZ) => Relu.BackwardReference(z, dA, dZ), Tolerance.Exact),
        new(Activation.LeakyRelu, LeakyRelu.Forward, LeakyRelu.ForwardReference, Tolerance.Exact,
            (z, _, dA, dZ) => LeakyRelu.Backward(z, dA, dZ), (z, _, dA, dZ) => LeakyRelu.BackwardReference(z, dA, dZ), Tolerance.Exact),
        new(Activation.Sigmoid, Sigmoid.Forward, Sigmoid.ForwardReference, FewUlps,
            (_, a, dA, dZ) => Sigmoid.Backward(a, dA, dZ), (_, a, dA, dZ) => Sigmoid.BackwardReference(a, dA, dZ), Tolerance.Exact),
        new(Activation.Tanh, Tanh.Forward, Tanh.ForwardReference, FewUlps,
            (_, a, dA, dZ) => Tanh.Backward(a, dA, dZ), (_, a, dA, dZ) => Tanh.BackwardReference(a, dA, dZ), Tolerance.Exact),
        new(Activation.Elu, Elu.Forward, Elu.ForwardReference, EluForward,
            Elu.Backward, Elu.BackwardReference, Tolerance.Exact),
        new(Activation.Gelu, Gelu.Forward, Gelu.ForwardReference, GeluForward,
            (z, _, dA, dZ) => Gelu.Backward(z, dA, dZ), (z, _, dA, dZ) => Gelu.BackwardReference(z, dA, dZ), GeluBackward),
        new(Activation.Softplus, Softplus.Forward, Softplus.ForwardReference, FewUlps,
            (z, _, dA, dZ) => Softplus.Backward(z, dA, dZ), (z, _, dA, dZ) => Softplus.BackwardReference(z, dA, dZ), FewUlps),
    ];

    /// <summary>
    /// Forward and backward of <paramref name="kernel"/> on <paramref name="count"/> elements, out of
    /// place and in place, on the current path. Inputs are seeded by the length (reproducible, and
    /// different per size); <c>z</c> spans [−8, 8] with extremes planted, <c>dA</c> spans [−2, 2].
    /// </summary>
    public static void Check(ActivationKernel kernel, int count, List<string> failures)
    {
        float[] z = KernelCheck.Inputs(count, seed: count, low: -8f, high: 8f, extremes: true);
        var expectedA = new float[count];
        kernel.ForwardReference(z, expectedA);

        var a = new float[count];
        kernel.Forward(z, a);
        KernelCheck.Compare($"{kernel} forward", z, expectedA, a, kernel.ForwardTolerance, failures);
        float[] inPlace = (float[])z.Clone();
        kernel.Forward(inPlace, inPlace);
        KernelCheck.Compare($"{kernel} forward in place", z, expectedA, inPlace, kernel.ForwardTolerance, failures);

        float[] dA = KernelCheck.Inputs(count, seed: count + 1, low: -2f, high: 2f, extremes: false);
        var expectedDz = new float[count];
        kernel.BackwardReference(z, expectedA, dA, expectedDz);

        var dZ = new float[count];
        kernel.Backward(z, expectedA, dA, dZ);
        KernelCheck.Compare($"{kernel} backward", z, expectedDz, dZ, kernel.BackwardTolerance, failures);
        float[] dInPlace = (float[])dA.Clone();
        kernel.Backward(z, expectedA, dInPlace, dInPlace);
        KernelCheck.Compare($"{kernel} backward in place", z, expectedDz, dInPlace, kernel.BackwardTolerance, failures);
    }

    /// <summary>Every activation, size and path.</summary>
    public static void CheckAll(List<string> failures)
    {
        foreach (int width in KernelCheck.Widths)
        {
            KernelCheck.OnPath(width, () =>
            {
                foreach (ActivationKernel kernel in All)
                {
                    foreach (int count in KernelCheck.Sizes)
                    {
                        Check(kernel, count, failures);
                    }
                }
            });
        }
    }
}

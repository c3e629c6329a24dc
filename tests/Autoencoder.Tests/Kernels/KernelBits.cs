using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Autoencoder.Kernels;
using Autoencoder.Losses;
using Autoencoder.Optimizers;
using Autoencoder.Tests.Activations;
using Autoencoder.Tests.Optimizers;
using Autoencoder.Training;

namespace Autoencoder.Tests.Kernels;

/// <summary>
/// The outputs of every kernel training uses, on fixed inputs (ordinary values with the extremes
/// of <see cref="KernelCheck.Extremes"/> planted), computed on the current thread's path: activations
/// forward and backward, loss sums and gradients, optimizer steps, matrix products, the gradient
/// norm and the finite check. <see cref="KernelBitsTests"/> compares them bit for bit across vector
/// widths in process and, through their hashes, across processes with instruction sets switched off.
/// </summary>
internal static class KernelBits
{
    /// <summary>Argument of the child process that prints <see cref="HashLines"/>.</summary>
    public const string Command = "kernel-bits";

    /// <summary>A whole number of 512-bit blocks, then 8 + 4 + 3 more: every width's body, its narrower steps and the scalar tail.</summary>
    private static readonly int[] Counts = [1003, 37];

    /// <summary>One kernel output, widened to double (exactly) so float and double results compare alike.</summary>
    internal sealed record Output(string Name, double[] Values);

    /// <summary>Every output, on the current path.</summary>
    public static List<Output> Compute()
    {
        var outputs = new List<Output>();
        foreach (int count in Counts)
        {
            float[] z = KernelCheck.Inputs(count, seed: count, low: -8f, high: 8f, extremes: true);
            float[] ordinary = KernelCheck.Inputs(count, seed: count + 5, low: -8f, high: 8f, extremes: false);
            float[] dA = KernelCheck.Inputs(count, seed: count + 1, low: -2f, high: 2f, extremes: false);
            float[] target = KernelCheck.Inputs(count, seed: count + 2, low: 0f, high: 1f, extremes: false);
            float[] probabilities = KernelCheck.Inputs(count, seed: count + 3, low: 0f, high: 1f, extremes: true);
            foreach (ActivationKernel kernel in ActivationKernels.All)
            {
                foreach ((string what, float[] input) in (ReadOnlySpan<(string, float[])>)[("extremes", z), ("ordinary", ordinary)])
                {
                    var a = new float[count];
                    kernel.Forward(input, a);
                    outputs.Add(new($"{kernel} forward, {what}, {count}", Widen(a)));
                    var dZ = new float[count];
                    kernel.Backward(input, a, dA, dZ);
                    outputs.Add(new($"{kernel} backward, {what}, {count}", Widen(dZ)));
                }
            }

            var sigmoid = new float[count];
            Autoencoder.Activations.Sigmoid.Forward(ordinary, sigmoid);
            var gradient = new float[count];
            outputs.Add(new($"MSE sum, {count}", [MeanSquaredError.Sum(ordinary, target)]));
            outputs.Add(new($"MSE sum with extremes, {count}", [MeanSquaredError.Sum(z, target)]));
            MeanSquaredError.Gradient(z, target, 1f / 3, gradient);
            outputs.Add(new($"MSE gradient, {count}", Widen(gradient)));
            outputs.Add(new($"BCE sum from logits, {count}", [BinaryCrossEntropy.SumFromLogits(ordinary, sigmoid, target)]));
            outputs.Add(new($"BCE sum from probabilities, {count}", [BinaryCrossEntropy.SumFromProbabilities(probabilities, target)]));
            BinaryCrossEntropy.GradientFromProbabilities(probabilities, target, 1f / 3, gradient);
            outputs.Add(new($"BCE gradient from probabilities, {count}", Widen(gradient)));
            foreach (Loss loss in new[] { Loss.MeanAbsoluteError, Loss.Huber(0.5) })
            {
                outputs.Add(new($"{loss} sum, {count}", [loss.Sum(ordinary, target)]));
                outputs.Add(new($"{loss} sum with extremes, {count}", [loss.Sum(z, target)]));
                loss.Gradient(z, target, 1f / 3, gradient);
                outputs.Add(new($"{loss} gradient, {count}", Widen(gradient)));
            }

            outputs.Add(new($"sum of squares, {count}", [GradientClipping.SumOfSquares(ordinary)]));
            outputs.Add(new($"all finite, {count}", [Finite.All(z) ? 1 : 0, Finite.All(ordinary) ? 1 : 0]));
            AddOptimizerSteps(outputs, count);
        }

        AddProducts(outputs);
        return outputs;
    }

    /// <summary>One line per output: its name and the SHA-256 of its values (every NaN counted as one value).</summary>
    public static List<string> HashLines() =>
        [.. Compute().Select(output => string.Create(CultureInfo.InvariantCulture, $"{output.Name}: {Hash(output.Values)}"))];

    /// <summary>Child-process side: prints <see cref="HashLines"/>.</summary>
    public static int Run()
    {
        foreach (string line in HashLines())
        {
            Console.WriteLine(line);
        }

        return 0;
    }

    /// <summary>The bits of a value, with every NaN mapped to one pattern (payloads are not part of the contract).</summary>
    public static long Bits(double value) => double.IsNaN(value) ? BitConverter.DoubleToInt64Bits(double.NaN) : BitConverter.DoubleToInt64Bits(value);

    private static string Hash(double[] values)
    {
        long[] bits = Array.ConvertAll(values, Bits);
        return Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(bits.AsSpan())));
    }

    private static double[] Widen(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }

    private static void AddOptimizerSteps(List<Output> outputs, int count)
    {
        foreach ((double weightDecay, bool decoupled) in OptimizerKernels.AdamVariants)
        {
            var adam = new Adam(count, 0.01, 0.9, 0.999, 1e-8, weightDecay, decoupled);
            float[] parameters = KernelCheck.Inputs(count, seed: count, low: -1f, high: 1f, extremes: false);
            for (int t = 1; t <= 3; t++)
            {
                adam.Step(parameters, KernelCheck.Inputs(count, seed: count + t, low: -2f, high: 2f, extremes: false));
            }

            outputs.Add(new($"Adam(λ={weightDecay}, decoupled={decoupled}), {count}", [.. Widen(parameters), .. Widen(adam.FirstMoment), .. Widen(adam.SecondMoment)]));
        }

        foreach ((double momentum, bool nesterov, double weightDecay) in OptimizerKernels.SgdVariants)
        {
            var sgd = new Sgd(count, 0.01, momentum, nesterov, weightDecay);
            float[] parameters = KernelCheck.Inputs(count, seed: count, low: -1f, high: 1f, extremes: false);
            for (int t = 1; t <= 3; t++)
            {
                sgd.Step(parameters, KernelCheck.Inputs(count, seed: count + t, low: -2f, high: 2f, extremes: false));
            }

            outputs.Add(new($"SGD(μ={momentum}, nesterov={nesterov}, λ={weightDecay}), {count}", Widen(parameters)));
        }
    }

    /// <summary>
    /// Products through <see cref="Gemm.Multiply"/> (the process's own path; the in-process width
    /// override does not reach it): one and two depth blocks, one-row products, every transpose,
    /// accumulation and a bias.
    /// </summary>
    private static void AddProducts(List<Output> outputs)
    {
        foreach ((int m, int n, int k) in (ReadOnlySpan<(int, int, int)>)[(1, 37, 301), (25, 37, 301), (33, 19, 7), (70, 65, 513)])
        {
            foreach (bool transA in (bool[])[false, true])
            {
                foreach (bool transB in (bool[])[false, true])
                {
                    float[] a = TestData.Uniform(m * k, seed: m + k);
                    float[] b = TestData.Uniform(k * n, seed: n + k);
                    float[] bias = TestData.Uniform(n, seed: n);
                    float[] c = TestData.Uniform(m * n, seed: m + n);
                    int lda = transA ? m : k, ldb = transB ? k : n;
                    Gemm.Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, n, accumulate: true);
                    float[] withBias = new float[m * n];
                    Gemm.Multiply(transA, transB, m, n, k, a, lda, b, ldb, withBias, n, accumulate: false, bias);
                    outputs.Add(new($"product {m}x{n}x{k} transA={transA} transB={transB}", [.. Widen(c), .. Widen(withBias)]));
                }
            }
        }
    }
}

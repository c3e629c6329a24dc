using Autoencoder.Optimizers;
using Autoencoder.Tests.Kernels;

namespace Autoencoder.Tests.Optimizers;

public class OptimizerKernelTests
{
    public static TheoryData<int> Paths() => new(KernelCheck.Widths);

    [Theory]
    [MemberData(nameof(Paths))]
    public void AdamAndSgdStep_EverySize_MatchStepReference(int width)
    {
        var failures = new List<string>();
        KernelCheck.OnPath(width, () =>
        {
            foreach (int count in KernelCheck.Sizes)
            {
                OptimizerKernels.CheckAdam(count, failures);
                OptimizerKernels.CheckSgd(count, failures);
            }
        });

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void AdamStep_EveryPath_IsBitIdenticalToWidestPath(int width)
    {
        // Fused multiply-adds have one exact result, so the path must not change a single bit.
        const int count = 257;
        float[] Run(int w)
        {
            var adam = new Adam(count, 0.01, 0.9, 0.999, 1e-8, weightDecay: 0.1, decoupledWeightDecay: true);
            float[] parameters = TestData.Uniform(count, seed: 1);
            KernelCheck.OnPath(w, () =>
            {
                for (int t = 1; t <= 3; t++)
                {
                    adam.Step(parameters, TestData.Uniform(count, seed: 10 + t, low: -2f, high: 2f));
                }
            });
            return parameters;
        }

        Assert.Equal(Run(512), Run(width));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void SgdStep_EveryPath_IsBitIdenticalToWidestPath(int width)
    {
        const int count = 257;
        float[] Run(int w)
        {
            var sgd = new Sgd(count, 0.01, momentum: 0.9, nesterov: true, weightDecay: 0.1);
            float[] parameters = TestData.Uniform(count, seed: 1);
            KernelCheck.OnPath(w, () =>
            {
                for (int t = 1; t <= 3; t++)
                {
                    sgd.Step(parameters, TestData.Uniform(count, seed: 10 + t, low: -2f, high: 2f));
                }
            });
            return parameters;
        }

        Assert.Equal(Run(512), Run(width));
    }

    /// <summary>The optimizers as the trainer creates them, each with a step that is finite for ordinary inputs.</summary>
    private static IEnumerable<(string Name, Func<int, IOptimizer> Create)> Optimizers()
    {
        yield return ("Adam", n => new Adam(n, 0.01, 0.9, 0.999, 1e-8, weightDecay: 0.1, decoupledWeightDecay: false));
        yield return ("AdamW", n => new Adam(n, 0.01, 0.9, 0.999, 1e-8, weightDecay: 0.1, decoupledWeightDecay: true));
        yield return ("SGD", n => new Sgd(n, 0.01, momentum: 0, nesterov: false, weightDecay: 0.1));
        yield return ("SGD momentum", n => new Sgd(n, 0.01, momentum: 0.9, nesterov: true, weightDecay: 0));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Step_IntoSecondBuffer_WritesTheInPlaceBitsAndLeavesTheSource(int width) => CheckSecondBuffer(width, KernelCheck.Sizes);

    /// <summary>
    /// A buffer large enough to be updated in two halves, on the widest path: the width limit is the
    /// calling thread's, so a half run by a pool thread would not keep a narrower one.
    /// </summary>
    [Fact]
    public void Step_IntoSecondBufferInHalves_WritesTheInPlaceBitsAndLeavesTheSource() => CheckSecondBuffer(512, [Adam.ParallelMinimum + 33]);

    private static void CheckSecondBuffer(int width, int[] sizes)
    {
        var failures = new List<string>();
        KernelCheck.OnPath(width, () =>
        {
            foreach (var (name, create) in Optimizers())
            {
                foreach (int count in sizes)
                {
                    IOptimizer inPlace = create(count), outOfPlace = create(count);
                    float[] parameters = TestData.Uniform(count, seed: 1);
                    float[] source = (float[])parameters.Clone(), updated = new float[count];
                    for (int t = 1; t <= 2; t++)
                    {
                        float[] gradients = TestData.Uniform(count, seed: 10 + t, low: -2f, high: 2f);
                        float[] before = (float[])source.Clone();
                        bool finiteInPlace = inPlace.Step(parameters, gradients);
                        bool finite = outOfPlace.Step(source, updated, gradients);
                        if (!finiteInPlace || !finite)
                        {
                            failures.Add($"{name}, {count} parameters, step {t}: reported a non-finite result for finite inputs");
                        }

                        if (!source.AsSpan().SequenceEqual(before))
                        {
                            failures.Add($"{name}, {count} parameters, step {t}: the source buffer changed");
                        }

                        if (!updated.AsSpan().SequenceEqual(parameters))
                        {
                            failures.Add($"{name}, {count} parameters, step {t}: the second buffer differs from the in-place step");
                        }

                        updated.CopyTo(source, 0);
                    }
                }
            }
        });

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Step_OneValueLeavesFloatRange_ReportsItWhereverItSits(int width) => CheckNonFiniteReported(width, [1, 3, 7, 17, 33, 257]);

    /// <summary>As above for a buffer updated in two halves, on the widest path (see <see cref="Step_IntoSecondBufferInHalves_WritesTheInPlaceBitsAndLeavesTheSource"/>).</summary>
    [Fact]
    public void Step_OneValueLeavesFloatRangeInHalves_ReportsItWhereverItSits() => CheckNonFiniteReported(512, [Adam.ParallelMinimum + 33]);

    private static void CheckNonFiniteReported(int width, int[] sizes)
    {
        // One bad element at every position of the vector bodies and the scalar tail: a NaN or an
        // infinite gradient, a gradient whose square overflows Adam's second moment, a step that
        // overflows the weight itself (SGD: 0.01 · 1e38 · 1e3).
        (string What, float Gradient)[] cases = [("NaN gradient", float.NaN), ("infinite gradient", float.NegativeInfinity), ("huge gradient", 1e38f)];
        var failures = new List<string>();
        KernelCheck.OnPath(width, () =>
        {
            foreach (var (name, create) in Optimizers())
            {
                foreach (int count in sizes)
                {
                    foreach (int index in new[] { 0, count / 2, count - 1 }.Distinct())
                    {
                        foreach (var (what, bad) in cases)
                        {
                            float[] parameters = TestData.Uniform(count, seed: 2);
                            float[] gradients = TestData.Uniform(count, seed: 3, low: -2f, high: 2f);
                            gradients[index] = bad;
                            if (name.StartsWith("SGD", StringComparison.Ordinal) && what == "huge gradient")
                            {
                                parameters[index] = float.MaxValue; // the step then leaves float range
                                gradients[index] = -1e38f;
                            }

                            float[] updated = new float[count];
                            if (create(count).Step(parameters, updated, gradients))
                            {
                                failures.Add($"{name}, {count} parameters, {what} at index {index}: reported finite, wrote {updated[index]}");
                            }
                        }
                    }
                }
            }
        });

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}

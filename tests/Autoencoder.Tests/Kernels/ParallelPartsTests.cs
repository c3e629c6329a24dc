using Autoencoder.Activations;
using Autoencoder.Kernels;
using Autoencoder.Losses;

namespace Autoencoder.Tests.Kernels;

/// <summary>
/// Element-wise work split into halves on the worker pool gives the bits of one undivided
/// pass, and a reduction split into fixed halves gives the same sum whatever the thread count and
/// whether or not the helpers were free.
/// </summary>
[Collection(nameof(Training.GlobalSettingsCollection))]
public unsafe class ParallelPartsTests
{
    private const int Length = (1 << 16) + 12_345; // above the split threshold, with a tail

    public static TheoryData<Activation> Activations() => new(Enum.GetValues<Activation>());

    [Theory]
    [MemberData(nameof(Activations))]
    public void ActivationForwardAndBackward_InHalves_EqualOnePassBitForBit(Activation activation)
    {
        float[] z = TestData.Uniform(Length, seed: 1, -6, 6);
        float[] dA = TestData.Uniform(Length, seed: 2);
        float[] a = new float[Length], expectedA = new float[Length];
        ActivationFunctions.Forward(activation, z, a);
        for (int start = 0; start < Length; start += 1000)
        {
            int count = Math.Min(1000, Length - start); // below the threshold: one pass each
            ActivationFunctions.Forward(activation, z.AsSpan(start, count), expectedA.AsSpan(start, count));
        }

        Assert.Equal(expectedA, a);

        float[] dZ = new float[Length], expectedDZ = new float[Length];
        ActivationFunctions.Backward(activation, z, a, dA, dZ);
        for (int start = 0; start < Length; start += 1000)
        {
            int count = Math.Min(1000, Length - start);
            ActivationFunctions.Backward(activation, z.AsSpan(start, count), a.AsSpan(start, count), dA.AsSpan(start, count), expectedDZ.AsSpan(start, count));
        }

        Assert.Equal(expectedDZ, dZ);
    }

    [Theory]
    [InlineData("MeanSquaredError", Activation.Identity)]
    [InlineData("BinaryCrossEntropy", Activation.Sigmoid)]
    [InlineData("BinaryCrossEntropy", Activation.Softplus)]
    [InlineData("MeanAbsoluteError", Activation.Identity)]
    [InlineData("Huber(0.5)", Activation.Tanh)]
    public void LossSum_IsTheSameForOneOrTwoThreads_AndWhenHelpersAreBusy(string lossName, Activation output)
    {
        Loss kind = Autoencoder.Tests.Losses.LossNames.Get(lossName);
        var loss = new LossFunction(kind, output);
        float[] logits = TestData.Uniform(Length, seed: 3, -4, 4);
        float[] outputs = new float[Length];
        ActivationFunctions.Forward(output, logits, outputs);
        if (output == Activation.Softplus)
        {
            // Probabilities for BCE on a non-sigmoid output: keep them inside (0, 1).
            for (int i = 0; i < Length; i++)
            {
                outputs[i] = Math.Clamp(outputs[i] / 5f, 0.01f, 0.99f);
            }
        }

        float[] targets = TestData.Uniform(Length, seed: 4, 0, 1);
        double two = WithThreads(2, () => loss.Sum(logits, outputs, targets));
        double one = WithThreads(1, () => loss.Sum(logits, outputs, targets));
        double nested = WithThreads(2, () => NestedSum(() => loss.Sum(logits, outputs, targets)));
        Assert.Equal(two, one);
        Assert.Equal(two, nested);
        double reference = 0;
        for (int i = 0; i < Length; i++)
        {
            double o = outputs[i], t = targets[i], z = logits[i];
            double d = o - t;
            reference += kind == Loss.MeanSquaredError ? d * d
                : kind == Loss.MeanAbsoluteError ? Math.Abs(d)
                : kind != Loss.BinaryCrossEntropy ? (Math.Abs(d) < 0.5 ? 0.5 * d * d : 0.5 * (Math.Abs(d) - 0.25)) // Huber(0.5)
                : output == Activation.Sigmoid ? Math.Max(z, 0) - (z * t) + Math.Log(1 + Math.Exp(-Math.Abs(z)))
                : -((t * Math.Log(o)) + ((1 - t) * Math.Log(1 - o)));
        }

        Assert.Equal(reference, two, reference * 1e-6);
    }

    [Theory]
    [InlineData("MeanSquaredError", Activation.Tanh)]
    [InlineData("BinaryCrossEntropy", Activation.Sigmoid)]
    [InlineData("MeanAbsoluteError", Activation.Identity)]
    [InlineData("Huber(0.5)", Activation.Identity)]
    public void LossGradient_InHalves_EqualsOnePassBitForBit(string lossName, Activation output)
    {
        Loss kind = Autoencoder.Tests.Losses.LossNames.Get(lossName);
        var loss = new LossFunction(kind, output);
        float[] logits = TestData.Uniform(Length, seed: 5, -3, 3);
        float[] outputs = new float[Length];
        ActivationFunctions.Forward(output, logits, outputs);
        float[] targets = TestData.Uniform(Length, seed: 6, 0, 1);
        float[] gradient = new float[Length], expected = new float[Length];
        loss.Gradient(logits, outputs, targets, 1f / Length, gradient);
        for (int start = 0; start < Length; start += 1000)
        {
            int count = Math.Min(1000, Length - start);
            loss.Gradient(logits.AsSpan(start, count), outputs.AsSpan(start, count), targets.AsSpan(start, count), 1f / Length, expected.AsSpan(start, count));
        }

        Assert.Equal(expected, gradient);
    }

    [Fact]
    public void PartRange_CoversEveryElementOnce_AtAlignedCuts()
    {
        foreach (int length in new[] { 0, 1, 63, 64, 65, 1000, Length })
        {
            foreach (int parts in new[] { 1, 2, 3, 7 })
            {
                int next = 0;
                for (int part = 0; part < parts; part++)
                {
                    var (start, count) = WorkerPool.PartRange(length, part, parts);
                    Assert.Equal(next, start);
                    Assert.True(start % 64 == 0 || count == 0 || start == length);
                    next = start + count;
                }

                Assert.Equal(length, next);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void InHalves_CutsByLengthAlone_WhateverTheThreadCount(int threads)
    {
        foreach (var (length, minimum) in new[] { (100, 1000), (999, 1000), (1000, 1000), (70_001, 1000) })
        {
            var work = new RecordingWork();
            WithThreads(threads, () =>
            {
                WorkerPool.InHalves(ref work, length, minimum);
                return 0;
            });

            if (length < minimum)
            {
                Assert.Equal((1, 0, length, 0, 0), (work.Calls, work.Start0, work.Length0, work.Start1, work.Length1));
            }
            else
            {
                var (start1, length1) = WorkerPool.PartRange(length, 1, 2);
                Assert.Equal((2, 0, start1, start1, length1), (work.Calls, work.Start0, work.Length0, work.Start1, work.Length1));
                Assert.Equal(length, work.Length0 + work.Length1);
                Assert.Equal(0, start1 % 64);
            }
        }
    }

    /// <summary>Records where each part started and how long it was.</summary>
    private struct RecordingWork : IRangeWork
    {
        public int Calls, Start0, Length0, Start1, Length1;

        public void Run(int part, int start, int length)
        {
            Interlocked.Increment(ref Calls);
            if (part == 0)
            {
                (Start0, Length0) = (start, length);
            }
            else
            {
                (Start1, Length1) = (start, length);
            }
        }
    }

    /// <summary>Runs <paramref name="call"/> inside a part of another split, while the helpers are busy with it.</summary>
    private static double NestedSum(Func<double> call)
    {
        var handle = System.Runtime.InteropServices.GCHandle.Alloc(call);
        try
        {
            var box = new NestedState { Call = System.Runtime.InteropServices.GCHandle.ToIntPtr(handle) };
            WorkerPool.Run(Parallelism.MaxDegreeOfParallelism, 2, &RunNested, &box);
            return box.Result;
        }
        finally
        {
            handle.Free();
        }
    }

    private struct NestedState
    {
        public IntPtr Call;
        public double Result;
    }

    private static void RunNested(void* argument, int part, int parts)
    {
        if (part != 0)
        {
            return;
        }

        ref NestedState s = ref *(NestedState*)argument;
        var call = (Func<double>)System.Runtime.InteropServices.GCHandle.FromIntPtr(s.Call).Target!;
        s.Result = call();
    }

    private static double WithThreads(int threads, Func<double> body)
    {
        int saved = Parallelism.MaxDegreeOfParallelism;
        Parallelism.MaxDegreeOfParallelism = threads;
        try
        {
            return body();
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }
}

using Autoencoder.Activations;
using Autoencoder.Kernels;

namespace Autoencoder.Losses;

/// <summary>
/// A <see cref="Loss"/> bound to the network's output activation: chooses the fused
/// sigmoid/cross-entropy form when it applies, and otherwise pairs the loss gradient with the
/// activation's backward pass.
/// </summary>
internal readonly struct LossFunction
{
    public LossFunction(Loss loss, Activation outputActivation)
    {
        Kind = loss;
        OutputActivation = outputActivation;
        FromLogits = loss == Loss.BinaryCrossEntropy && BinaryCrossEntropy.UsesLogits(outputActivation);
    }

    public Loss Kind { get; }

    public Activation OutputActivation { get; }

    /// <summary>True when the loss reads the output layer's pre-activation (logits).</summary>
    public bool FromLogits { get; }

    /// <summary>
    /// Sum of element losses; <paramref name="logits"/> is read only when <see cref="FromLogits"/>,
    /// and then <paramref name="output"/> must be their sigmoid. A large batch is summed in two fixed
    /// halves on the product threads and the halves are added, so the result does not depend on the thread count.
    /// </summary>
    public unsafe double Sum(ReadOnlySpan<float> logits, ReadOnlySpan<float> output, ReadOnlySpan<float> target)
    {
        if (target.Length < ActivationFunctions.ParallelMinimum)
        {
            return SumSerial(logits, output, target);
        }

        fixed (float* pl = logits, po = output, pt = target)
        {
            var state = new Parts { Loss = this, Logits = pl, LogitsLength = logits.Length, Output = po, Target = pt, Length = target.Length };
            Gemm.RunParts(2, &SumPart, &state);
            return state.Sum0 + state.Sum1;
        }
    }

    private unsafe struct Parts
    {
        public LossFunction Loss;
        public float* Logits;
        public int LogitsLength;
        public float* Output;
        public float* Target;
        public float* Gradient;
        public float Scale;
        public int Length;
        public double Sum0;
        public double Sum1;
    }

    private static unsafe void SumPart(void* argument, int part, int parts)
    {
        ref Parts s = ref *(Parts*)argument;
        var (start, length) = Gemm.PartRange(s.Length, part, parts);
        double sum = s.Loss.SumSerial(
            s.LogitsLength == 0 ? default : new ReadOnlySpan<float>(s.Logits + start, length),
            new ReadOnlySpan<float>(s.Output + start, length),
            new ReadOnlySpan<float>(s.Target + start, length));
        if (part == 0)
        {
            s.Sum0 = sum;
        }
        else
        {
            s.Sum1 = sum;
        }
    }

    private static unsafe void GradientPart(void* argument, int part, int parts)
    {
        ref Parts s = ref *(Parts*)argument;
        var (start, length) = Gemm.PartRange(s.Length, part, parts);
        s.Loss.GradientSerial(
            s.LogitsLength == 0 ? default : new ReadOnlySpan<float>(s.Logits + start, length),
            new ReadOnlySpan<float>(s.Output + start, length),
            new ReadOnlySpan<float>(s.Target + start, length),
            s.Scale,
            new Span<float>(s.Gradient + start, length));
    }

    private double SumSerial(ReadOnlySpan<float> logits, ReadOnlySpan<float> output, ReadOnlySpan<float> target) =>
        Kind == Loss.MeanSquaredError ? MeanSquaredError.Sum(output, target)
        : FromLogits ? BinaryCrossEntropy.SumFromLogits(logits, output, target)
        : BinaryCrossEntropy.SumFromProbabilities(output, target);

    /// <summary>
    /// Overwrites <paramref name="dLogits"/> with the gradient of <c>scale · Sum</c> with respect to
    /// the output layer's pre-activation.
    /// </summary>
    public unsafe void Gradient(ReadOnlySpan<float> logits, ReadOnlySpan<float> output, ReadOnlySpan<float> target, float scale, Span<float> dLogits)
    {
        if (target.Length < ActivationFunctions.ParallelMinimum)
        {
            GradientSerial(logits, output, target, scale, dLogits);
            return;
        }

        fixed (float* pl = logits, po = output, pt = target, pd = dLogits)
        {
            var state = new Parts { Loss = this, Logits = pl, LogitsLength = logits.Length, Output = po, Target = pt, Gradient = pd, Scale = scale, Length = target.Length };
            Gemm.RunParts(2, &GradientPart, &state);
        }
    }

    private void GradientSerial(ReadOnlySpan<float> logits, ReadOnlySpan<float> output, ReadOnlySpan<float> target, float scale, Span<float> dLogits)
    {
        if (FromLogits)
        {
            BinaryCrossEntropy.GradientFromLogits(output, target, scale, dLogits);
            return;
        }

        if (Kind == Loss.MeanSquaredError)
        {
            MeanSquaredError.Gradient(output, target, scale, dLogits);
        }
        else
        {
            BinaryCrossEntropy.GradientFromProbabilities(output, target, scale, dLogits);
        }

        ActivationFunctions.Backward(OutputActivation, logits, output, dLogits, dLogits);
    }
}

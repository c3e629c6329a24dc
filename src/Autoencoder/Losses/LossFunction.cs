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
        Loss = loss;
        OutputActivation = outputActivation;
        FromLogits = loss.UsesLogits(outputActivation);
    }

    public Loss Loss { get; }

    public Activation OutputActivation { get; }

    /// <summary>True when the loss reads the output layer's pre-activation (logits).</summary>
    public bool FromLogits { get; }

    /// <summary>
    /// One element's loss in double, from its logit when <see cref="FromLogits"/> (binary
    /// cross-entropy: <c>max(z, 0) − z·x + ln(1 + e^(−|z|))</c>), else the loss's own
    /// <see cref="Loss.Value"/> of the output: the per-feature terms of an anomaly score's contributions.
    /// </summary>
    public double Term(double logit, float output, float target) =>
        FromLogits ? BinaryCrossEntropy.TermFromLogit(logit, target) : Loss.Value(output, target);

    /// <summary>
    /// Sum of element losses; <paramref name="logits"/> is read only when <see cref="FromLogits"/>,
    /// and then <paramref name="output"/> must be their sigmoid. A large batch is summed in two fixed
    /// halves on the worker pool and the halves are added, so the result does not depend on the thread count.
    /// </summary>
    public unsafe double Sum(ReadOnlySpan<float> logits, ReadOnlySpan<float> output, ReadOnlySpan<float> target)
    {
        if (target.Length < ActivationFunctions.ParallelMinimum)
        {
            return SumSerial(logits, output, target);
        }

        CheckLengths(logits, output, target);
        fixed (float* pl = logits, po = output, pt = target)
        {
            var work = new SumWork { Loss = this, Logits = pl, HasLogits = !logits.IsEmpty, Output = po, Target = pt };
            WorkerPool.InHalves(ref work, target.Length, ActivationFunctions.ParallelMinimum);
            return work.Sums[0] + work.Sums[1];
        }
    }

    /// <summary>Whether <see cref="TryRowSumsFeatureMajor"/> sums rows of <paramref name="width"/> values.</summary>
    public bool SumsFeatureMajor(int width) => width < ActivationFunctions.ParallelMinimum && (FromLogits || Loss.SumsFeatureMajor);

    /// <summary>
    /// Per-row <see cref="Sum"/> over feature-major blocks (feature j of row r at <c>j·stride + r</c>;
    /// <paramref name="logits"/> and <paramref name="output"/> share <paramref name="stride"/>): each row's
    /// sum with the bits <see cref="Sum"/> gives it laid out contiguously. False, writing nothing, when
    /// there is no such kernel: a loss defined outside the library, or rows of
    /// <see cref="ActivationFunctions.ParallelMinimum"/> values or more, which <see cref="Sum"/> adds in halves.
    /// </summary>
    public bool TryRowSumsFeatureMajor(
        ReadOnlySpan<float> logits, ReadOnlySpan<float> output, int stride, ReadOnlySpan<float> target, int targetStride, int rows, int width, Span<double> sums)
    {
        if (!SumsFeatureMajor(width))
        {
            return false;
        }

        if (FromLogits)
        {
            BinaryCrossEntropy.RowSumsFromLogitsFeatureMajor(logits, output, stride, target, targetStride, rows, width, sums);
            return true;
        }

        return Loss.TryRowSumsFeatureMajor(output, stride, target, targetStride, rows, width, sums);
    }

    /// <summary>One half of a large sum; each half keeps its own result, added in part order.</summary>
    private unsafe struct SumWork : IRangeWork
    {
        public LossFunction Loss;
        public float* Logits;
        public bool HasLogits;
        public float* Output;
        public float* Target;
        public fixed double Sums[2];

        public void Run(int part, int start, int length) =>
            Sums[part] = Loss.SumSerial(
                HasLogits ? new ReadOnlySpan<float>(Logits + start, length) : default,
                new ReadOnlySpan<float>(Output + start, length),
                new ReadOnlySpan<float>(Target + start, length));
    }

    /// <summary>One half of a large gradient.</summary>
    private unsafe struct GradientWork : IRangeWork
    {
        public LossFunction Loss;
        public float* Logits;
        public bool HasLogits;
        public float* Output;
        public float* Target;
        public float* Gradient;
        public float Scale;

        public readonly void Run(int part, int start, int length) =>
            Loss.GradientSerial(
                HasLogits ? new ReadOnlySpan<float>(Logits + start, length) : default,
                new ReadOnlySpan<float>(Output + start, length),
                new ReadOnlySpan<float>(Target + start, length),
                Scale,
                new Span<float>(Gradient + start, length));
    }

    /// <summary>The halves are sliced from pointers: every span must hold as many values as the targets (logits when they are read).</summary>
    private void CheckLengths(ReadOnlySpan<float> logits, ReadOnlySpan<float> output, ReadOnlySpan<float> target)
    {
        ElementwiseDriver.CheckInput(target, output, nameof(output));
        if (FromLogits || !logits.IsEmpty)
        {
            ElementwiseDriver.CheckInput(target, logits, nameof(logits));
        }
    }

    private double SumSerial(ReadOnlySpan<float> logits, ReadOnlySpan<float> output, ReadOnlySpan<float> target) =>
        FromLogits ? BinaryCrossEntropy.SumFromLogits(logits, output, target) : Loss.Sum(output, target);

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

        CheckLengths(logits, output, target);
        ElementwiseDriver.CheckInput(target, dLogits, nameof(dLogits));
        fixed (float* pl = logits, po = output, pt = target, pd = dLogits)
        {
            var work = new GradientWork { Loss = this, Logits = pl, HasLogits = !logits.IsEmpty, Output = po, Target = pt, Gradient = pd, Scale = scale };
            WorkerPool.InHalves(ref work, target.Length, ActivationFunctions.ParallelMinimum);
        }
    }

    private void GradientSerial(ReadOnlySpan<float> logits, ReadOnlySpan<float> output, ReadOnlySpan<float> target, float scale, Span<float> dLogits)
    {
        if (FromLogits)
        {
            BinaryCrossEntropy.GradientFromLogits(output, target, scale, dLogits);
            return;
        }

        Loss.Gradient(output, target, scale, dLogits);

        ActivationFunctions.Backward(OutputActivation, logits, output, dLogits, dLogits);
    }
}

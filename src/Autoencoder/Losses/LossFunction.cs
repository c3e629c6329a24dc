using Autoencoder.Activations;

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

    /// <summary>Sum of element losses; <paramref name="logits"/> is read only when <see cref="FromLogits"/>, and then <paramref name="output"/> must be their sigmoid.</summary>
    public double Sum(ReadOnlySpan<float> logits, ReadOnlySpan<float> output, ReadOnlySpan<float> target) =>
        Kind == Loss.MeanSquaredError ? MeanSquaredError.Sum(output, target)
        : FromLogits ? BinaryCrossEntropy.SumFromLogits(logits, output, target)
        : BinaryCrossEntropy.SumFromProbabilities(output, target);

    /// <summary>
    /// Overwrites <paramref name="dLogits"/> with the gradient of <c>scale · Sum</c> with respect to
    /// the output layer's pre-activation.
    /// </summary>
    public void Gradient(ReadOnlySpan<float> logits, ReadOnlySpan<float> output, ReadOnlySpan<float> target, float scale, Span<float> dLogits)
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

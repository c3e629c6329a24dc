using MathNet.Numerics.LinearAlgebra;
using Kernel = Autoencoder.Losses.BinaryCrossEntropy;

namespace Autoencoder.Losses;

/// <summary>
/// <see cref="Loss.BinaryCrossEntropy"/> on the kernels of <see cref="Kernel"/>: from
/// the logits with a sigmoid output (see <see cref="UsesLogits"/>), else from the clamped probabilities.
/// </summary>
internal sealed class BinaryCrossEntropyLoss : Loss
{
    /// <summary>On probabilities clamped to [ε, 1 − ε], in double.</summary>
    public override double Value(float prediction, float target)
    {
        double p = Math.Clamp(prediction, Kernel.Epsilon, 1f - Kernel.Epsilon);
        return -((target * Math.Log(p)) + ((1 - (double)target) * Math.Log(1 - p)));
    }

    /// <summary><c>(x̂ − x) / (x̂(1 − x̂))</c> inside the clamp, 0 outside it, as the clamped loss is flat there.</summary>
    public override double Derivative(float prediction, float target) =>
        prediction > Kernel.Epsilon && prediction < 1f - Kernel.Epsilon
            ? ((double)prediction - target) / ((double)prediction * (1.0 - prediction))
            : 0.0;

    public override bool Accepts(float target) => target >= 0f && target <= 1f;

    public override double Sum(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets) => Kernel.SumFromProbabilities(predictions, targets);

    public override void Gradient(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, float scale, Span<float> dPredictions) =>
        Kernel.GradientFromProbabilities(predictions, targets, scale, dPredictions);

    internal override bool SumsFeatureMajor => true;

    internal override bool TryRowSumsFeatureMajor(ReadOnlySpan<float> predictions, int predictionStride, ReadOnlySpan<float> targets, int targetStride, int rows, int width, Span<double> sums)
    {
        Kernel.RowSumsFromProbabilitiesFeatureMajor(predictions, predictionStride, targets, targetStride, rows, width, sums);
        return true;
    }

    internal override string FileName => "binary_cross_entropy";

    internal override string TargetDomain => "[0, 1] (binary cross-entropy)";

    internal override bool UsesLogits(Activation outputActivation) => Kernel.UsesLogits(outputActivation);

    internal override VariationalLikelihood Likelihood => VariationalLikelihood.Bernoulli;

    internal override void CheckTargets(Matrix<float> data, string name) => Guard.UnitInterval(data, name);

    /// <summary>The enum name this loss had, which checkpoints' option fingerprints hold.</summary>
    public override string ToString() => "BinaryCrossEntropy";
}

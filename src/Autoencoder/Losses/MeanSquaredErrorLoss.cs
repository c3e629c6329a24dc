using Kernel = Autoencoder.Losses.MeanSquaredError;

namespace Autoencoder.Losses;

/// <summary><see cref="Loss.MeanSquaredError"/>: <c>ℓ = (x̂ − x)²</c>, on the kernels of <see cref="Kernel"/>.</summary>
internal sealed class MeanSquaredErrorLoss : Loss
{
    public override double Value(float prediction, float target)
    {
        double d = (double)prediction - target;
        return d * d;
    }

    public override double Derivative(float prediction, float target) => 2.0 * ((double)prediction - target);

    public override double Sum(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets) => Kernel.Sum(predictions, targets);

    public override void Gradient(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, float scale, Span<float> dPredictions) =>
        Kernel.Gradient(predictions, targets, scale, dPredictions);

    internal override bool SumsFeatureMajor => true;

    internal override bool TryRowSumsFeatureMajor(ReadOnlySpan<float> predictions, int predictionStride, ReadOnlySpan<float> targets, int targetStride, int rows, int width, Span<double> sums)
    {
        Kernel.RowSumsFeatureMajor(predictions, predictionStride, targets, targetStride, rows, width, sums);
        return true;
    }

    internal override string FileName => "mean_squared_error";

    internal override VariationalLikelihood Likelihood => VariationalLikelihood.Gaussian;

    /// <summary>The enum name this loss had, which checkpoints' option fingerprints hold.</summary>
    public override string ToString() => "MeanSquaredError";
}

using Autoencoder.Activations;

namespace Autoencoder.Layers;

/// <summary>
/// The contractive penalty of a one-layer encoder <c>h = f(x·W + b)</c> (Rifai et al. 2011):
/// <c>(λ/rows)·Σ_rows Σⱼ f′(zⱼ)²·sⱼ</c> with <c>sⱼ = Σᵢ Wᵢⱼ²</c>, the batch mean of
/// <c>‖∂h/∂x‖²_F</c>. Its gradient has a part through <c>z</c> (<see cref="Apply"/>) and a direct
/// part in the weights (<see cref="AddWeightGradient"/>), written side by side.
/// </summary>
internal static class ContractivePenalty
{
    /// <summary>
    /// Returns the penalty and adds its derivative through <c>z</c>, <c>(λ/rows)·2·f′·f″·sⱼ</c>, to
    /// <paramref name="dZ"/>; leaves in <paramref name="scratch"/> (<c>2·units</c> doubles) what
    /// <see cref="AddWeightGradient"/> needs after the layer's backward pass.
    /// </summary>
    public static double Apply(
        double lambda, DenseLayer layer, ReadOnlySpan<float> parameters, ReadOnlySpan<float> z, ReadOnlySpan<float> a, int rows,
        Span<float> dZ, Span<double> scratch)
    {
        int units = layer.Outputs, inputs = layer.Inputs;
        ReadOnlySpan<float> weights = parameters.Slice(layer.WeightOffset, layer.WeightCount);
        Span<double> columnNorms = scratch[..units];
        Span<double> meanSquaredSlope = scratch.Slice(units, units);
        columnNorms.Clear();
        meanSquaredSlope.Clear();
        for (int i = 0; i < inputs; i++)
        {
            ReadOnlySpan<float> row = weights.Slice(i * units, units);
            for (int j = 0; j < units; j++)
            {
                columnNorms[j] += (double)row[j] * row[j];
            }
        }

        double penalty = 0, scale = lambda / rows;
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < units; j++)
            {
                int index = (r * units) + j;
                (double first, double second) = ActivationCurvature.At(layer.Activation, z[index], a[index]);
                penalty += first * first * columnNorms[j];
                meanSquaredSlope[j] += first * first / rows;
                dZ[index] += (float)(scale * 2 * first * second * columnNorms[j]);
            }
        }

        return penalty * scale;
    }

    /// <summary>
    /// The direct derivative in the weights, <c>2λ·Wᵢⱼ·mean_rows f′(zⱼ)²</c>, added to the layer's
    /// weight gradient; reads the scratch <see cref="Apply"/> filled.
    /// </summary>
    public static void AddWeightGradient(double lambda, DenseLayer layer, ReadOnlySpan<float> parameters, Span<float> gradients, ReadOnlySpan<double> scratch)
    {
        int units = layer.Outputs, inputs = layer.Inputs;
        ReadOnlySpan<float> weights = parameters.Slice(layer.WeightOffset, layer.WeightCount);
        ReadOnlySpan<double> meanSquaredSlope = scratch.Slice(units, units);
        Span<float> dWeights = gradients.Slice(layer.WeightOffset, layer.WeightCount);
        for (int i = 0; i < inputs; i++)
        {
            ReadOnlySpan<float> row = weights.Slice(i * units, units);
            Span<float> dRow = dWeights.Slice(i * units, units);
            for (int j = 0; j < units; j++)
            {
                dRow[j] += (float)(2 * lambda * row[j] * meanSquaredSlope[j]);
            }
        }
    }
}

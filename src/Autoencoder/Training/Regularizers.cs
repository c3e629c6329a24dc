using Autoencoder.Activations;
using Autoencoder.Layers;

namespace Autoencoder.Training;

/// <summary>
/// The training-only terms beside the reconstruction loss: dropout masks, activity penalties, the
/// KL sparsity penalty and the contractive penalty. Each <c>…Penalty</c> method returns its
/// contribution to the batch loss and adds its gradient (forward formula and derivative side by
/// side) to the buffer it is given. Buffers are row-major <c>rows × units</c>.
/// </summary>
internal static class Regularizers
{
    /// <summary>
    /// Draws an inverted-dropout mask (each entry 0 with probability <paramref name="rate"/>, else
    /// <c>1/(1 − rate)</c>) into <paramref name="mask"/> and writes <c>dropped = a ⊙ mask</c>.
    /// </summary>
    public static void Dropout(double rate, ReadOnlySpan<float> a, Span<float> mask, Span<float> dropped, ref Pcg32 random)
    {
        uint threshold = MaskingNoise.ThresholdOf(rate);
        float keep = (float)(1.0 / (1.0 - rate));
        for (int i = 0; i < a.Length; i++)
        {
            float m = random.NextUInt32() < threshold ? 0f : keep;
            mask[i] = m;
            dropped[i] = a[i] * m;
        }
    }

    /// <summary>Backward of dropout: <c>dA = dDropped ⊙ mask</c>, in place.</summary>
    public static void DropoutBackward(ReadOnlySpan<float> mask, Span<float> gradient)
    {
        System.Numerics.Tensors.TensorPrimitives.Multiply(gradient, mask, gradient);
    }

    /// <summary>
    /// L1/L2 activity penalty <c>(l1·Σ|a| + l2·Σa²) / rows</c>; adds <c>(l1·sign(a) + 2·l2·a) / rows</c> to <paramref name="dA"/>.
    /// </summary>
    public static double ActivityPenalty(double l1, double l2, ReadOnlySpan<float> a, int rows, Span<float> dA)
    {
        double sum = 0;
        double scale = 1.0 / rows;
        for (int i = 0; i < a.Length; i++)
        {
            double v = a[i];
            sum += (l1 * Math.Abs(v)) + (l2 * v * v);
            dA[i] += (float)(scale * ((l1 * Math.Sign(v)) + (2 * l2 * v)));
        }

        return sum * scale;
    }

    /// <summary>
    /// KL sparsity penalty <c>β·Σⱼ KL(ρ ‖ ρ̂ⱼ)</c> with <c>ρ̂ⱼ = mean_rows a[·, j]</c> (clamped to
    /// [1e-7, 1 − 1e-7] so saturated units stay finite); adds
    /// <c>(β/rows)·(−ρ/ρ̂ⱼ + (1 − ρ)/(1 − ρ̂ⱼ))</c> to every <c>dA[·, j]</c>. <paramref name="meanScratch"/> holds <c>units</c> doubles.
    /// </summary>
    public static double SparsityPenalty(double rho, double beta, ReadOnlySpan<float> a, int rows, int units, Span<float> dA, Span<double> meanScratch)
    {
        Span<double> mean = meanScratch[..units];
        mean.Clear();
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = a.Slice(r * units, units);
            for (int j = 0; j < units; j++)
            {
                mean[j] += row[j];
            }
        }

        double penalty = 0;
        for (int j = 0; j < units; j++)
        {
            double p = Math.Clamp(mean[j] / rows, 1e-7, 1 - 1e-7);
            penalty += (rho * Math.Log(rho / p)) + ((1 - rho) * Math.Log((1 - rho) / (1 - p)));
            mean[j] = beta / rows * ((-rho / p) + ((1 - rho) / (1 - p)));
        }

        for (int r = 0; r < rows; r++)
        {
            Span<float> row = dA.Slice(r * units, units);
            for (int j = 0; j < units; j++)
            {
                row[j] += (float)mean[j];
            }
        }

        return beta * penalty;
    }

    /// <summary>
    /// Contractive penalty of a one-layer encoder <c>h = f(x·W + b)</c>:
    /// <c>(λ/rows)·Σ_rows Σⱼ f′(zⱼ)²·sⱼ</c> with <c>sⱼ = Σᵢ Wᵢⱼ²</c>, the batch mean of
    /// <c>‖∂h/∂x‖²_F</c>. Adds its derivative through <c>z</c>, <c>(λ/rows)·2·f′·f″·sⱼ</c>, to
    /// <paramref name="dZ"/>, and leaves in <paramref name="scratch"/> (<c>2·units</c> doubles) what
    /// <see cref="ContractiveWeightGradient"/> needs after the layer's backward pass.
    /// </summary>
    public static double ContractivePenalty(
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
    /// The contractive penalty's direct derivative in the weights, <c>2λ·Wᵢⱼ·mean_rows f′(zⱼ)²</c>,
    /// added to the layer's weight gradient; reads the scratch <see cref="ContractivePenalty"/> filled.
    /// </summary>
    public static void ContractiveWeightGradient(double lambda, DenseLayer layer, ReadOnlySpan<float> parameters, Span<float> gradients, ReadOnlySpan<double> scratch)
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

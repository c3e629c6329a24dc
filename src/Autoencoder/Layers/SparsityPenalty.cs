namespace Autoencoder.Layers;

/// <summary>
/// The KL sparsity penalty of a sparse autoencoder's code: <c>β·Σⱼ KL(ρ ‖ ρ̂ⱼ)</c> with
/// <c>ρ̂ⱼ = mean_rows a[·, j]</c> (clamped to [1e-7, 1 − 1e-7] so saturated units stay finite);
/// its gradient adds <c>(β/rows)·(−ρ/ρ̂ⱼ + (1 − ρ)/(1 − ρ̂ⱼ))</c> to every <c>dA[·, j]</c>.
/// </summary>
internal sealed class SparsityPenalty(double target, double weight, int units) : OutputPenalty
{
    /// <summary>Target mean activation ρ.</summary>
    public double Target { get; } = target;

    /// <summary>Weight β.</summary>
    public double Weight { get; } = weight;

    /// <inheritdoc/>
    public override double Apply(ReadOnlySpan<float> a, int rows, Span<float> dA, Span<double> scratch)
    {
        double rho = Target, beta = Weight;
        Span<double> mean = scratch[..units];
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
}

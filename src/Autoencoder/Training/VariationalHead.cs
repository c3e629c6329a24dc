namespace Autoencoder.Training;

/// <summary>
/// The Gaussian latent layer of a variational autoencoder. Its input is the head's output, row-major
/// <c>rows × 2k</c>: the mean <c>μ</c> in columns <c>[0, k)</c>, the log-variance <c>v = log σ²</c> in
/// <c>[k, 2k)</c>. Forward formulas and derivatives side by side.
/// </summary>
internal static class VariationalHead
{
    /// <summary>
    /// Reparameterised sample: draws <c>ε ~ N(0, 1)</c> into <paramref name="epsilon"/> and writes
    /// <c>z = μ + exp(v/2)·ε</c> (<c>rows × k</c>).
    /// </summary>
    public static void Sample(ReadOnlySpan<float> head, int rows, int k, Span<float> epsilon, Span<float> z, ref Pcg32 random)
    {
        for (int i = 0; i < rows * k; i++)
        {
            epsilon[i] = (float)random.NextGaussian();
        }

        Reparameterize(head, rows, k, epsilon, z);
    }

    /// <summary><c>z = μ + exp(v/2)·ε</c> for a given <paramref name="epsilon"/>.</summary>
    public static void Reparameterize(ReadOnlySpan<float> head, int rows, int k, ReadOnlySpan<float> epsilon, Span<float> z)
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> mean = head.Slice(r * 2 * k, k);
            ReadOnlySpan<float> logVariance = head.Slice((r * 2 * k) + k, k);
            for (int j = 0; j < k; j++)
            {
                z[(r * k) + j] = mean[j] + (MathF.Exp(0.5f * logVariance[j]) * epsilon[(r * k) + j]);
            }
        }
    }

    /// <summary>
    /// <c>Σ_rows Σⱼ KL(N(μ, σ²) ‖ N(0, 1)) = Σ −½·(1 + v − μ² − eᵛ)</c>, in double; one entry per row
    /// in <paramref name="rowSums"/> when it is not empty.
    /// </summary>
    public static double KlSum(ReadOnlySpan<float> head, int rows, int k, Span<double> rowSums = default)
    {
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            double sum = 0;
            for (int j = 0; j < k; j++)
            {
                double mean = head[(r * 2 * k) + j];
                double logVariance = head[(r * 2 * k) + k + j];
                sum += -0.5 * (1 + logVariance - (mean * mean) - Math.Exp(logVariance));
            }

            if (!rowSums.IsEmpty)
            {
                rowSums[r] = sum;
            }

            total += sum;
        }

        return total;
    }

    /// <summary>
    /// Overwrites <paramref name="dHead"/> (<c>rows × 2k</c>) with the gradient of
    /// <c>loss(z) + klScale·KlSum</c> given <c>dz</c>: <c>dμ = dz + klScale·μ</c> and
    /// <c>dv = dz·ε·exp(v/2)/2 + klScale·(eᵛ − 1)/2</c>.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> head, ReadOnlySpan<float> epsilon, ReadOnlySpan<float> dz, int rows, int k, float klScale, Span<float> dHead)
    {
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < k; j++)
            {
                int mi = (r * 2 * k) + j, vi = mi + k, zi = (r * k) + j;
                float mean = head[mi], logVariance = head[vi];
                float sigma = MathF.Exp(0.5f * logVariance);
                dHead[mi] = dz[zi] + (klScale * mean);
                dHead[vi] = (0.5f * dz[zi] * epsilon[zi] * sigma) + (0.5f * klScale * ((sigma * sigma) - 1));
            }
        }
    }
}

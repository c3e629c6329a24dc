using Autoencoder.Layers;
using Autoencoder.Losses;
using Autoencoder.Model;

namespace Autoencoder.Training;

/// <summary>Per-sample losses of a network on row-major data, in bounded blocks with pooled scratch.</summary>
internal static class Scoring
{
    /// <summary>
    /// Overwrites <paramref name="rowSums"/>[i] with the summed element loss of reconstructing row i
    /// of <paramref name="x"/> (<c>rows × InputSize</c>, row-major). A row's value never depends on
    /// the other rows.
    /// </summary>
    public static void RowLossSums(Network network, LossFunction loss, ReadOnlySpan<float> x, int rows, Span<double> rowSums)
    {
        int width = network.InputSize;
        int block = Math.Min(rows, network.InferenceBlockRows);
        float[] output = network.Scratch.Floats.Rent(block * width);
        float[] logits = network.Scratch.Floats.Rent(block * width);
        try
        {
            for (int start = 0; start < rows; start += block)
            {
                int count = Math.Min(block, rows - start);
                ReadOnlySpan<float> input = x.Slice(start * width, count * width);
                network.Run(0, network.Layers.Count, input, count, output, logits);
                for (int r = 0; r < count; r++)
                {
                    int offset = r * width;
                    rowSums[start + r] = loss.Sum(
                        logits.AsSpan(offset, width), output.AsSpan(offset, width), input.Slice(offset, width));
                }
            }
        }
        finally
        {
            network.Scratch.Floats.Return(output);
            network.Scratch.Floats.Return(logits);
        }
    }

    /// <summary>Mean element loss over all of <paramref name="x"/>.</summary>
    public static double MeanLoss(Network network, LossFunction loss, ReadOnlySpan<float> x, int rows)
    {
        double[] sums = network.Scratch.Doubles.Rent(rows);
        try
        {
            RowLossSums(network, loss, x, rows, sums);
            double total = 0;
            for (int i = 0; i < rows; i++)
            {
                total += sums[i];
            }

            return total / ((double)rows * network.InputSize);
        }
        finally
        {
            network.Scratch.Doubles.Return(sums);
        }
    }

    /// <summary>
    /// For a variational network: overwrites <paramref name="negativeLogLikelihood"/>[i] with
    /// <c>−(1/S)·Σₛ log p(xᵢ | zₛ)</c>, <c>zₛ ~ q(z | xᵢ)</c> drawn from <paramref name="random"/>
    /// (<paramref name="samples"/> draws; Bernoulli likelihood for BCE, unit-variance Gaussian for
    /// MSE), and, when not empty, <paramref name="kl"/>[i] with <c>KL(q(z | xᵢ) ‖ N(0, I))</c>. Draws are
    /// made row block by row block, so a row's values depend on the generator's state, not on the other rows' values.
    /// </summary>
    public static void VariationalRowTerms(
        Network network, LossFunction loss, ReadOnlySpan<float> x, int rows, int samples, ref Pcg32 random,
        Span<double> negativeLogLikelihood, Span<double> kl)
    {
        int width = network.InputSize, k = network.LatentSize;
        int block = Math.Min(rows, network.InferenceBlockRows);
        float[] head = network.Scratch.Floats.Rent(block * 2 * k);
        float[] epsilon = network.Scratch.Floats.Rent(block * k);
        float[] z = network.Scratch.Floats.Rent(block * k);
        float[] output = network.Scratch.Floats.Rent(block * width);
        float[] logits = network.Scratch.Floats.Rent(block * width);
        double constant = loss.Loss.Likelihood == VariationalLikelihood.Gaussian ? width * 0.5 * Math.Log(2 * Math.PI) : 0;
        double factor = loss.Loss.Likelihood == VariationalLikelihood.Gaussian ? 0.5 : 1;
        try
        {
            for (int start = 0; start < rows; start += block)
            {
                int count = Math.Min(block, rows - start);
                ReadOnlySpan<float> input = x.Slice(start * width, count * width);
                network.Run(0, network.EncoderEnd, input, count, head, fullHead: true);
                if (!kl.IsEmpty)
                {
                    GaussianHeadLayer.KlSum(head, count, k, kl.Slice(start, count));
                }

                Span<double> nll = negativeLogLikelihood.Slice(start, count);
                nll.Clear();
                for (int s = 0; s < samples; s++)
                {
                    GaussianHeadLayer.Sample(head, count, k, epsilon, z, ref random);
                    network.Run(network.EncoderEnd, network.Layers.Count, z.AsSpan(0, count * k), count, output, logits);
                    for (int r = 0; r < count; r++)
                    {
                        int offset = r * width;
                        double sum = loss.Sum(logits.AsSpan(offset, width), output.AsSpan(offset, width), input.Slice(offset, width));
                        nll[r] += ((factor * sum) + constant) / samples;
                    }
                }
            }
        }
        finally
        {
            network.Scratch.Floats.Return(head);
            network.Scratch.Floats.Return(epsilon);
            network.Scratch.Floats.Return(z);
            network.Scratch.Floats.Return(output);
            network.Scratch.Floats.Return(logits);
        }
    }

    /// <summary>
    /// The loss training reports, on held-out rows: the mean element loss, or for a variational
    /// network the mean over rows of <c>−log p(x | z) + klWeight·KL</c> with one draw of <c>z</c> per row from <paramref name="random"/>.
    /// </summary>
    public static double TrainingLoss(Network network, LossFunction loss, ReadOnlySpan<float> x, int rows, double klWeight, ref Pcg32 random)
    {
        if (!network.IsVariational)
        {
            return MeanLoss(network, loss, x, rows);
        }

        double[] nll = network.Scratch.Doubles.Rent(rows);
        double[] kl = network.Scratch.Doubles.Rent(rows);
        try
        {
            VariationalRowTerms(network, loss, x, rows, 1, ref random, nll.AsSpan(0, rows), kl.AsSpan(0, rows));
            double total = 0;
            for (int i = 0; i < rows; i++)
            {
                total += nll[i] + (klWeight * kl[i]);
            }

            return total / rows;
        }
        finally
        {
            network.Scratch.Doubles.Return(nll);
            network.Scratch.Doubles.Return(kl);
        }
    }
}

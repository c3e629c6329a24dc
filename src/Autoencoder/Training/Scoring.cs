using System.Buffers;
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
        int block = Math.Min(rows, Network.InferenceBlockRows);
        float[] output = ArrayPool<float>.Shared.Rent(block * width);
        float[] logits = ArrayPool<float>.Shared.Rent(block * width);
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
            ArrayPool<float>.Shared.Return(output);
            ArrayPool<float>.Shared.Return(logits);
        }
    }

    /// <summary>Mean element loss over all of <paramref name="x"/>.</summary>
    public static double MeanLoss(Network network, LossFunction loss, ReadOnlySpan<float> x, int rows)
    {
        double[] sums = ArrayPool<double>.Shared.Rent(rows);
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
            ArrayPool<double>.Shared.Return(sums);
        }
    }
}

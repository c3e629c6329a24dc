using Autoencoder.Data;
using Autoencoder.Losses;
using Autoencoder.Model;

namespace Autoencoder.Training;

/// <summary>
/// <see cref="Scoring"/> over rows read from a <see cref="RowReader"/>, one inference block at a
/// time: the blocks are those the in-memory calls use, so every value is the same to the last bit.
/// </summary>
internal static class StreamedScoring
{
    /// <summary>As <see cref="Scoring.TrainingLoss"/>, on <paramref name="rows"/> rows read from <paramref name="reader"/> and checked by <paramref name="rule"/>.</summary>
    /// <exception cref="InvalidDataException">The reader ended before <paramref name="rows"/> rows.</exception>
    /// <exception cref="ArgumentException">A row holds a value <paramref name="rule"/> refuses.</exception>
    public static double TrainingLoss(Network network, LossFunction loss, RowReader reader, int rows, double klWeight, ref Pcg32 random, ValueRule rule, string name)
    {
        int width = network.InputSize;
        int block = Math.Min(rows, network.InferenceBlockRows);
        float[] input = network.Scratch.Floats.Rent(block * width);
        double[] first = network.Scratch.Doubles.Rent(block);
        double[] second = network.Scratch.Doubles.Rent(block);
        try
        {
            double total = 0;
            for (int start = 0; start < rows; start += block)
            {
                int count = Math.Min(block, rows - start);
                ReadBlock(reader, input, count, start, rows, name, rule);
                ReadOnlySpan<float> x = input.AsSpan(0, count * width);
                if (!network.IsVariational)
                {
                    Scoring.RowLossSums(network, loss, x, count, first);
                    for (int i = 0; i < count; i++)
                    {
                        total += first[i];
                    }
                }
                else
                {
                    Scoring.VariationalRowTerms(network, loss, x, count, 1, ref random, first.AsSpan(0, count), second.AsSpan(0, count));
                    for (int i = 0; i < count; i++)
                    {
                        total += first[i] + (klWeight * second[i]);
                    }
                }
            }

            return network.IsVariational ? total / rows : total / ((double)rows * width);
        }
        finally
        {
            network.Scratch.Floats.Return(input);
            network.Scratch.Doubles.Return(first);
            network.Scratch.Doubles.Return(second);
        }
    }

    /// <summary>
    /// Each row's summed element loss (<see cref="Scoring.RowLossSums"/>), block by block: calls
    /// <paramref name="take"/> with each block's sums and the index of its first row. Returns the rows read.
    /// </summary>
    public static long RowLossSums(Network network, LossFunction loss, RowReader reader, ValueRule rule, string name, Action<ReadOnlyMemory<double>, long> take)
    {
        int width = network.InputSize;
        int block = network.InferenceBlockRows;
        float[] input = network.Scratch.Floats.Rent(block * width);
        double[] sums = network.Scratch.Doubles.Rent(block);
        try
        {
            long done = 0;
            while (true)
            {
                int count = reader.ReadFully(input, block);
                if (count == 0)
                {
                    return done;
                }

                RowChecks.CheckBlock(input, count, width, done, name, rule);
                Scoring.RowLossSums(network, loss, input.AsSpan(0, count * width), count, sums);
                take(sums.AsMemory(0, count), done);
                done += count;
            }
        }
        finally
        {
            network.Scratch.Floats.Return(input);
            network.Scratch.Doubles.Return(sums);
        }
    }

    private static void ReadBlock(RowReader reader, float[] input, int count, long start, long rows, string name, ValueRule rule)
    {
        int read = reader.ReadFully(input, count);
        if (read != count)
        {
            throw new InvalidDataException(Invariant($"{name} ended after {start + read} rows; it held {rows} when training started."));
        }

        RowChecks.CheckBlock(input, count, reader.Columns, start, name, rule);
    }
}

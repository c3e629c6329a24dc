using Autoencoder.Data;
using Autoencoder.Losses;
using Autoencoder.Training;

namespace Autoencoder;

public sealed partial class AutoencoderModel
{
    /// <summary>
    /// As <see cref="Evaluate(MathNet.Numerics.LinearAlgebra.Matrix{float}, Loss)"/>, on any data
    /// source: files and streams are read block by block, so memory does not grow with the data.
    /// The value is the same, to the last bit, as for the same rows in a matrix.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> or <paramref name="loss"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> has the wrong column count or no rows, or a row holds NaN, infinity or a value the loss does not accept.</exception>
    /// <exception cref="InvalidDataException">A file is malformed.</exception>
    public double Evaluate(DataSource x, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(loss);
        CheckSource(x, nameof(x));
        var lossFunction = new LossFunction(loss, _network.OutputActivation);
        double total = 0;
        using RowReader reader = OpenScoring(x);
        long rows = StreamedScoring.RowLossSums(_network, lossFunction, reader, loss.TargetRule, nameof(x), (sums, _) =>
        {
            foreach (double sum in sums.Span)
            {
                total += sum;
            }
        });
        if (rows == 0)
        {
            throw new ArgumentException("x must have at least one row; the source gave none.", nameof(x));
        }

        return total / ((double)rows * InputSize);
    }

    /// <summary>
    /// As <see cref="ReconstructionErrors(MathNet.Numerics.LinearAlgebra.Matrix{float}, Loss)"/>,
    /// streamed: the scores of the rows of <paramref name="x"/> in order, computed a block at a
    /// time as the sequence is enumerated (files and streams are read ahead in the background),
    /// so a source larger than memory can be scored. Each value is the same, to the last bit, as
    /// for the same rows in a matrix.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> or <paramref name="loss"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="x"/> has the wrong column count (at once); a row holds NaN, infinity or a
    /// value the loss does not accept (when the enumeration reaches it).
    /// </exception>
    public IEnumerable<float> ReconstructionErrors(DataSource x, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(loss);
        CheckSource(x, nameof(x));
        return StreamErrors(x, loss);
    }

    /// <summary>A pass over a source for scoring: in place for rows in memory, read ahead in the background for files and streams.</summary>
    internal RowReader OpenScoring(DataSource x) =>
        x is InMemorySource or MatrixSource
            ? x.OpenRows(0, long.MaxValue)
            : new PrefetchReader(x.OpenRows(0, long.MaxValue), _network.InferenceBlockRows);

    private void CheckSource(DataSource x, string name)
    {
        if (x.Columns != InputSize)
        {
            throw new ArgumentException(Invariant($"{name} must have {InputSize} columns (one per input feature of the model); got {x.Columns} columns."), name);
        }
    }

    private IEnumerable<float> StreamErrors(DataSource x, Loss loss)
    {
        var lossFunction = new LossFunction(loss, _network.OutputActivation);
        int width = InputSize, block = _network.InferenceBlockRows;
        var input = new float[block * width];
        var sums = new double[block];
        using RowReader reader = OpenScoring(x);
        long done = 0;
        while (true)
        {
            int count = reader.ReadFully(input, block);
            if (count == 0)
            {
                yield break;
            }

            Data.RowChecks.CheckBlock(input, count, width, done, nameof(x), loss.TargetRule);
            Scoring.RowLossSums(_network, lossFunction, input.AsSpan(0, count * width), count, sums);
            for (int i = 0; i < count; i++)
            {
                yield return (float)(sums[i] / width);
            }

            done += count;
        }
    }
}

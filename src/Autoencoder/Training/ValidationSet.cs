using Autoencoder.Data;
using Autoencoder.Losses;
using Autoencoder.Model;

namespace Autoencoder.Training;

/// <summary>
/// A run's held-out rows, scored after each epoch: in place when they lie in one block of
/// memory, else streamed block by block (read ahead in the background) with the same blocks, so
/// the loss is the same to the last bit either way.
/// </summary>
internal sealed class ValidationSet(DataSource source, int rows, ValueRule rule, string name)
{
    /// <summary>The held-out rows.</summary>
    public int Rows { get; } = rows;

    /// <summary>The rows.</summary>
    public DataSource Source { get; } = source;

    /// <summary>The loss training reports on the rows (see <see cref="Scoring.TrainingLoss(Network, LossFunction, ReadOnlySpan{float}, int, double, ref Pcg32)"/>).</summary>
    public double Loss(Network network, LossFunction loss, double klWeight, ref Pcg32 random)
    {
        if (Source is InMemorySource memory && memory.TryGetContiguous(out ReadOnlyMemory<float> values))
        {
            return Scoring.TrainingLoss(network, loss, values.Span, Rows, klWeight, ref random);
        }

        using RowReader reader = Source is InMemorySource
            ? Source.OpenRows(0, Rows)
            : new PrefetchReader(Source.OpenRows(0, Rows), network.InferenceBlockRows);
        return StreamedScoring.TrainingLoss(network, loss, reader, Rows, klWeight, ref random, rule, name);
    }
}

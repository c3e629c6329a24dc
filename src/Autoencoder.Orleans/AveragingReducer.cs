using System.Diagnostics;
using System.Numerics.Tensors;

namespace Autoencoder.Orleans;

/// <summary>
/// A replica's reducer for model averaging (local SGD, as H2O's per-node training with averaging):
/// each replica steps on its own slice of every batch, and every <c>interval</c> steps, and at the
/// end of every epoch, the replicas' parameters, running statistics and optimizer buffers are
/// summed in rank order by the run's exchange and multiplied by 1/K, so the replicas agree again.
/// </summary>
internal sealed class AveragingReducer(IStepExchangeGrain exchange, int replicas, int rank, int interval) : IGradientReducer, IExchangeCounters
{
    private long _localSteps;

    /// <inheritdoc/>
    public int Replicas => replicas;

    /// <inheritdoc/>
    public int Rank => rank;

    /// <inheritdoc/>
    public bool SumsGradients => false;

    /// <inheritdoc/>
    public long Steps { get; private set; }

    /// <inheritdoc/>
    public TimeSpan ExchangeTime { get; private set; }

    /// <inheritdoc/>
    public long Bytes { get; private set; }

    /// <inheritdoc/>
    public GradientStep LastStep { get; private set; }

    /// <inheritdoc/>
    public double Reduce(GradientStep step, Span<float> gradients, Span<float> state, double loss) =>
        throw new InvalidOperationException("Model averaging keeps each replica's gradient its own; Reduce is not called.");

    /// <inheritdoc/>
    public void Synchronize(GradientStep step, Span<float> parameters, Span<float> state, IReadOnlyList<float[]> optimizerState)
    {
        Steps++;
        LastStep = step;
        if (++_localSteps % interval != 0 && step.Batch != step.Batches - 1)
        {
            return;
        }

        long start = Stopwatch.GetTimestamp();
        int length = parameters.Length + state.Length + optimizerState.Sum(b => b.Length);
        var values = new float[length];
        parameters.CopyTo(values);
        state.CopyTo(values.AsSpan(parameters.Length));
        int offset = parameters.Length + state.Length;
        foreach (float[] buffer in optimizerState)
        {
            buffer.CopyTo(values, offset);
            offset += buffer.Length;
        }

        ReducedStep sum;
        try
        {
            sum = exchange.Contribute(rank, step.Epoch, step.Batch, step.Rows, values, [], 0).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            throw new ExchangeFailedException(Invariant($"Replica {rank} could not average after step (epoch {step.Epoch}, batch {step.Batch}): {e.Message}"), e);
        }

        // The sum is shared, unchanged, with every replica the exchange answers (it is immutable): the
        // means are written straight into this replica's buffers.
        ReadOnlySpan<float> total = sum.Gradients;
        float share = 1f / replicas;
        TensorPrimitives.Multiply(total[..parameters.Length], share, parameters);
        TensorPrimitives.Multiply(total.Slice(parameters.Length, state.Length), share, state);
        offset = parameters.Length + state.Length;
        foreach (float[] buffer in optimizerState)
        {
            TensorPrimitives.Multiply(total.Slice(offset, buffer.Length), share, buffer);
            offset += buffer.Length;
        }

        ExchangeTime += Stopwatch.GetElapsedTime(start);
        Bytes += 2 * ((4L * length) + 8);
    }
}

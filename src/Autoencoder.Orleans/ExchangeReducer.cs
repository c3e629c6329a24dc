using System.Diagnostics;

namespace Autoencoder.Orleans;

/// <summary>
/// A replica's <see cref="IGradientReducer"/>: hands its contribution to the run's exchange grain and
/// waits, on the training thread, for the step's sum. Counts the time and the bytes it exchanges.
/// </summary>
internal sealed class ExchangeReducer(IStepExchangeGrain exchange, int replicas, int rank) : IGradientReducer, IExchangeCounters
{
    /// <inheritdoc/>
    public int Replicas => replicas;

    /// <inheritdoc/>
    public int Rank => rank;

    /// <summary>Steps reduced.</summary>
    public long Steps { get; private set; }

    /// <summary>Time spent in the exchange, waiting for the other replicas included.</summary>
    public TimeSpan ExchangeTime { get; private set; }

    /// <summary>Bytes of values sent and received (gradients, state and the loss, both ways).</summary>
    public long Bytes { get; private set; }

    /// <summary>The last step reduced.</summary>
    public GradientStep LastStep { get; private set; }

    /// <inheritdoc/>
    public double Reduce(GradientStep step, Span<float> gradients, Span<float> state, double loss)
    {
        long start = Stopwatch.GetTimestamp();
        ReducedStep reduced;
        try
        {
            reduced = exchange.Contribute(rank, step.Epoch, step.Batch, step.Rows, gradients.ToArray(), state.ToArray(), loss).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            throw new ExchangeFailedException(Invariant($"Replica {rank} could not exchange step (epoch {step.Epoch}, batch {step.Batch}): {e.Message}"), e);
        }

        reduced.Gradients.CopyTo(gradients);
        reduced.State.CopyTo(state);
        ExchangeTime += Stopwatch.GetElapsedTime(start);
        Bytes += 2 * ((4L * (gradients.Length + state.Length)) + 8);
        Steps++;
        LastStep = step;
        return reduced.Loss;
    }
}

/// <summary>What a replica's reducer counts for its report.</summary>
internal interface IExchangeCounters
{
    /// <summary>Steps taken.</summary>
    long Steps { get; }

    /// <summary>Time spent in the exchange, waiting for the other replicas included.</summary>
    TimeSpan ExchangeTime { get; }

    /// <summary>Bytes of values sent and received.</summary>
    long Bytes { get; }

    /// <summary>The last step taken.</summary>
    GradientStep LastStep { get; }
}

/// <summary>A step's exchange failed: another replica, its silo or the exchange's silo is gone, or the run was stopped.</summary>
internal sealed class ExchangeFailedException(string message, Exception inner) : Exception(message, inner);

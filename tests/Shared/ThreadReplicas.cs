namespace Autoencoder.Testing;

/// <summary>
/// The reference for the cluster: K replicas of a run on K threads of this process, meeting at a
/// barrier every step and adding their contributions in rank order, through the library's public
/// <see cref="IGradientReducer"/> seam alone. Linked into the core's and the Orleans package's tests.
/// </summary>
internal static class ThreadReplicas
{
    /// <summary>
    /// Runs <paramref name="train"/> once per rank on its own thread with that rank's reducer; returns
    /// rank 0's result. Every step rank 0 reduces is added to <paramref name="steps"/> when given.
    /// </summary>
    public static T Run<T>(int replicas, Func<int, IGradientReducer, T> train, List<GradientStep>? steps = null)
    {
        var exchange = new Exchange(replicas, steps);
        var results = new T[replicas];
        var errors = new Exception?[replicas];
        var threads = Enumerable.Range(0, replicas).Select(rank => new Thread(() =>
        {
            try
            {
                results[rank] = train(rank, new Member(exchange, rank));
            }
            catch (Exception e)
            {
                errors[rank] = e;
            }
        })).ToArray();
        foreach (Thread t in threads)
        {
            t.Start();
        }

        foreach (Thread t in threads)
        {
            t.Join();
        }

        if (errors.FirstOrDefault(e => e is not null) is { } error)
        {
            throw new InvalidOperationException("a reference replica failed", error);
        }

        return results[0];
    }

    /// <summary>A stop at the end of batch <paramref name="batch"/> of epoch <paramref name="epoch"/> (batch 0: the end of the epoch before).</summary>
    public sealed class StopAt(int epoch, int batch) : ITrainingCallback
    {
        public void OnBatchEnd(TrainingProgress progress, TrainingControl control)
        {
            if (batch > 0 && progress.Epoch == epoch && progress.Batch == batch)
            {
                control.Stop();
            }
        }

        public void OnEpochEnd(EpochResult result, TrainingControl control)
        {
            if (batch == 0 && result.Epoch == epoch - 1)
            {
                control.Stop();
            }
        }
    }

    private sealed class Exchange(int replicas, List<GradientStep>? steps)
    {
        public List<GradientStep>? Steps { get; } = steps;

        public Barrier Barrier { get; } = new(replicas);

        public float[][] Gradients { get; } = new float[replicas][];

        public float[][] States { get; } = new float[replicas][];

        public double[] Losses { get; } = new double[replicas];
    }

    private sealed class Member(Exchange exchange, int rank) : IGradientReducer
    {
        public int Replicas => exchange.Losses.Length;

        public int Rank => rank;

        public double Reduce(GradientStep step, Span<float> gradients, Span<float> state, double loss)
        {
            exchange.Gradients[rank] = gradients.ToArray();
            exchange.States[rank] = state.ToArray();
            exchange.Losses[rank] = loss;
            if (rank == 0)
            {
                exchange.Steps?.Add(step);
            }

            exchange.Barrier.SignalAndWait();
            exchange.Gradients[0].CopyTo(gradients);
            double total = exchange.Losses[0];
            for (int k = 1; k < Replicas; k++)
            {
                float[] other = exchange.Gradients[k];
                for (int i = 0; i < gradients.Length; i++)
                {
                    gradients[i] += other[i];
                }

                total += exchange.Losses[k];
            }

            exchange.States[0].CopyTo(state);
            exchange.Barrier.SignalAndWait();
            return total;
        }
    }
}

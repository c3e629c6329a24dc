using System.Numerics.Tensors;
using Orleans.Concurrency;

namespace Autoencoder.Orleans;

/// <summary>One step's values once every replica's are in: the gradient sum, replica 0's running statistics, the loss sum.</summary>
[GenerateSerializer]
[Immutable]
internal sealed record ReducedStep([property: Id(0)] float[] Gradients, [property: Id(1)] float[] State, [property: Id(2)] double Loss);

/// <summary>Where the replicas of one run meet every step.</summary>
internal interface IStepExchangeGrain : IGrainWithStringKey
{
    /// <summary>Starts the exchange for <paramref name="replicas"/> replicas.</summary>
    Task Open(int replicas);

    /// <summary>
    /// Hands in replica <paramref name="rank"/>'s contribution to step (<paramref name="epoch"/>,
    /// <paramref name="batch"/>) of <paramref name="rows"/> rows and returns, once every replica's is in,
    /// the sum of the gradients in rank order, replica 0's state and the sum of the losses in rank order.
    /// </summary>
    Task<ReducedStep> Contribute(int rank, int epoch, int batch, int rows, float[] gradients, float[] state, double loss);

    /// <summary>Fails every waiting and later contribution with <paramref name="reason"/>.</summary>
    Task Abort(string reason);
}

/// <summary>
/// The exchange: reentrant, so the replicas' calls wait together; each step's sum is computed once,
/// by the call that completes it, adding the contributions in rank order element by element.
/// </summary>
[Reentrant]
[ExplicitSiloPlacement]
internal sealed class StepExchangeGrain : Grain, IStepExchangeGrain
{
    private readonly Dictionary<(int Epoch, int Batch), Pending> _pending = [];
    private int _replicas;
    private string? _aborted;

    /// <inheritdoc/>
    public Task Open(int replicas)
    {
        _replicas = replicas;
        _aborted = null;
        _pending.Clear();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<ReducedStep> Contribute(int rank, int epoch, int batch, int rows, float[] gradients, float[] state, double loss)
    {
        if (_aborted is not null)
        {
            return Task.FromException<ReducedStep>(new InvalidOperationException(_aborted));
        }

        if (rank < 0 || rank >= _replicas)
        {
            return Task.FromException<ReducedStep>(new ArgumentOutOfRangeException(nameof(rank), Invariant($"rank must be from 0 to {_replicas - 1}; got {rank}.")));
        }

        if (!_pending.TryGetValue((epoch, batch), out Pending? step))
        {
            step = new Pending(_replicas, rows);
            _pending.Add((epoch, batch), step);
        }

        if (step.Rows != rows || step.Gradients[rank] is not null)
        {
            string reason = Invariant($"The replicas disagree on step (epoch {epoch}, batch {batch}): replica {rank} sent {rows} rows{(step.Gradients[rank] is not null ? " twice" : "")}, another {step.Rows}.");
            Abort(reason);
            return Task.FromException<ReducedStep>(new InvalidOperationException(reason));
        }

        step.Gradients[rank] = gradients;
        step.States[rank] = state;
        step.Losses[rank] = loss;
        if (++step.Arrived == _replicas)
        {
            _pending.Remove((epoch, batch));
            step.Done.SetResult(step.Sum());
        }

        return step.Done.Task;
    }

    /// <inheritdoc/>
    public Task Abort(string reason)
    {
        _aborted = reason;
        foreach (Pending step in _pending.Values)
        {
            step.Done.TrySetException(new InvalidOperationException(reason));
        }

        _pending.Clear();
        return Task.CompletedTask;
    }

    /// <summary>One step's contributions as they arrive.</summary>
    private sealed class Pending(int replicas, int rows)
    {
        public int Rows { get; } = rows;

        public float[]?[] Gradients { get; } = new float[replicas][];

        public float[]?[] States { get; } = new float[replicas][];

        public double[] Losses { get; } = new double[replicas];

        public int Arrived { get; set; }

        public TaskCompletionSource<ReducedStep> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>((c₀ + c₁) + c₂) + …, element by element, and the losses likewise.</summary>
        public ReducedStep Sum()
        {
            float[] sum = (float[])Gradients[0]!.Clone();
            double loss = Losses[0];
            for (int k = 1; k < Gradients.Length; k++)
            {
                TensorPrimitives.Add(sum, Gradients[k]!, sum);
                loss += Losses[k];
            }

            return new ReducedStep(sum, States[0]!, loss);
        }
    }
}

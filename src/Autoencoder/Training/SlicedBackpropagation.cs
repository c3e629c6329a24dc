using System.Numerics.Tensors;
using Autoencoder.Layers;
using Autoencoder.Losses;
using Autoencoder.Model;

namespace Autoencoder.Training;

/// <summary>
/// A training step's gradient computed in slices of its batch: every slice of the batch in one
/// process (<see cref="TrainingOptions.BatchSlices"/>), or one replica's slice and the others'
/// through an <see cref="IGradientReducer"/>. Each slice's gradient is multiplied by its share of
/// the batch (a float product) and the slices are added in order, element by element, so one
/// process and K replicas give the same bits; the layers' running statistics are the first slice's.
/// </summary>
internal sealed class SlicedBackpropagation
{
    private readonly Network _network;
    private readonly TrainingWorkspace _workspace;
    private readonly IGradientReducer? _reducer;
    private readonly int _slices;
    private readonly int _firstSlice;
    private readonly int _lastSlice;

    /// <summary>The weighted sum of the slices' gradients.</summary>
    private readonly float[] _sum;

    /// <summary>The first slice's running statistics.</summary>
    private readonly float[] _firstState;

    /// <summary>Slices <paramref name="slices"/> of every batch, all computed here; or, with <paramref name="reducer"/>, its rank's slice of its replicas'.</summary>
    public SlicedBackpropagation(Network network, TrainingWorkspace workspace, int slices, IGradientReducer? reducer)
    {
        _network = network;
        _workspace = workspace;
        _reducer = reducer;
        _slices = reducer?.Replicas ?? slices;
        _firstSlice = reducer?.Rank ?? 0;
        _lastSlice = reducer?.Rank ?? slices - 1;
        _sum = new float[network.Parameters.Length];
        _firstState = new float[network.State.Length];
    }

    /// <summary>A layer that needs several rows in a batch (batch normalization) needs them in every slice of every batch.</summary>
    public static void CheckRows(Network network, TrainingOptions options, int trainRows, int batchSize, int slices)
    {
        int lastRows = trainRows % batchSize == 0 ? batchSize : trainRows % batchSize;
        int fewest = Math.Min(batchSize / slices, lastRows / slices);
        Layer? needsRows = network.Layers.FirstOrDefault(l => l.MinimumTrainingRows > 1 && fewest < l.MinimumTrainingRows);
        if (needsRows is not null)
        {
            throw new ArgumentException(
                Invariant($"Layer {needsRows.Name} ({needsRows.Kind}) needs at least {needsRows.MinimumTrainingRows} rows in every slice of a batch; with {trainRows} training rows, batch size {options.BatchSize} and {slices} slices a slice would have {fewest}. Choose a larger batch or fewer slices."),
                nameof(options));
        }
    }

    /// <summary>Model averaging's step: this replica's slice alone, as if it were the batch (its own mean loss and gradient).</summary>
    private double LocalSlice(GradientStep step, LossFunction loss, in StepSettings settings, in Pcg32 random)
    {
        int start = SliceStart(step.Rows, _slices, _firstSlice);
        int count = SliceStart(step.Rows, _slices, _firstSlice + 1) - start;
        var sliceRandom = SliceRandom(step, random, _firstSlice);
        if (count > 0)
        {
            return Backpropagation.Run(_network, _workspace, start, count, loss, settings, ref sliceRandom);
        }

        Array.Clear(_workspace.Gradients);
        _network.State.CopyTo(_workspace.NextState, 0);
        return 0;
    }

    /// <summary>
    /// Slice <paramref name="slice"/>'s generator for <paramref name="step"/>: seeded by the run's
    /// generator state and the step's epoch and batch, stream = slice. The run's generator is left as
    /// it is, so slicing keeps the epochs' order of samples.
    /// </summary>
    private static Pcg32 SliceRandom(GradientStep step, in Pcg32 random, int slice)
    {
        ulong position = ((ulong)(uint)step.Epoch << 32) | (uint)step.Batch;
        return new Pcg32(random.RawState.State ^ (position * 0x9E3779B97F4A7C15UL), (ulong)slice);
    }

    /// <summary>The first row of slice <paramref name="slice"/> of <paramref name="slices"/> of a batch of <paramref name="rows"/> rows (slice <paramref name="slices"/> gives <paramref name="rows"/>).</summary>
    public static int SliceStart(int rows, int slices, int slice) => (int)((long)slice * rows / slices);

    /// <summary>
    /// The step on the <c>step.Rows</c> rows of the workspace's input: each local slice's
    /// backward pass drawing from its own generator (stream = slice number, seeded by the state of
    /// <paramref name="random"/>, which is not moved, and the step's epoch and batch), the weighted sum into the workspace's gradients and the first
    /// slice's state into its next state, then the reducer's values. Returns the batch loss.
    /// </summary>
    public double Run(GradientStep step, LossFunction loss, in StepSettings settings, in Pcg32 random)
    {
        int rows = step.Rows;
        if (_reducer is { SumsGradients: false })
        {
            return LocalSlice(step, loss, settings, random);
        }

        double total = 0;
        float[] gradients = _workspace.Gradients;
        for (int k = _firstSlice; k <= _lastSlice; k++)
        {
            int start = SliceStart(rows, _slices, k);
            int count = SliceStart(rows, _slices, k + 1) - start;
            var sliceRandom = SliceRandom(step, random, k);
            double sliceLoss = 0;
            if (count > 0)
            {
                sliceLoss = Backpropagation.Run(_network, _workspace, start, count, loss, settings, ref sliceRandom);
            }
            else
            {
                // A short last batch may leave a slice without rows: it adds nothing and changes no statistic.
                Array.Clear(gradients);
                _network.State.CopyTo(_workspace.NextState, 0);
            }

            float share = (float)(count / (double)rows);
            double weighted = sliceLoss * (count / (double)rows);
            if (k == _firstSlice)
            {
                TensorPrimitives.Multiply(gradients, share, _sum);
                _workspace.NextState.CopyTo(_firstState, 0);
                total = weighted;
            }
            else
            {
                TensorPrimitives.Multiply(gradients, share, gradients);
                TensorPrimitives.Add(_sum, gradients, _sum);
                total += weighted;
            }
        }

        _sum.CopyTo(gradients, 0);
        _firstState.CopyTo(_workspace.NextState, 0);
        return _reducer is null ? total : _reducer.Reduce(step, gradients, _workspace.NextState, total);
    }
}

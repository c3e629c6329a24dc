namespace Autoencoder;

/// <summary>
/// The seam of data-parallel training between a step's backward pass and its optimizer step: each of
/// <see cref="Replicas"/> copies of one model computes the gradient of its own slice of every batch,
/// and the reducer turns those slices into the batch's gradient, the same on every replica, so every
/// replica applies the same optimizer step and the copies stay identical. Set it with
/// <see cref="TrainingOptions.GradientReducer"/>; without one (the default) a step's gradient is its
/// own batch's.
/// </summary>
/// <remarks>
/// <para>
/// Replica <see cref="Rank"/> computes slice <see cref="Rank"/> of each batch: the batch's rows cut into
/// <see cref="Replicas"/> contiguous slices, slice <c>k</c> holding rows <c>[k·rows/K, (k+1)·rows/K)</c>.
/// Its contribution is the gradient of that slice's loss already multiplied by the slice's share of
/// the batch (<c>sliceRows / rows</c>, a float product), so the batch's gradient is the plain sum of
/// the contributions. To give the same bits as <see cref="TrainingOptions.BatchSlices"/> in one
/// process, add them in rank order, element by element: <c>((c₀ + c₁) + c₂) + …</c>.
/// </para>
/// <para>
/// Layers' running statistics (batch normalization) are taken from replica 0, as PyTorch's
/// distributed data parallelism broadcasts its buffers: every replica's <c>state</c> must be replaced
/// with replica 0's. The reducer is called on the training thread once per step, and must return only
/// when the reduced values are in place; an exception it throws ends the run with the weights of the
/// last completed step.
/// </para>
/// </remarks>
public interface IGradientReducer
{
    /// <summary>How many replicas share each batch, one slice each; at least 1.</summary>
    int Replicas { get; }

    /// <summary>The slice this replica computes: from 0 to <see cref="Replicas"/> − 1.</summary>
    int Rank { get; }

    /// <summary>
    /// Replaces this replica's contribution with the batch's: <paramref name="gradients"/> (laid out
    /// like the model's parameter buffer) with the sum of every replica's in rank order,
    /// <paramref name="state"/> (the layers' running statistics after the step; empty for a model
    /// without any) with replica 0's, and returns the sum of the replicas' <paramref name="loss"/>
    /// values in rank order (each is its slice's loss times its share of the batch).
    /// </summary>
    /// <param name="step">Which step of the run this is, the same on every replica.</param>
    /// <param name="gradients">This replica's weighted slice gradient on entry; the batch's gradient on return.</param>
    /// <param name="state">This replica's running statistics on entry; replica 0's on return.</param>
    /// <param name="loss">This replica's weighted slice loss.</param>
    /// <returns>The batch's loss: the replicas' weighted losses added in rank order.</returns>
    double Reduce(GradientStep step, Span<float> gradients, Span<float> state, double loss);

    /// <summary>
    /// True (the default) for synchronous data parallelism: every step's gradient is the sum that
    /// <see cref="Reduce"/> returns. False for model averaging (local SGD): each replica steps on the
    /// gradient of its own slice (its mean loss, not weighted by its share), <see cref="Reduce"/> is
    /// not called, and <see cref="Synchronize"/> makes the replicas agree now and then.
    /// </summary>
    bool SumsGradients => true;

    /// <summary>
    /// Called after every optimizer step with this replica's live buffers: the new
    /// <paramref name="parameters"/>, the running statistics <paramref name="state"/> and the
    /// optimizer's per-parameter buffers (Adam's two moments, SGD's momentum buffer if any). Model
    /// averaging replaces them, every few steps, with the replicas' means. Does nothing by default.
    /// </summary>
    /// <param name="step">The step just taken, the same on every replica.</param>
    /// <param name="parameters">The model's parameters after the step.</param>
    /// <param name="state">The layers' running statistics after the step (empty for a model without any).</param>
    /// <param name="optimizerState">The optimizer's per-parameter buffers, each as long as <paramref name="parameters"/>.</param>
    void Synchronize(GradientStep step, Span<float> parameters, Span<float> state, IReadOnlyList<float[]> optimizerState)
    {
    }
}

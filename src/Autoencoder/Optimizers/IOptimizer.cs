using Autoencoder.Model;

namespace Autoencoder.Optimizers;

/// <summary>An optimizer over one flat parameter buffer; its state is sized once at creation.</summary>
internal interface IOptimizer
{
    /// <summary>The current learning rate (schedules may change it between steps).</summary>
    double LearningRate { get; set; }

    /// <summary>Number of steps taken so far (restored with the state).</summary>
    long Steps { get; }

    /// <summary>The live per-parameter state buffers (Adam: the two moments; SGD: the momentum buffer, if any), which model averaging replaces with the replicas' means.</summary>
    IReadOnlyList<float[]> Buffers { get; }

    /// <summary>
    /// Writes the optimizer's state to <paramref name="state"/> for a checkpoint (see
    /// <see cref="OptimizerState"/>): the step count and the per-parameter buffers (Adam:
    /// <c>optimizer.m</c>, <c>optimizer.v</c>; SGD with momentum: <c>optimizer.momentum</c>), the
    /// live arrays, which are read when the state is stored.
    /// </summary>
    void SaveState(NamedState state);

    /// <summary>
    /// Continues from the state <see cref="SaveState"/> wrote (already checked by
    /// <see cref="OptimizerState.Check"/>): it must hold exactly this optimizer's buffers, with values
    /// this optimizer can have written; they are copied into its own.
    /// </summary>
    /// <exception cref="ModelFormatException">The state holds other buffers, or values this optimizer never writes; nothing is restored.</exception>
    void RestoreState(NamedState state);

    /// <summary>
    /// One update: reads <paramref name="parameters"/> and <paramref name="gradients"/> (same
    /// length), writes the new parameters to <paramref name="updated"/> (the same memory as
    /// <paramref name="parameters"/>, or a buffer that does not overlap it) and rewrites the state
    /// in place; allocates nothing. Returns false when a new parameter or state value is NaN or
    /// infinite (as it is whenever a gradient is): the state is then spoiled and the optimizer must
    /// not be stepped again, while <paramref name="parameters"/>, when it is not
    /// <paramref name="updated"/>, still holds the weights from before the step.
    /// </summary>
    bool Step(ReadOnlySpan<float> parameters, Span<float> updated, ReadOnlySpan<float> gradients);

    /// <summary>The in-place form of <see cref="Step(ReadOnlySpan{float}, Span{float}, ReadOnlySpan{float})"/>.</summary>
    bool Step(Span<float> parameters, ReadOnlySpan<float> gradients);
}

namespace Autoencoder.Optimizers;

/// <summary>An optimizer over one flat parameter buffer; its state is sized once at creation.</summary>
internal interface IOptimizer
{
    /// <summary>The current learning rate (schedules may change it between steps).</summary>
    double LearningRate { get; set; }

    /// <summary>Number of steps taken so far (set when restoring a checkpoint).</summary>
    long Steps { get; set; }

    /// <summary>
    /// The optimizer's per-parameter state buffers by name (Adam: <c>optimizer.m</c>,
    /// <c>optimizer.v</c>; SGD with momentum: <c>optimizer.momentum</c>): the live arrays, which a
    /// checkpoint saves and a restore overwrites.
    /// </summary>
    IReadOnlyDictionary<string, float[]> State { get; }

    /// <summary>
    /// One update: reads <paramref name="gradients"/> (same length as <paramref name="parameters"/>)
    /// and overwrites <paramref name="parameters"/> in place; allocates nothing.
    /// </summary>
    void Step(Span<float> parameters, ReadOnlySpan<float> gradients);
}

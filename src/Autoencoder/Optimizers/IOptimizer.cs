namespace Autoencoder.Optimizers;

/// <summary>An optimizer over one flat parameter buffer; its state is sized once at creation.</summary>
internal interface IOptimizer
{
    /// <summary>The current learning rate (schedules may change it between steps).</summary>
    double LearningRate { get; set; }

    /// <summary>Number of steps taken so far.</summary>
    long Steps { get; }

    /// <summary>
    /// One update: reads <paramref name="gradients"/> (same length as <paramref name="parameters"/>)
    /// and overwrites <paramref name="parameters"/> in place; allocates nothing.
    /// </summary>
    void Step(Span<float> parameters, ReadOnlySpan<float> gradients);
}

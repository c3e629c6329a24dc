namespace Autoencoder.Layers;

/// <summary>
/// A training-only penalty on a layer's output <c>a</c> (row-major <c>rows × units</c>): the
/// backward pass adds its value to the batch loss and its gradient to <c>dA</c> before the layer's
/// own backward runs. Penalties of one layer apply in the order they were attached.
/// </summary>
internal abstract class OutputPenalty
{
    /// <summary>Returns the penalty of <paramref name="a"/> and adds its gradient to <paramref name="dA"/>; <paramref name="scratch"/> holds at least one double per unit.</summary>
    public abstract double Apply(ReadOnlySpan<float> a, int rows, Span<float> dA, Span<double> scratch);
}

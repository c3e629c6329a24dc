namespace Autoencoder;

/// <summary>One dense layer of a model, as built.</summary>
/// <param name="Inputs">Width of the layer's input.</param>
/// <param name="Units">Width of the layer's output.</param>
/// <param name="Activation">The activation applied to its output (after the normalization when the layer is batch-normalized).</param>
/// <param name="IsEncoder">True for encoder layers (the last of which produces the latent code), false for decoder layers.</param>
public sealed record LayerDescription(int Inputs, int Units, Activation Activation, bool IsEncoder)
{
    /// <summary>The layer's options (dropout, activity penalties, batch normalization).</summary>
    public LayerOptions Options { get; init; } = new();

    /// <summary>True for a tied decoder layer, which uses its mirror encoder layer's weights transposed and owns only its bias.</summary>
    public bool TransposedWeights { get; init; }
}

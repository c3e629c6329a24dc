namespace Autoencoder;

/// <summary>One layer of a model, as built.</summary>
/// <param name="Inputs">Width of the layer's input: values per sample.</param>
/// <param name="Units">Width of the layer's output: a dense layer's units (twice the latent size for a variational head), else the values per sample it outputs (height × width × channels for an image).</param>
/// <param name="Activation">The activation applied to its output (after the normalization when the layer is batch-normalized).</param>
/// <param name="IsEncoder">True for encoder layers (the last of which produces the latent code), false for decoder layers.</param>
public sealed record LayerDescription(int Inputs, int Units, Activation Activation, bool IsEncoder)
{
    /// <summary>The layer's options (dropout, activity penalties, batch normalization).</summary>
    public LayerOptions Options { get; init; } = new();

    /// <summary>What the layer computes: <c>dense</c>, <c>dense, tied</c>, <c>gaussian head</c>, <c>conv2d</c>, <c>conv2d_transpose</c>, <c>conv1d</c>, <c>max_pool2d</c>, <c>upsampling2d</c>, <c>flatten</c> or <c>reshape</c>.</summary>
    public string Kind { get; init; } = "dense";

    /// <summary>True for a tied decoder layer, which uses its mirror encoder layer's weights transposed and owns only its bias.</summary>
    public bool TransposedWeights { get; init; }
}

namespace Autoencoder.Model;

/// <summary>One dense layer of a <see cref="NetworkSpec"/>: its width, activation and training-time regularisation.</summary>
internal sealed record LayerSpec(int Units, Activation Activation, LayerOptions Options)
{
    public LayerSpec(int units, Activation activation)
        : this(units, activation, LayerOptions.None)
    {
    }
}

/// <summary>
/// Everything that defines a network's shape and training objective besides its weights: what
/// the builder collects and a model file stores.
/// </summary>
/// <param name="InputSize">Features per sample.</param>
/// <param name="Encoder">Encoder layers; the last is the latent layer (for a variational model, the latent size and an identity activation).</param>
/// <param name="Decoder">Decoder layers; the last is the output layer, as wide as the input.</param>
internal sealed record NetworkSpec(int InputSize, IReadOnlyList<LayerSpec> Encoder, IReadOnlyList<LayerSpec> Decoder)
{
    /// <summary>The latent layer is a Gaussian head (mean and log-variance) sampled during training.</summary>
    public bool Variational { get; init; }

    /// <summary>Decoder layer <c>j</c> uses the transposed weights of encoder layer <c>E − 1 − j</c>.</summary>
    public bool TiedWeights { get; init; }

    /// <summary>Target mean activation ρ of the latent units for the KL sparsity penalty; 0 when off.</summary>
    public double SparsityTarget { get; init; }

    /// <summary>Weight β of the KL sparsity penalty; 0 when off.</summary>
    public double SparsityWeight { get; init; }

    /// <summary>Weight λ of the contractive penalty <c>λ·‖∂h/∂x‖²_F</c>; 0 when off.</summary>
    public double ContractiveWeight { get; init; }
}

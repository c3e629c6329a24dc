using Autoencoder.Layers;

namespace Autoencoder.Model;

/// <summary>
/// One layer of a <see cref="NetworkSpec"/>: its kind, width (a dense layer's units, a
/// convolution's filters; 0 for kinds without either), activation, training-time regularisation,
/// and for convolutions, pooling, upsampling and reshapes their geometry.
/// </summary>
internal sealed record LayerSpec(int Units, Activation Activation, LayerOptions Options)
{
    public LayerSpec(int units, Activation activation)
        : this(units, activation, LayerOptions.None)
    {
    }

    /// <summary>What the layer computes.</summary>
    public LayerKind Kind { get; init; }

    /// <summary>Window height of a convolution or pooling, or the row factor of an upsampling.</summary>
    public int KernelHeight { get; init; } = 1;

    /// <summary>Window width of a convolution or pooling (a 1-D convolution's kernel size), or the column factor of an upsampling.</summary>
    public int KernelWidth { get; init; } = 1;

    /// <summary>Vertical stride of a convolution or pooling.</summary>
    public int StrideHeight { get; init; } = 1;

    /// <summary>Horizontal stride of a convolution or pooling.</summary>
    public int StrideWidth { get; init; } = 1;

    /// <summary>Border handling of a convolution or pooling.</summary>
    public Padding Padding { get; init; }

    /// <summary>A transposed convolution's output padding (rows, columns), or null for Keras' default.</summary>
    public (int Height, int Width)? OutputPadding { get; init; }

    /// <summary>The shape a reshape produces.</summary>
    public LayerShape Target { get; init; }

    /// <summary>True for the kinds that apply an activation of their own (dense and the convolutions).</summary>
    public bool HasActivation => Kind is LayerKind.Dense or LayerKind.Conv2D or LayerKind.Conv2DTranspose or LayerKind.Conv1D;
}

/// <summary>The kinds of layer a <see cref="LayerSpec"/> describes.</summary>
internal enum LayerKind : byte
{
    /// <summary>Fully connected.</summary>
    Dense,

    /// <summary>Two-dimensional convolution.</summary>
    Conv2D,

    /// <summary>Two-dimensional transposed convolution.</summary>
    Conv2DTranspose,

    /// <summary>One-dimensional convolution over a signal (an image of height 1).</summary>
    Conv1D,

    /// <summary>Two-dimensional max pooling.</summary>
    MaxPool2D,

    /// <summary>Nearest-neighbour upsampling.</summary>
    UpSampling2D,

    /// <summary>An image to a vector of the same values.</summary>
    Flatten,

    /// <summary>A vector or image to another shape of the same size.</summary>
    Reshape,
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

    /// <summary>The shape of one input sample: a vector of <see cref="InputSize"/> features unless the model takes images.</summary>
    public LayerShape InputShape { get; init; } = LayerShape.Vector(InputSize);

    /// <summary>
    /// True when the network is a list of layers of any kind (an image input, or any layer that is
    /// not dense): its decoder is explicit and its last layer is the output; model files describe it
    /// with format version 4.
    /// </summary>
    public bool Layered => !InputShape.IsVector || Encoder.Concat(Decoder).Any(l => l.Kind != LayerKind.Dense);

    /// <summary>The largest variational latent size: its head of twice the width must fit an int.</summary>
    public const int MaxVariationalLatent = int.MaxValue / 2;

    /// <summary>
    /// The most layers a network has, encoder and decoder together (latent and output layers
    /// included): the builder refuses more, and a model file's reader refuses a header declaring
    /// more before it reads the layers, which bounds every per-layer table and the tensor entries
    /// a header may hold (two per layer).
    /// </summary>
    public const int MaxLayers = 10_000;

    /// <summary>
    /// Each layer's shape as <see cref="Network"/> lays it out: input width, output width (twice the
    /// latent size for a variational head), and whether it is a tied decoder layer (bias only).
    /// </summary>
    public IEnumerable<(int Inputs, int Outputs, bool Tied)> LayerShapes()
    {
        // Call only on specs whose Problem() is null: the head's doubled width then fits an int.
        int inputs = InputSize;
        var all = Encoder.Concat(Decoder).ToArray();
        for (int index = 0; index < all.Length; index++)
        {
            bool head = Variational && index == Encoder.Count - 1;
            int outputs = head ? 2 * all[index].Units : all[index].Units;
            yield return (inputs, outputs, TiedWeights && index >= Encoder.Count);
            inputs = head ? all[index].Units : outputs;
        }
    }

    /// <summary>What makes this spec impossible to build, or null when it is consistent (checked for specs read from files).</summary>
    public string? Problem()
    {
        if (Variational && Encoder.Count > 0 && Encoder[^1].Units > MaxVariationalLatent)
        {
            return Invariant($"a variational latent layer has at most {MaxVariationalLatent} units (its head is twice as wide)");
        }

        if (InputShape.Size != InputSize)
        {
            return Invariant($"the input shape {InputShape} holds {InputShape.Size} values, not the {InputSize} of input_size");
        }

        if (Layered && (TiedWeights || ContractiveWeight > 0 || (Variational && Encoder[^1].Kind != LayerKind.Dense)))
        {
            return "tied weights and the contractive penalty need a network of dense layers only, and a variational latent layer is dense";
        }

        if (Encoder.Count == 0 || Decoder.Count == 0 || (!Layered && Decoder[^1].Units != InputSize))
        {
            return Invariant($"the network needs at least one encoder layer and a decoder ending in {InputSize} units");
        }

        if (Encoder.Count + Decoder.Count > MaxLayers)
        {
            return Invariant($"a network has at most {MaxLayers} layers; this one has {Encoder.Count + Decoder.Count}");
        }

        foreach (LayerSpec layer in Encoder.Concat(Decoder))
        {
            LayerOptions o = layer.Options;
            if (!(o.Dropout >= 0 && o.Dropout < 1) || !(o.ActivityL1 >= 0) || !(o.ActivityL2 >= 0) || double.IsInfinity(o.ActivityL1) || double.IsInfinity(o.ActivityL2))
            {
                return Invariant($"layer options must have dropout in [0, 1) and finite non-negative activity weights; got {o.Dropout}, {o.ActivityL1}, {o.ActivityL2}");
            }
        }

        if (Decoder[^1].Options != LayerOptions.None && Decoder[^1].Options != new LayerOptions())
        {
            return "the output layer cannot have layer options";
        }

        if (Variational && (TiedWeights || SparsityWeight > 0 || ContractiveWeight > 0 || Encoder[^1].Activation != Activation.Identity || Encoder[^1].Options != new LayerOptions()))
        {
            return "a variational latent layer has an identity activation, no layer options, and no tied weights, sparsity or contractive penalty";
        }

        if (TiedWeights)
        {
            var shapes = LayerShapes().ToArray();
            // As the builder makes them: the mirrored decoder, activations included, with no layer options.
            if (Decoder.Count != Encoder.Count
                || Enumerable.Range(0, Decoder.Count).Any(j => shapes[Encoder.Count + j].Outputs != shapes[Encoder.Count - 1 - j].Inputs)
                || Enumerable.Range(0, Decoder.Count - 1).Any(j => Decoder[j].Activation != Encoder[Encoder.Count - 2 - j].Activation)
                || Decoder.Any(l => l.Options != LayerOptions.None))
            {
                return "tied weights need the mirrored decoder (the encoder's hidden widths and activations in reverse, no layer options)";
            }
        }

        if (SparsityWeight > 0 != SparsityTarget > 0 || SparsityWeight < 0 || double.IsInfinity(SparsityWeight) || !(SparsityTarget >= 0 && SparsityTarget < 1)
            || (SparsityWeight > 0 && Encoder[^1].Activation != Activation.Sigmoid))
        {
            return "a sparsity penalty needs a target in (0, 1), a positive finite weight and a sigmoid latent layer";
        }

        if (!(ContractiveWeight >= 0) || double.IsInfinity(ContractiveWeight) || (ContractiveWeight > 0 && (Encoder.Count != 1 || Encoder[0].Options.BatchNormalization)))
        {
            return "a contractive penalty needs a positive finite weight and a one-layer encoder without batch normalization";
        }

        return null;
    }
}

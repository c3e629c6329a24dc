using Autoencoder.Layers;
using Autoencoder.Model;

namespace Autoencoder;

/// <summary>
/// Describes an autoencoder and builds it: encoder hidden layers, a latent layer, and a decoder.
/// A model of dense layers on feature vectors gets a decoder that mirrors the encoder unless decoder
/// layers are given, ending in an output layer as wide as the input. A model on images (see
/// <see cref="AutoencoderBuilder(int, int, int)"/>) or with any other kind of layer
/// (<see cref="LayerDefinition"/>: convolutions, pooling, upsampling, reshapes) is a plain list of
/// layers: its decoder is given layer by layer and its last layer is the output, which must have the
/// input's shape.
/// </summary>
/// <example>
/// <code>
/// AutoencoderModel model = new AutoencoderBuilder(inputSize: 784)
///     .AddEncoderLayer(128, Activation.Relu)
///     .WithLatent(32, Activation.Relu)
///     .WithOutputActivation(Activation.Sigmoid)
///     .WithSeed(42)
///     .Build();   // 784-128-32-128-784
/// </code>
/// </example>
public sealed partial class AutoencoderBuilder
{
    private readonly int _inputSize;
    private readonly LayerShape _inputShape;
    private bool _outputActivationSet;
    private readonly List<LayerSpec> _encoder = [];
    private readonly List<LayerSpec> _decoder = [];
    private LayerSpec? _latent;
    private bool _variational;
    private bool _tiedWeights;
    private double _sparsityTarget;
    private double _sparsityWeight;
    private double _contractiveWeight;
    private Activation _outputActivation = Activation.Identity;
    private WeightInitialization _initialization = WeightInitialization.GlorotUniform;
    private int? _seed;

    /// <summary>Starts a model for samples of <paramref name="inputSize"/> features.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputSize"/> is not positive.</exception>
    public AutoencoderBuilder(int inputSize)
    {
        Guard.Positive(inputSize);
        _inputSize = inputSize;
        _inputShape = LayerShape.Vector(inputSize);
    }

    /// <summary>
    /// Appends a hidden encoder layer of <paramref name="units"/> outputs (between the input and the
    /// latent layer), with optional dropout and activity penalties on its output.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is not positive, <paramref name="activation"/> is undefined, or an option is out of range.</exception>
    /// <exception cref="ArgumentException">The model would pass 10,000 layers (with its latent and output layers and the decoder layers added so far).</exception>
    public AutoencoderBuilder AddEncoderLayer(int units, Activation activation = Activation.Relu, LayerOptions? options = null)
    {
        LayerSpec layer = Layer(units, activation, options);
        CheckLayerCount(_encoder.Count + 1 + _decoder.Count + 2);
        _encoder.Add(layer);
        return this;
    }

    /// <summary>
    /// Sets the latent (code) layer: <paramref name="units"/> is the code size returned by
    /// <see cref="AutoencoderModel.Encode(MathNet.Numerics.LinearAlgebra.Matrix{float})"/>. Replaces
    /// an earlier <see cref="WithLatent(int, Activation, LayerOptions?)"/> or <see cref="WithVariationalLatent"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is not positive, <paramref name="activation"/> is undefined, or an option is out of range.</exception>
    public AutoencoderBuilder WithLatent(int units, Activation activation = Activation.Identity, LayerOptions? options = null)
    {
        _latent = Layer(units, activation, options);
        _variational = false;
        return this;
    }

    /// <summary>
    /// Makes the model a variational autoencoder with a latent space of <paramref name="units"/>
    /// dimensions: the encoder ends in two linear heads, the mean <c>μ</c> and the log-variance
    /// <c>log σ²</c> of a diagonal Gaussian <c>q(z|x)</c>; training samples <c>z = μ + σ·ε</c>,
    /// <c>ε ~ N(0, I)</c> (the reparameterisation trick) and minimises the negative evidence lower
    /// bound: the reconstruction term summed over features plus <see cref="TrainingOptions.KlWeight"/>
    /// times <c>KL(q(z|x) ‖ N(0, I))</c> summed over latent units, both averaged over samples. With
    /// binary cross-entropy the decoder is a Bernoulli likelihood; with mean squared error a Gaussian
    /// of unit variance (<c>½‖x − x̂‖² + (n/2)·ln 2π</c> per sample). <c>Encode</c> returns <c>μ</c>,
    /// <c>Reconstruct</c> decodes <c>μ</c>, and <see cref="AutoencoderModel.Generate"/> decodes draws from the prior.
    /// Replaces an earlier <see cref="WithLatent(int, Activation, LayerOptions?)"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is not positive, or above <c>int.MaxValue / 2</c>.</exception>
    public AutoencoderBuilder WithVariationalLatent(int units)
    {
        Guard.Positive(units);
        if (units > NetworkSpec.MaxVariationalLatent)
        {
            throw new ArgumentOutOfRangeException(nameof(units), Invariant($"{nameof(units)} must be at most {NetworkSpec.MaxVariationalLatent} (the head holds twice as many outputs); got {units}."));
        }

        _latent = new LayerSpec(units, Activation.Identity);
        _variational = true;
        return this;
    }

    /// <summary>
    /// Appends a hidden decoder layer (between the latent layer and the output). When none is added,
    /// the decoder mirrors the encoder's hidden layers in reverse order with their activations
    /// (not their <see cref="LayerOptions"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is not positive, <paramref name="activation"/> is undefined, or an option is out of range.</exception>
    /// <exception cref="ArgumentException">The model would pass 10,000 layers (with its latent and output layers and the encoder layers added so far).</exception>
    public AutoencoderBuilder AddDecoderLayer(int units, Activation activation = Activation.Relu, LayerOptions? options = null)
    {
        LayerSpec layer = Layer(units, activation, options);
        CheckLayerCount(_encoder.Count + _decoder.Count + 1 + 2);
        _decoder.Add(layer);
        return this;
    }

    /// <summary>
    /// Ties the decoder to the encoder: each decoder layer uses the transposed weight matrix of its
    /// mirror encoder layer (and has its own bias), halving the weights. Needs the mirrored decoder
    /// (no <see cref="AddDecoderLayer(int, Activation, LayerOptions?)"/>) and a non-variational latent layer.
    /// </summary>
    public AutoencoderBuilder WithTiedWeights(bool tied = true)
    {
        _tiedWeights = tied;
        return this;
    }

    /// <summary>
    /// Adds the KL-divergence sparsity penalty of sparse autoencoders on the latent layer:
    /// <c>weight · Σⱼ KL(ρ ‖ ρ̂ⱼ)</c>, where <c>ρ̂ⱼ</c> is latent unit <c>j</c>'s mean activation over the
    /// batch and <c>KL(ρ ‖ ρ̂) = ρ·ln(ρ/ρ̂) + (1 − ρ)·ln((1 − ρ)/(1 − ρ̂))</c>. Needs a
    /// <see cref="Activation.Sigmoid"/> latent layer, so that activations are in (0, 1).
    /// </summary>
    /// <param name="target">ρ, the desired mean activation, in (0, 1) (e.g. 0.05).</param>
    /// <param name="weight">β, positive and within float range.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public AutoencoderBuilder WithSparsity(double target, double weight)
    {
        if (!(target > 0 && target < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(target), Invariant($"{nameof(target)} must be in (0, 1); got {target}."));
        }

        Guard.PositiveFloat(weight);
        _sparsityTarget = target;
        _sparsityWeight = weight;
        return this;
    }

    /// <summary>
    /// Adds the contractive penalty <c>weight · ‖∂h/∂x‖²_F</c> (the squared Frobenius norm of the
    /// encoder's Jacobian, averaged over the batch), which makes codes insensitive to small input
    /// changes. It is computed exactly for an encoder of one layer (<c>h = f(x·W + b)</c>, the
    /// classic contractive autoencoder), so the model must have no hidden encoder layers.
    /// </summary>
    /// <param name="weight">λ, positive and within float range (e.g. 1e-4 to 1e-1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weight"/> is not positive or outside float range.</exception>
    public AutoencoderBuilder WithContractivePenalty(double weight)
    {
        Guard.PositiveFloat(weight);
        _contractiveWeight = weight;
        return this;
    }

    /// <summary>
    /// Sets the activation of the output layer. Default <see cref="Activation.Identity"/>; use
    /// <see cref="Activation.Sigmoid"/> for data in [0, 1], which also makes binary cross-entropy
    /// use its exact logit form.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="activation"/> is undefined.</exception>
    public AutoencoderBuilder WithOutputActivation(Activation activation)
    {
        Guard.Defined(activation);
        _outputActivation = activation;
        _outputActivationSet = true;
        return this;
    }

    /// <summary>Sets how weights are drawn. Default <see cref="WeightInitialization.GlorotUniform"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialization"/> is undefined.</exception>
    public AutoencoderBuilder WithInitialization(WeightInitialization initialization)
    {
        Guard.Defined(initialization);
        _initialization = initialization;
        return this;
    }

    /// <summary>
    /// Sets the seed of the model's random generator, which draws the initial weights and (unless
    /// <see cref="TrainingOptions.Seed"/> is given) the shuffling order: the same seed, data and
    /// options give bit-identical weights. Without it a random seed is chosen and exposed as
    /// <see cref="AutoencoderModel.Seed"/>.
    /// </summary>
    public AutoencoderBuilder WithSeed(int seed)
    {
        _seed = seed;
        return this;
    }

    /// <summary>Builds the model with freshly initialised weights.</summary>
    /// <exception cref="InvalidOperationException">
    /// No latent layer was set, or the options do not fit together (tied weights with an explicit
    /// decoder or a variational latent; sparsity without a sigmoid latent layer or with a variational
    /// one; a contractive penalty with hidden encoder layers, a variational latent or a batch-normalized latent layer).
    /// </exception>
    /// <exception cref="ArgumentException">
    /// The model has more than 10,000 layers (a mirrored decoder doubles the hidden encoder layers),
    /// or the layers hold more weights and biases than one float array can (<see cref="Array.MaxLength"/>).
    /// </exception>
    public AutoencoderModel Build()
    {
        if (_latent is not { } latent)
        {
            throw new InvalidOperationException(
                $"The latent layer is not set: call {nameof(WithLatent)}(units) or {nameof(WithVariationalLatent)}(units) before {nameof(Build)}().");
        }

        CheckCombination(latent);
        if (!_inputShape.IsVector || _encoder.Append(latent).Concat(_decoder).Any(l => l.Kind != LayerKind.Dense))
        {
            return BuildLayered(latent);
        }

        var encoder = new List<LayerSpec>(_encoder) { latent };
        var mirrored = Enumerable.Reverse(_encoder).Select(l => new LayerSpec(l.Units, l.Activation));
        var decoder = new List<LayerSpec>(_decoder.Count > 0 ? _decoder : mirrored)
        {
            new(_inputSize, _outputActivation),
        };
        CheckLayerCount(encoder.Count + decoder.Count, _decoder.Count > 0 ? "" : Invariant($" (the mirrored decoder repeats the {_encoder.Count:N0} hidden encoder layers)"));

        int seed = _seed ?? Random.Shared.Next();
        var spec = new NetworkSpec(_inputSize, encoder, decoder)
        {
            Variational = _variational,
            TiedWeights = _tiedWeights,
            SparsityTarget = _sparsityTarget,
            SparsityWeight = _sparsityWeight,
            ContractiveWeight = _contractiveWeight,
        };
        long parameters = spec.LayerShapes().Sum(l => (l.Tied ? 0L : (long)l.Inputs * l.Outputs) + l.Outputs)
            + encoder.Concat(decoder).Where(l => l.Options.BatchNormalization).Sum(l => 2L * l.Units); // γ and β (the running statistics, as many, are state)
        if (parameters > Array.MaxLength)
        {
            throw new ArgumentException(
                Invariant($"The layers given would hold {parameters:N0} weights and biases; a model holds at most {Array.MaxLength:N0} (one float array). Use narrower layers."));
        }

        var network = new Network(spec);
        var random = new Pcg32((ulong)(uint)seed, AutoencoderModel.InitializationStream);
        network.Initialize(_initialization, ref random);
        return new AutoencoderModel(network, seed);
    }

    /// <summary>Refuses a model of <paramref name="layers"/> layers when that passes <see cref="NetworkSpec.MaxLayers"/>.</summary>
    private static void CheckLayerCount(int layers, string how = "")
    {
        if (layers > NetworkSpec.MaxLayers)
        {
            throw new ArgumentException(Invariant(
                $"A model has at most {NetworkSpec.MaxLayers:N0} layers, encoder and decoder together (the latent and output layers included); this one would have {layers:N0}{how}."));
        }
    }

    private static LayerSpec Layer(int units, Activation activation, LayerOptions? options)
    {
        Guard.Positive(units);
        Guard.Defined(activation);
        options ??= LayerOptions.None;
        options.Validate("options");
        return new LayerSpec(units, activation, options);
    }

    private void CheckCombination(LayerSpec latent)
    {
        if (_tiedWeights && _decoder.Count > 0)
        {
            throw new InvalidOperationException(
                Invariant($"Tied weights need the mirrored decoder; got {_decoder.Count} explicit decoder layer(s). Remove the {nameof(AddDecoderLayer)} calls or the {nameof(WithTiedWeights)} call."));
        }

        if (_variational && (_tiedWeights || _sparsityWeight > 0 || _contractiveWeight > 0))
        {
            string what = _tiedWeights ? "tied weights" : _sparsityWeight > 0 ? "a sparsity penalty" : "a contractive penalty";
            throw new InvalidOperationException(Invariant($"A variational latent layer cannot be combined with {what}; its KL term already regularises the code."));
        }

        if (_sparsityWeight > 0 && latent.Activation != Activation.Sigmoid)
        {
            throw new InvalidOperationException(
                Invariant($"The sparsity penalty needs a sigmoid latent layer (activations in (0, 1)); got {latent.Activation}. Use {nameof(WithLatent)}(units, Activation.Sigmoid)."));
        }

        if (_contractiveWeight > 0 && _encoder.Count > 0)
        {
            throw new InvalidOperationException(
                Invariant($"The contractive penalty is computed exactly for a one-layer encoder (input to latent); got {_encoder.Count} hidden encoder layer(s)."));
        }

        if (_contractiveWeight > 0 && latent.Options.BatchNormalization)
        {
            throw new InvalidOperationException(
                "The contractive penalty is computed for h = f(x·W + b); it cannot be combined with batch normalization of the latent layer.");
        }
    }
}

using Autoencoder.Model;

namespace Autoencoder;

/// <summary>
/// Describes an autoencoder and builds it: encoder hidden layers, a latent layer, and a decoder
/// that mirrors the encoder unless decoder layers are given, ending in an output layer as wide as
/// the input.
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
public sealed class AutoencoderBuilder
{
    private readonly int _inputSize;
    private readonly List<(int Units, Activation Activation)> _encoder = [];
    private readonly List<(int Units, Activation Activation)> _decoder = [];
    private (int Units, Activation Activation)? _latent;
    private Activation _outputActivation = Activation.Identity;
    private WeightInitialization _initialization = WeightInitialization.GlorotUniform;
    private int? _seed;

    /// <summary>Starts a model for samples of <paramref name="inputSize"/> features.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputSize"/> is not positive.</exception>
    public AutoencoderBuilder(int inputSize)
    {
        Guard.Positive(inputSize);
        _inputSize = inputSize;
    }

    /// <summary>Appends a hidden encoder layer of <paramref name="units"/> outputs (between the input and the latent layer).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is not positive or <paramref name="activation"/> is undefined.</exception>
    public AutoencoderBuilder AddEncoderLayer(int units, Activation activation = Activation.Relu)
    {
        Guard.Positive(units);
        Guard.Defined(activation);
        _encoder.Add((units, activation));
        return this;
    }

    /// <summary>Sets the latent (code) layer: <paramref name="units"/> is the code size returned by <see cref="AutoencoderModel.Encode(MathNet.Numerics.LinearAlgebra.Matrix{float})"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is not positive or <paramref name="activation"/> is undefined.</exception>
    public AutoencoderBuilder WithLatent(int units, Activation activation = Activation.Identity)
    {
        Guard.Positive(units);
        Guard.Defined(activation);
        _latent = (units, activation);
        return this;
    }

    /// <summary>
    /// Appends a hidden decoder layer (between the latent layer and the output). When none is added,
    /// the decoder mirrors the encoder's hidden layers in reverse order with their activations.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is not positive or <paramref name="activation"/> is undefined.</exception>
    public AutoencoderBuilder AddDecoderLayer(int units, Activation activation = Activation.Relu)
    {
        Guard.Positive(units);
        Guard.Defined(activation);
        _decoder.Add((units, activation));
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
    /// <exception cref="InvalidOperationException"><see cref="WithLatent"/> was not called.</exception>
    public AutoencoderModel Build()
    {
        if (_latent is not { } latent)
        {
            throw new InvalidOperationException(
                $"The latent layer is not set: call {nameof(WithLatent)}(units) before {nameof(Build)}().");
        }

        var encoder = new List<(int, Activation)>(_encoder) { latent };
        var decoder = new List<(int, Activation)>(_decoder.Count > 0 ? _decoder : Enumerable.Reverse(_encoder))
        {
            (_inputSize, _outputActivation),
        };

        int seed = _seed ?? Random.Shared.Next();
        var network = new Network(_inputSize, encoder, decoder);
        var random = new Pcg32((ulong)(uint)seed, AutoencoderModel.InitializationStream);
        network.Initialize(_initialization, ref random);
        return new AutoencoderModel(network, seed);
    }
}

using Autoencoder.Layers;
using Autoencoder.Model;

namespace Autoencoder;

// Models on images and with layers of any kind (LayerDefinition): a plain list of layers, the decoder explicit.
public sealed partial class AutoencoderBuilder
{
    /// <summary>
    /// Starts a model for images of <paramref name="channels"/> × <paramref name="height"/> ×
    /// <paramref name="width"/> values (a signal window for <see cref="LayerDefinition.Conv1D"/>:
    /// height 1, width = steps). A sample is one row of <c>height·width·channels</c> values in
    /// channels-last order (row-major height × width × channels, Keras' default); for one channel
    /// that is simply the pixels row by row. Layers are added as <see cref="LayerDefinition"/>s and
    /// the decoder is explicit.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive.</exception>
    /// <exception cref="ArgumentException">An image holds more than <see cref="int.MaxValue"/> values.</exception>
    public AutoencoderBuilder(int channels, int height, int width)
    {
        Guard.Positive(channels);
        Guard.Positive(height);
        Guard.Positive(width);
        _inputShape = LayerShape.Image(height, width, channels);
        _inputSize = _inputShape.Size;
    }

    /// <summary>
    /// Appends an encoder layer of any kind (between the input and the latent layer), e.g.
    /// <c>LayerDefinition.Conv2D(16, 3)</c> or <c>LayerDefinition.MaxPool2D(2)</c>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="layer"/> is null.</exception>
    /// <exception cref="ArgumentException">The model would pass 10,000 layers.</exception>
    public AutoencoderBuilder AddEncoderLayer(LayerDefinition layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        CheckLayerCount(_encoder.Count + 1 + _decoder.Count + 2);
        _encoder.Add(layer.Spec);
        return this;
    }

    /// <summary>
    /// Sets the latent layer to a layer of any kind: its output, flattened in channels-last order, is
    /// the code <see cref="AutoencoderModel.Encode(MathNet.Numerics.LinearAlgebra.Matrix{float})"/>
    /// returns and <see cref="AutoencoderModel.Decode(MathNet.Numerics.LinearAlgebra.Matrix{float})"/>
    /// starts from (e.g. a max pooling whose 8 × 4 × 4 output is a code of 128 values).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="layer"/> is null.</exception>
    public AutoencoderBuilder WithLatent(LayerDefinition layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _latent = layer.Spec;
        _variational = false;
        return this;
    }

    /// <summary>
    /// Appends a decoder layer of any kind (after the latent layer). In a model with any layer that
    /// is not dense, or on images, the last decoder layer is the output layer: it must give the
    /// input's shape (a convolution of as many filters as the input has channels, say).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="layer"/> is null.</exception>
    /// <exception cref="ArgumentException">The model would pass 10,000 layers.</exception>
    public AutoencoderBuilder AddDecoderLayer(LayerDefinition layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        CheckLayerCount(_encoder.Count + _decoder.Count + 1 + 2);
        _decoder.Add(layer.Spec);
        return this;
    }

    /// <summary>Builds a model that is a plain list of layers (see the type's remarks): no mirroring, the last decoder layer is the output.</summary>
    private AutoencoderModel BuildLayered(LayerSpec latent)
    {
        if (_decoder.Count == 0)
        {
            throw new InvalidOperationException(
                Invariant($"A model on images or with layers other than dense ones needs its decoder layer by layer ({nameof(AddDecoderLayer)}); none was given. Its last decoder layer is the output."));
        }

        if (_tiedWeights || _contractiveWeight > 0)
        {
            throw new InvalidOperationException(
                Invariant($"{(_tiedWeights ? "Tied weights" : "The contractive penalty")} needs a model of dense layers on feature vectors; this one is on {_inputShape} or has other layer kinds."));
        }

        var decoder = new List<LayerSpec>(_decoder);
        LayerSpec output = decoder[^1];
        if (_outputActivationSet && output.Activation != _outputActivation)
        {
            if (!output.HasActivation || output.Activation != Activation.Identity)
            {
                throw new InvalidOperationException(Invariant(
                    $"The output layer ({Serialization.LayerText.Format(output)}) is the last decoder layer; {nameof(WithOutputActivation)}({_outputActivation}) cannot set its activation. Give the activation to that layer instead."));
            }

            decoder[^1] = output with { Activation = _outputActivation };
        }

        if (decoder[^1].Options != LayerOptions.None && decoder[^1].Options != new LayerOptions())
        {
            throw new InvalidOperationException("The output layer (the last decoder layer) cannot have layer options.");
        }

        int seed = _seed ?? Random.Shared.Next();
        var spec = new NetworkSpec(_inputSize, [.. _encoder, latent], decoder)
        {
            InputShape = _inputShape,
            Variational = _variational,
            SparsityTarget = _sparsityTarget,
            SparsityWeight = _sparsityWeight,
        };
        if (spec.Problem() is { } problem)
        {
            throw new InvalidOperationException(Invariant($"The model cannot be built: {problem}."));
        }

        Network network;
        try
        {
            network = new Network(spec);
        }
        catch (OverflowException)
        {
            throw new ArgumentException(Invariant($"The layers given would hold more weights than a model holds (at most {Array.MaxLength:N0}, one float array). Use fewer filters or units."));
        }

        var random = new Pcg32((ulong)(uint)seed, AutoencoderModel.InitializationStream);
        network.Initialize(_initialization, ref random);
        return new AutoencoderModel(network, seed);
    }
}

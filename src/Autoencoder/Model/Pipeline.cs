using Autoencoder.Activations;
using Autoencoder.Layers;

namespace Autoencoder.Model;

/// <summary>
/// What a <see cref="NetworkSpec"/> compiles to, before any buffer is allocated: the steps in order,
/// each spec layer's main step and where its steps end, the end of the encoder, and the sizes of the
/// parameter and state buffers (each step placed in them). Each layer of the spec becomes its
/// kind's <see cref="Layer"/> (a dense one a <see cref="DenseLayer"/>, a <see cref="TiedDenseLayer"/>
/// in a tied decoder, a <see cref="GaussianHeadLayer"/> for a variational latent layer; any other
/// kind as <see cref="LayerFactory"/> says); with batch normalization a <see cref="BatchNormLayer"/>
/// and an <see cref="ActivationLayer"/> follow it (the layer then applies no activation), and with
/// dropout a <see cref="DropoutLayer"/> comes last.
/// </summary>
internal sealed record Pipeline(List<Layer> Layers, Layer[] Main, int[] Ends, int EncoderEnd, int ParameterCount, int StateCount, int MaxWidth)
{
    /// <summary>Compiles <paramref name="spec"/>.</summary>
    /// <exception cref="ArgumentException">A layer's geometry does not fit its input, a dense layer gets an image, or a layered network's output is not the input's shape.</exception>
    /// <exception cref="OverflowException">The layers hold more values than one buffer can.</exception>
    public static Pipeline Compile(NetworkSpec spec)
    {
        int encoderLayers = spec.Encoder.Count;
        int encoderEnd = 0;
        var all = spec.Encoder.Concat(spec.Decoder).ToArray();
        var pipeline = new List<Layer>(all.Sum(StepsOf));
        var main = new Layer[all.Length];
        var ends = new int[all.Length];
        LayerShape shape = spec.InputShape;
        for (int index = 0; index < all.Length; index++)
        {
            bool encoder = index < encoderLayers;
            LayerSpec layer = all[index];
            string name = encoder ? Invariant($"encoder.{index}") : Invariant($"decoder.{index - encoderLayers}");
            Activation own = layer.Options.BatchNormalization ? Activation.Identity : layer.Activation;
            Layer built;
            if (layer.Kind == LayerKind.Dense)
            {
                if (!shape.IsVector)
                {
                    throw new ArgumentException(Invariant(
                        $"Layer {name} (dense) needs a vector input; it gets {shape}. Put a flatten layer before it."));
                }

                built =
                    spec.Variational && index == encoderLayers - 1 ? new GaussianHeadLayer(name, shape.Size, layer.Units)
                    : spec.TiedWeights && !encoder ? new TiedDenseLayer(name, (DenseLayer)main[(2 * encoderLayers) - 1 - index], layer.Activation)
                    : new DenseLayer(name, shape.Size, layer.Units, own)
                    {
                        ContractiveWeight = index == 0 ? spec.ContractiveWeight : 0,
                    };
            }
            else
            {
                built = LayerFactory.Create(layer, name, shape, own);
            }

            main[index] = built;
            pipeline.Add(built);

            // Batch normalization goes between the layer's own computation and its activation (the layer then applies none).
            Layer last = built;
            if (layer.Options.BatchNormalization)
            {
                pipeline.Add(last = LayerFactory.BatchNorm(name + ".batch_norm", built.OutputShape));
                if (layer.Activation != Activation.Identity)
                {
                    pipeline.Add(last = new ActivationLayer(Invariant($"{name}.{ActivationFunctions.Name(layer.Activation)}"), last.OutputShape, layer.Activation));
                }
            }

            // Penalties act on the layer's output, before dropout.
            if (layer.Options.ActivityL1 > 0 || layer.Options.ActivityL2 > 0)
            {
                last.AddPenalty(new ActivityPenalty(layer.Options.ActivityL1, layer.Options.ActivityL2));
            }

            if (index == encoderLayers - 1 && spec.SparsityWeight > 0)
            {
                last.AddPenalty(new SparsityPenalty(spec.SparsityTarget, spec.SparsityWeight, last.OutputSize));
            }

            ends[index] = pipeline.Count;
            if (layer.Options.Dropout > 0 && index < all.Length - 1)
            {
                pipeline.Add(new DropoutLayer(name + ".dropout", last.OutputShape, layer.Options.Dropout));
            }

            if (index == encoderLayers - 1)
            {
                encoderEnd = pipeline.Count;
            }

            shape = built.OutputShape;
        }

        if (spec.Layered && (shape.Size != spec.InputSize || (!spec.InputShape.IsVector && shape != spec.InputShape)))
        {
            throw new ArgumentException(Invariant(
                $"The decoder's last layer must output the input's shape {spec.InputShape}; it outputs {shape}."));
        }

        long parameters = 0, state = 0;
        int maxWidth = spec.InputSize;
        foreach (Layer layer in pipeline)
        {
            if (parameters > Array.MaxLength || state > Array.MaxLength)
            {
                break; // refused below, before any offset could overflow
            }

            layer.Place((int)parameters, (int)state);
            parameters += layer.ParameterCount;
            state += layer.StateCount;
            maxWidth = Math.Max(maxWidth, layer.OutputSize);
            if (layer is DenseLayer d)
            {
                maxWidth = Math.Max(maxWidth, d.Outputs);
            }
        }

        if (parameters > Array.MaxLength || state > Array.MaxLength)
        {
            throw new OverflowException(Invariant($"The layers hold {parameters} parameters and {state} state values; one buffer holds at most {Array.MaxLength}."));
        }

        return new Pipeline(pipeline, main, ends, encoderEnd, (int)parameters, (int)state, maxWidth);
    }

    /// <summary>The most steps <paramref name="layer"/> compiles to (sizing the step list once, however long the spec).</summary>
    private static int StepsOf(LayerSpec layer) => 1 + (layer.Options.BatchNormalization ? 2 : 0) + (layer.Options.Dropout > 0 ? 1 : 0);
}

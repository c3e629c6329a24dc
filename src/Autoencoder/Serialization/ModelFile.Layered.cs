using System.Globalization;
using Autoencoder.Layers;
using Autoencoder.Model;

namespace Autoencoder.Serialization;

// Format version 4: networks of any layer kinds (LayerText), on vectors or images (input_shape).
internal static partial class ModelFile
{
    /// <summary>
    /// The architecture of a version-4 file: its layers' texts (see <see cref="LayerText"/>), the
    /// variant keys and options as in version 3, and the image shape when <see cref="InputShapeKey"/>
    /// is present. The layout of each layer's tensors comes from compiling the spec (layers only, no
    /// buffers), so every kind's weight shape is the one its layer declares.
    /// </summary>
    private static Architecture ReadLayeredArchitecture(Dictionary<string, string> metadata, Dictionary<string, ReadOnlyMemory<byte>> utf8Values, int version, int inputSize, int seed)
    {
        LayerShape inputShape = metadata.TryGetValue(InputShapeKey, out string? shapeText) ? ParseInputShape(shapeText, inputSize) : LayerShape.Vector(inputSize);
        List<LayerSpec> encoder = ParseLayers(metadata["encoder"], "encoder");
        List<LayerSpec> decoder = ParseLayers(metadata["decoder"], "decoder");
        NetworkSpec spec = ReadVariants(
            metadata,
            utf8Values,
            version,
            encoder.Count,
            decoder.Count,
            (i, options) => (i < encoder.Count ? encoder[i] : decoder[i - encoder.Count]) with { Options = options },
            inputShape);
        Pipeline pipeline;
        try
        {
            pipeline = Pipeline.Compile(spec);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException(Invariant($"The architecture is impossible: {e.Message}"), e);
        }
        catch (OverflowException e)
        {
            throw new ModelFormatException(Invariant($"The architecture declares more than {Array.MaxLength} parameters or state values, more than one buffer can hold."), e);
        }

        var layers = new LayerLayout[pipeline.Main.Length];
        long parameters = 0, state = 0;
        for (int l = 0; l < layers.Length; l++)
        {
            Layer main = pipeline.Main[l];
            LayerTensor[] tensors = main.Tensors.ToArray();
            int[] weight = tensors.Where(t => t.Name.EndsWith(".weight", StringComparison.Ordinal)).Select(t => t.Shape).FirstOrDefault() ?? [];
            long bias = tensors.Where(t => t.Name.EndsWith(".bias", StringComparison.Ordinal)).Sum(t => (long)t.Count);
            long norm = spec.Encoder.Concat(spec.Decoder).ElementAt(l).Options.BatchNormalization ? main.OutputShape.Channels : 0;
            layers[l] = new LayerLayout(WeightDimensions.Of(weight), bias, norm, parameters, state);
            if (main.ParameterOffset != parameters || main.ParameterCount != layers[l].OwnCount)
            {
                throw new InvalidOperationException(Invariant($"Layer {main.Name} keeps its {main.ParameterCount} values at {main.ParameterOffset}; its file layout says {layers[l].OwnCount} at {parameters}."));
            }

            parameters += layers[l].ParameterCount;
            state += layers[l].StateCount;
        }

        return new Architecture(spec, seed, parameters, state, layers);
    }

    /// <summary>Reads <c>{height}x{width}x{channels}</c> in canonical decimals, holding <paramref name="inputSize"/> values.</summary>
    private static LayerShape ParseInputShape(string text, int inputSize)
    {
        string[] parts = text.Split('x');
        var dimensions = new int[3];
        bool valid = parts.Length == 3;
        for (int i = 0; valid && i < 3; i++)
        {
            valid = int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out dimensions[i]) && dimensions[i] > 0
                && parts[i] == dimensions[i].ToString(CultureInfo.InvariantCulture);
        }

        if (!valid || (long)dimensions[0] * dimensions[1] * dimensions[2] != inputSize)
        {
            throw new ModelFormatException(Invariant(
                $"Metadata '{InputShapeKey}' must be height x width x channels in canonical decimals holding input_size = {inputSize} values; got '{TensorName.Shown(text)}'."));
        }

        return LayerShape.Image(dimensions[0], dimensions[1], dimensions[2]);
    }

    /// <summary>Reads a comma-separated list of layer texts (see <see cref="LayerText"/>).</summary>
    private static List<LayerSpec> ParseLayers(string text, string key)
    {
        var layers = new List<LayerSpec>();
        foreach (string part in text.Split(','))
        {
            layers.Add(LayerText.Parse(part) ?? throw new ModelFormatException(Invariant(
                $"Metadata '{key}' must be a comma-separated list of layers such as '128:relu', 'conv2d:16:3x3:1x1:same:relu' or 'max_pool2d:2x2:2x2:valid'; got '{TensorName.Shown(text)}'.")));
        }

        return layers;
    }
}

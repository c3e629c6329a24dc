using System.Text;
using Autoencoder.Layers;
using Autoencoder.Model;

namespace Autoencoder.Serialization;

// The 'pipeline' key of format version 3: the steps the architecture compiles to, in order.
internal static partial class ModelFile
{
    /// <summary>The metadata key listing the pipeline's steps (format version 3).</summary>
    public const string PipelineKey = "pipeline";

    /// <summary>
    /// The longest pipeline text one layer of the spec can give, its commas included: the dense step
    /// (<c>tied_dense:leaky_relu</c>, 21 characters), <c>batch_norm:{momentum}:{epsilon}</c> (at most
    /// 11 + 2 × 15 + 1), <c>activation:leaky_relu</c> (21) and <c>dropout:{rate}</c> (at most 8 + 24).
    /// </summary>
    private const int MaxPipelineTextPerLayer = 512;

    /// <summary>The most bytes one step's text has (see <see cref="MaxPipelineTextPerLayer"/>).</summary>
    private const int MaxStepTextLength = 192;

    /// <summary>The <see cref="PipelineKey"/> text of <paramref name="network"/>: its steps' texts, comma-separated.</summary>
    private static string PipelineText(Network network)
    {
        var text = new StringBuilder();
        Span<byte> step = stackalloc byte[MaxStepTextLength];
        Span<char> chars = stackalloc char[MaxStepTextLength];
        foreach (Layer layer in network.Layers)
        {
            int length = Encoding.ASCII.GetChars(step[..FormatStep(layer, step)], chars);
            text.Append(text.Length == 0 ? "" : ",").Append(chars[..length]);
        }

        return text.ToString();
    }

    /// <summary>
    /// Checks that <paramref name="utf8"/>, the file's <see cref="PipelineKey"/>, lists exactly the
    /// steps of <paramref name="network"/> (compiled from the file's architecture), step by step
    /// without decoding it or building the expected text.
    /// </summary>
    private static void CheckPipeline(ReadOnlySpan<byte> utf8, Network network)
    {
        Span<byte> expected = stackalloc byte[MaxStepTextLength];
        int step = 0;
        foreach (Range range in utf8.Split((byte)','))
        {
            if (step == network.Layers.Count)
            {
                throw new ModelFormatException(Invariant(
                    $"Metadata '{PipelineKey}' lists more than the {network.Layers.Count} steps the architecture compiles to; got '{TensorName.Shown(utf8)}'."));
            }

            int length = FormatStep(network.Layers[step], expected);
            if (!utf8[range].SequenceEqual(expected[..length]))
            {
                throw new ModelFormatException(Invariant(
                    $"Metadata '{PipelineKey}' must list the steps the architecture compiles to: step {step} ({network.Layers[step].Name}) is '{TensorName.Shown(expected[..length])}'; got '{TensorName.Shown(utf8[range])}'."));
            }

            step++;
        }

        if (step < network.Layers.Count)
        {
            string next = TensorName.Shown(expected[..FormatStep(network.Layers[step], expected)]);
            throw new ModelFormatException(Invariant(
                $"Metadata '{PipelineKey}' lists {step} steps; the architecture compiles to {network.Layers.Count} (the next is '{next}')."));
        }
    }

    /// <summary>
    /// Writes one step's text, ASCII, to <paramref name="destination"/> (at least
    /// <see cref="MaxStepTextLength"/> bytes) and returns its length: its kind, then what the kind
    /// computes with, as the layer writes it (<see cref="Layer.TryWriteFileToken"/>).
    /// </summary>
    private static int FormatStep(Layer layer, Span<byte> destination) =>
        layer.TryWriteFileToken(destination, out int written)
            ? written
            : throw new InvalidOperationException(Invariant($"The text of step {layer.Name} is longer than {destination.Length} bytes."));
}

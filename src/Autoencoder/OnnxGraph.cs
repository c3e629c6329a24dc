namespace Autoencoder;

/// <summary>
/// Which part of a model <see cref="AutoencoderModel.ExportOnnx(string, OnnxGraph)"/> writes. Every
/// graph takes one float32 input of shape <c>[batch, width]</c> (the batch dimension is dynamic,
/// named <c>batch</c>) and gives one float32 output of shape <c>[batch, width]</c>.
/// </summary>
public enum OnnxGraph
{
    /// <summary>The encoder: input <c>input</c> (<c>[batch, InputSize]</c>) to output <c>code</c> (<c>[batch, LatentSize]</c>).</summary>
    Encoder,

    /// <summary>The decoder: input <c>code</c> (<c>[batch, LatentSize]</c>) to output <c>reconstruction</c> (<c>[batch, InputSize]</c>).</summary>
    Decoder,

    /// <summary>The whole model: input <c>input</c> (<c>[batch, InputSize]</c>) to output <c>reconstruction</c> (<c>[batch, InputSize]</c>).</summary>
    Autoencoder,
}

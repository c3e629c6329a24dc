namespace Autoencoder;

/// <summary>How a convolution or pooling window treats the border of its input (Keras' <c>padding</c>).</summary>
public enum Padding
{
    /// <summary>
    /// No padding: windows lie wholly inside the input, so the output has
    /// <c>⌊(input − window) / stride⌋ + 1</c> positions along each axis.
    /// </summary>
    Valid,

    /// <summary>
    /// The input is padded so that the output has <c>⌈input / stride⌉</c> positions along each axis;
    /// the padding is split as evenly as it can be, the extra row or column going to the bottom or
    /// right (as in Keras and TensorFlow). Convolutions pad with zeros; max pooling ignores the padding.
    /// </summary>
    Same,
}

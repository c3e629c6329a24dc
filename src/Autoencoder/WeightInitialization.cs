namespace Autoencoder;

/// <summary>How a dense layer's weights are drawn; biases always start at zero.</summary>
public enum WeightInitialization
{
    /// <summary>
    /// Glorot (Xavier) uniform: <c>U(−a, a)</c> with <c>a = √(6 / (fanIn + fanOut))</c>. The Keras default.
    /// </summary>
    GlorotUniform,

    /// <summary>He (Kaiming) uniform: <c>U(−a, a)</c> with <c>a = √(6 / fanIn)</c>; suits the ReLU family.</summary>
    HeUniform,

    /// <summary>He (Kaiming) normal: <c>N(0, 2 / fanIn)</c>, not truncated; suits the ReLU family.</summary>
    HeNormal,
}

using Autoencoder.Layers;

namespace Autoencoder.Model;

/// <summary>
/// The registry of layer kinds: which <see cref="Layer"/> each <see cref="LayerKind"/> of a spec
/// compiles to. A new kind is one line here, its layer file, a builder factory and its text in
/// the model file (<c>Serialization/LayerText.cs</c>).
/// </summary>
internal static class LayerFactory
{
    /// <summary>
    /// The layer <paramref name="spec"/> (any kind but dense, which <see cref="Network"/> builds
    /// with its variants) compiles to, reading samples of <paramref name="input"/> and applying
    /// <paramref name="activation"/> where the kind has one.
    /// </summary>
    /// <exception cref="ArgumentException">The geometry does not fit <paramref name="input"/>.</exception>
    public static Layer Create(LayerSpec spec, string name, LayerShape input, Activation activation) => spec.Kind switch
    {
        LayerKind.Conv2D => new Conv2DLayer(name, input, spec.Units, spec.KernelHeight, spec.KernelWidth, spec.StrideHeight, spec.StrideWidth, spec.Padding, activation),
        LayerKind.Conv2DTranspose => new Conv2DTransposeLayer(
            name, input, spec.Units, spec.KernelHeight, spec.KernelWidth, spec.StrideHeight, spec.StrideWidth, spec.Padding, spec.OutputPadding?.Height, spec.OutputPadding?.Width, activation),
        LayerKind.Conv1D => new Conv1DLayer(name, input, spec.Units, spec.KernelWidth, spec.StrideWidth, spec.Padding, activation),
        LayerKind.MaxPool2D => new MaxPool2DLayer(name, input, spec.KernelHeight, spec.KernelWidth, spec.StrideHeight, spec.StrideWidth, spec.Padding),
        LayerKind.UpSampling2D => new UpSampling2DLayer(name, input, spec.KernelHeight, spec.KernelWidth),
        LayerKind.Flatten => new ReshapeLayer(name, input, LayerShape.Vector(input.Size)),
        LayerKind.Reshape => new ReshapeLayer(name, input, spec.Target),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), Invariant($"Layer {name}: kind {spec.Kind} is not a kind this library builds.")),
    };

    /// <summary>Batch normalization of a layer's output: per feature for a vector, per channel for an image.</summary>
    public static Layer BatchNorm(string name, LayerShape shape) => new BatchNormLayer(name, shape);
}

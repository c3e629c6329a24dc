namespace Autoencoder.Layers;

/// <summary>
/// One tensor of a layer as the model file stores it: its name (the layer's name, a dot, the
/// tensor's, e.g. <c>encoder.0.weight</c>), its shape, and where its values sit in the parameter
/// buffer (or, when <see cref="IsState"/>, the state buffer).
/// </summary>
internal readonly record struct LayerTensor(string Name, int[] Shape, int Offset, int Count, bool IsState = false);

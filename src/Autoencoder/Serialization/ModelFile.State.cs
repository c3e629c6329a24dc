namespace Autoencoder.Serialization;

// The values the reader checks once they are read: which tensor a value belongs to, and the running statistics' range.
internal static partial class ModelFile
{
    /// <summary>
    /// The tensor holding value <paramref name="index"/> of the data section (the parameter buffer,
    /// the state buffer, then the extras), and the index within it.
    /// </summary>
    private static (string Name, long Index) TensorAt(Architecture architecture, ExtraLayout[] extras, long index)
    {
        if (index >= architecture.ParameterCount + architecture.StateCount)
        {
            ExtraLayout extra = extras.Last(e => e.Offset <= index);
            return (extra.Name, index - extra.Offset);
        }

        for (int layer = 0; layer < architecture.Layers.Length; layer++)
        {
            LayerLayout layout = architecture.Layers[layer];
            for (var kind = LayerTensorKind.Weight; (int)kind < TensorName.KindsPerLayer; kind++)
            {
                long begin = architecture.DataBegin(layer, kind);
                if (layout.Has(kind) && index >= begin && index < begin + layout.Count(kind))
                {
                    return (architecture.TensorName(layer, kind), index - begin);
                }
            }
        }

        throw new InvalidOperationException(Invariant($"Value {index} of the network's {architecture.ParameterCount + architecture.StateCount} belongs to no tensor."));
    }

    /// <summary>Refuses a running variance below 0, which no training step writes (−0 is 0).</summary>
    private static void CheckRunningVariances(Architecture architecture, float[] state)
    {
        for (int layer = 0; layer < architecture.Layers.Length; layer++)
        {
            LayerLayout layout = architecture.Layers[layer];
            if (!layout.Has(LayerTensorKind.RunningVar))
            {
                continue;
            }

            ReadOnlySpan<float> variances = state.AsSpan((int)layout.Offset(LayerTensorKind.RunningVar), (int)layout.NormCount);
            for (int i = 0; i < variances.Length; i++)
            {
                if (variances[i] < 0)
                {
                    throw new ModelFormatException(Invariant(
                        $"Tensor '{architecture.TensorName(layer, LayerTensorKind.RunningVar)}' holds a negative variance ({variances[i]}) at index {i}; a running variance is at least 0."));
                }
            }
        }
    }
}

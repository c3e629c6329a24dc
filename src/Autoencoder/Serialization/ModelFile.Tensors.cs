using Autoencoder.Layers;
using Autoencoder.Model;

namespace Autoencoder.Serialization;

// The reader's check of the tensor entries against the layout the architecture and the schema give.
internal static partial class ModelFile
{
    /// <summary>An extra tensor present in the file: its name, shape, value count and first value's index in the data section.</summary>
    private sealed record ExtraLayout(string Name, long[] Shape, long Count, long Offset);

    /// <summary>The schema's extra tensors present in the file, with their shapes and places after the network's values.</summary>
    private static ExtraLayout[] ExtraTensors(ModelFileHeader header, ModelFileSchema schema, int version, Architecture architecture, Dictionary<string, string> metadata)
    {
        var layout = new List<ExtraLayout>();
        long offset = architecture.ParameterCount;
        var shape = new ModelShape(architecture.Spec.InputSize, (int)architecture.ParameterCount);
        for (int i = 0; i < schema.TensorNames.Count; i++)
        {
            if (!header.HasExtra(i))
            {
                continue;
            }

            string name = schema.TensorNames[i];
            if (version < 2)
            {
                throw new ModelFormatException(Invariant($"Header has an unexpected tensor '{name}'."));
            }

            long[] dimensions = schema.Tensors[name](shape, metadata).Select(d => (long)d).ToArray();
            long count = dimensions.Aggregate(1L, (a, b) => checked(a * b));
            layout.Add(new ExtraLayout(name, dimensions, count, offset));
            offset += count;
        }

        return layout.ToArray();
    }

    /// <summary>
    /// Checks every tensor entry against the architecture as the header is read, then that none is
    /// missing and that each sits where the writer puts it (which tiles the data section exactly).
    /// </summary>
    private static void CheckTensors(ModelFileHeader header, ModelFileSchema schema, Architecture architecture, ExtraLayout[] extras, long dataLength)
    {
        var layers = architecture.Layers;
        // Declared byte ranges, −1 until seen: per layer its weight and bias, then per extra.
        var begins = new long[(2 * layers.Length) + extras.Length];
        var ends = new long[begins.Length];
        Array.Fill(begins, -1);
        int extraIndex = 0;
        var extraSlots = new int[schema.TensorNames.Count];
        for (int i = 0; i < extraSlots.Length; i++)
        {
            extraSlots[i] = header.HasExtra(i) ? extraIndex++ : -1;
        }

        header.ReadTensors((name, shape, offsets) =>
        {
            int slot = Slot(name, architecture, extraSlots);
            if (slot < 0)
            {
                throw new ModelFormatException(Invariant($"Header has an unexpected tensor '{name.ToString(schema)}'."));
            }

            ReadOnlySpan<long> expected = ExpectedShape(slot, architecture, extras, stackalloc long[2]);
            if (!shape.SequenceEqual(expected) || offsets.Length != 2 || offsets[0] > offsets[1] || offsets[1] > dataLength
                || offsets[1] - offsets[0] != Count(expected) * sizeof(float))
            {
                throw EntryProblem(name.ToString(schema), shape, offsets, expected, dataLength);
            }
            begins[slot] = offsets[0];
            ends[slot] = offsets[1];
        });

        bool inPlace = true;
        long total = 0;
        for (int slot = 0; slot < begins.Length; slot++)
        {
            bool exists = slot >= 2 * layers.Length || slot % 2 == 1 || !layers[slot / 2].Tied;
            if (!exists)
            {
                continue;
            }

            if (begins[slot] < 0)
            {
                throw new ModelFormatException(Invariant($"Tensor '{SlotName(slot, architecture, extras)}' is missing from the header."));
            }

            long expectedBegin = ExpectedBegin(slot, architecture, extras) * sizeof(float);
            inPlace &= begins[slot] == expectedBegin;
            total += ends[slot] - begins[slot];
        }

        if (!inPlace || total != dataLength)
        {
            DiagnoseLayout(begins, ends, dataLength, architecture, extras);
        }
    }

    /// <summary>What is wrong with a tensor entry that is not as the architecture needs, in the order shape, offsets, size.</summary>
    private static ModelFormatException EntryProblem(string text, ReadOnlySpan<long> shape, ReadOnlySpan<long> offsets, ReadOnlySpan<long> expected, long dataLength)
    {
        if (!shape.SequenceEqual(expected))
        {
            return new ModelFormatException(Invariant($"Tensor '{text}' must have shape [{string.Join(", ", expected.ToArray())}]; got [{string.Join(", ", shape.ToArray())}]."));
        }

        if (offsets.Length != 2 || offsets[0] > offsets[1] || offsets[1] > dataLength)
        {
            return new ModelFormatException(Invariant(
                $"Tensor '{text}' must have data_offsets [begin, end] with begin ≤ end ≤ {dataLength} (the data section's size); got [{string.Join(", ", offsets.ToArray())}]."));
        }

        long bytes = Count(expected) * sizeof(float);
        return new ModelFormatException(Invariant(
            $"Tensor '{text}' of shape [{string.Join(", ", expected.ToArray())}] needs {bytes} bytes; its data_offsets [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]}."));
    }

    /// <summary>
    /// Says what is wrong with a layout that is not the writer's: an overlap, a gap, a data section
    /// of another length, or a tensor out of its place (sorting, so only for files already refused).
    /// </summary>
    private static void DiagnoseLayout(long[] begins, long[] ends, long dataLength, Architecture architecture, ExtraLayout[] extras)
    {
        var slots = Enumerable.Range(0, begins.Length).Where(s => begins[s] >= 0).OrderBy(s => begins[s]).ThenBy(s => ends[s]).ToArray();
        long position = 0;
        string previous = "the start of the data section";
        foreach (int slot in slots)
        {
            string name = SlotName(slot, architecture, extras);
            if (begins[slot] < position)
            {
                throw new ModelFormatException(Invariant($"Tensor '{name}' (bytes [{begins[slot]}, {ends[slot]})) overlaps {previous}, which ends at byte {position}."));
            }

            if (begins[slot] > position)
            {
                throw new ModelFormatException(Invariant($"The data section has a gap: bytes [{position}, {begins[slot]}) between {previous} and tensor '{name}' belong to no tensor."));
            }

            position = ends[slot];
            previous = Invariant($"tensor '{name}'");
        }

        if (position != dataLength)
        {
            throw new ModelFormatException(Invariant($"Data section holds {dataLength} bytes; the tensors cover {position}."));
        }

        foreach (int slot in slots)
        {
            long begin = ExpectedBegin(slot, architecture, extras) * sizeof(float);
            if (begins[slot] != begin)
            {
                long end = begin + (ends[slot] - begins[slot]);
                throw new ModelFormatException(Invariant(
                    $"Tensor '{SlotName(slot, architecture, extras)}' must occupy bytes [{begin}, {end}) of the data section; got [{begins[slot]}, {ends[slot]})."));
            }
        }
    }

    /// <summary>Where <paramref name="name"/>'s range is recorded, or −1 when the architecture has no such tensor.</summary>
    private static int Slot(TensorName name, Architecture architecture, int[] extraSlots)
    {
        if (name.IsExtra)
        {
            return extraSlots[name.Index] < 0 ? -1 : (2 * architecture.Layers.Length) + extraSlots[name.Index];
        }

        int encoderLayers = architecture.Spec.Encoder.Count;
        int count = name.Decoder ? architecture.Layers.Length - encoderLayers : encoderLayers;
        if (name.Index >= count)
        {
            return -1;
        }

        int layer = name.Decoder ? encoderLayers + name.Index : name.Index;
        return name.Weight && architecture.Layers[layer].Tied ? -1 : (2 * layer) + (name.Weight ? 0 : 1);
    }

    private static ReadOnlySpan<long> ExpectedShape(int slot, Architecture architecture, ExtraLayout[] extras, Span<long> buffer)
    {
        int networkSlots = 2 * architecture.Layers.Length;
        if (slot >= networkSlots)
        {
            return extras[slot - networkSlots].Shape;
        }

        var (inputs, outputs, _) = architecture.Layers[slot / 2];
        if (slot % 2 == 1)
        {
            buffer[0] = outputs;
            return buffer[..1];
        }

        buffer[0] = inputs;
        buffer[1] = outputs;
        return buffer;
    }

    /// <summary>The index of a slot's first value in the data section, as the writer lays it out.</summary>
    private static long ExpectedBegin(int slot, Architecture architecture, ExtraLayout[] extras)
    {
        int networkSlots = 2 * architecture.Layers.Length;
        if (slot >= networkSlots)
        {
            return extras[slot - networkSlots].Offset;
        }

        var (inputs, outputs, tied) = architecture.Layers[slot / 2];
        long start = architecture.LayerOffsets[slot / 2];
        return slot % 2 == 0 || tied ? start : start + ((long)inputs * outputs);
    }

    private static string SlotName(int slot, Architecture architecture, ExtraLayout[] extras)
    {
        int networkSlots = 2 * architecture.Layers.Length;
        if (slot >= networkSlots)
        {
            return extras[slot - networkSlots].Name;
        }

        int layer = slot / 2, encoderLayers = architecture.Spec.Encoder.Count;
        string prefix = layer < encoderLayers ? Invariant($"encoder.{layer}") : Invariant($"decoder.{layer - encoderLayers}");
        return prefix + (slot % 2 == 0 ? ".weight" : ".bias");
    }

    private static long Count(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (long d in shape)
        {
            count *= d;
        }

        return count;
    }

    /// <summary>The tensor holding value <paramref name="index"/> of the data section, and the index within it.</summary>
    private static (string Name, long Index) TensorAt(Network network, ExtraLayout[] extras, long parameters, long index)
    {
        if (index >= parameters)
        {
            ExtraLayout extra = extras.Last(e => e.Offset <= index);
            return (extra.Name, index - extra.Offset);
        }

        foreach (LayerTensor tensor in network.Layers.SelectMany(l => l.Tensors))
        {
            if (index >= tensor.Offset && index < tensor.Offset + (long)tensor.Count)
            {
                return (tensor.Name, index - tensor.Offset);
            }
        }

        throw new InvalidOperationException("Every parameter belongs to a layer.");
    }
}

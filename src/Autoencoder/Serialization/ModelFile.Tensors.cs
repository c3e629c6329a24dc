namespace Autoencoder.Serialization;

// The reader's check of the tensor entries against the layout the architecture and the schema give.
internal static partial class ModelFile
{
    /// <summary>The most dimensions a layer's weight tensor has (a 2-D convolution's <c>[kh, kw, in, out]</c>).</summary>
    private const int MaxWeightRank = 4;

    /// <summary>An extra tensor present in the file: its name, shape, value count and first value's index in the data section.</summary>
    private sealed record ExtraLayout(string Name, long[] Shape, long Count, long Offset);

    /// <summary>The schema's extra tensors present in the file, with their shapes and places after the network's values.</summary>
    private static ExtraLayout[] ExtraTensors(ModelFileHeader header, ModelFileSchema schema, int version, Architecture architecture, Dictionary<string, string> metadata)
    {
        var layout = new List<ExtraLayout>();
        long offset = architecture.ParameterCount + architecture.StateCount;
        var shape = new ModelShape(architecture.Spec.InputSize, (int)architecture.ParameterCount, (int)architecture.StateCount);
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
    /// Each tensor has a slot: <see cref="TensorName.KindsPerLayer"/> per layer (one per
    /// <see cref="LayerTensorKind"/>, whether or not the layer has it), then one per extra present.
    /// </summary>
    private static void CheckTensors(ModelFileHeader header, ModelFileSchema schema, Architecture architecture, ExtraLayout[] extras, long dataLength)
    {
        // Where each declared byte range begins, −1 until seen; it ends ExpectedBytes later, as checked.
        var begins = new long[NetworkSlots(architecture) + extras.Length];
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

            ReadOnlySpan<long> expected = ExpectedShape(slot, architecture, extras, stackalloc long[MaxWeightRank]);
            if (!shape.SequenceEqual(expected) || offsets.Length != 2 || offsets[0] > offsets[1] || offsets[1] > dataLength
                || offsets[1] - offsets[0] != Count(expected) * sizeof(float))
            {
                throw EntryProblem(name.ToString(schema), shape, offsets, expected, dataLength);
            }
            begins[slot] = offsets[0];
        });

        bool inPlace = true;
        long total = 0;
        for (int slot = 0; slot < begins.Length; slot++)
        {
            if (!Exists(slot, architecture))
            {
                continue;
            }

            if (begins[slot] < 0)
            {
                throw new ModelFormatException(Invariant($"Tensor '{SlotName(slot, architecture, extras)}' is missing from the header."));
            }

            long expectedBegin = ExpectedBegin(slot, architecture, extras) * sizeof(float);
            inPlace &= begins[slot] == expectedBegin;
            total += ExpectedBytes(slot, architecture, extras);
        }

        if (!inPlace || total != dataLength)
        {
            DiagnoseLayout(begins, dataLength, architecture, extras);
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
    private static void DiagnoseLayout(long[] begins, long dataLength, Architecture architecture, ExtraLayout[] extras)
    {
        long[] ends = begins.Select((begin, s) => begin < 0 ? -1 : begin + ExpectedBytes(s, architecture, extras)).ToArray();
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

    /// <summary>The slots of the network's tensors: <see cref="TensorName.KindsPerLayer"/> per layer; the extras' follow.</summary>
    private static int NetworkSlots(Architecture architecture) => TensorName.KindsPerLayer * architecture.Layers.Length;

    /// <summary>The layer (over both stacks) and the tensor of network slot <paramref name="slot"/>.</summary>
    private static (int Layer, LayerTensorKind Kind) OfSlot(int slot) =>
        (slot / TensorName.KindsPerLayer, (LayerTensorKind)(slot % TensorName.KindsPerLayer));

    /// <summary>Whether the file must hold the tensor of <paramref name="slot"/>: every extra slot (one per extra present), and the network's tensors its layers have.</summary>
    private static bool Exists(int slot, Architecture architecture)
    {
        if (slot >= NetworkSlots(architecture))
        {
            return true;
        }

        var (layer, kind) = OfSlot(slot);
        return architecture.Layers[layer].Has(kind);
    }

    /// <summary>Where <paramref name="name"/>'s range is recorded, or −1 when the architecture has no such tensor.</summary>
    private static int Slot(TensorName name, Architecture architecture, int[] extraSlots)
    {
        if (name.IsExtra)
        {
            return extraSlots[name.Index] < 0 ? -1 : NetworkSlots(architecture) + extraSlots[name.Index];
        }

        int encoderLayers = architecture.Spec.Encoder.Count;
        int count = name.Decoder ? architecture.Layers.Length - encoderLayers : encoderLayers;
        if (name.Index >= count)
        {
            return -1;
        }

        int layer = name.Decoder ? encoderLayers + name.Index : name.Index;
        return architecture.Layers[layer].Has(name.Kind) ? (TensorName.KindsPerLayer * layer) + (int)name.Kind : -1;
    }

    /// <summary>The shape the tensor of <paramref name="slot"/> must have (in <paramref name="buffer"/> for a network tensor).</summary>
    private static ReadOnlySpan<long> ExpectedShape(int slot, Architecture architecture, ExtraLayout[] extras, Span<long> buffer)
    {
        int networkSlots = NetworkSlots(architecture);
        if (slot >= networkSlots)
        {
            return extras[slot - networkSlots].Shape;
        }

        var (layer, kind) = OfSlot(slot);
        return architecture.Layers[layer].Shape(kind, buffer);
    }

    /// <summary>The index of a slot's first value in the data section, as the writer lays it out.</summary>
    private static long ExpectedBegin(int slot, Architecture architecture, ExtraLayout[] extras)
    {
        int networkSlots = NetworkSlots(architecture);
        if (slot >= networkSlots)
        {
            return extras[slot - networkSlots].Offset;
        }

        var (layer, kind) = OfSlot(slot);
        return architecture.DataBegin(layer, kind);
    }

    /// <summary>The name of the tensor of <paramref name="slot"/>, for messages.</summary>
    private static string SlotName(int slot, Architecture architecture, ExtraLayout[] extras)
    {
        int networkSlots = NetworkSlots(architecture);
        if (slot >= networkSlots)
        {
            return extras[slot - networkSlots].Name;
        }

        var (layer, kind) = OfSlot(slot);
        return architecture.TensorName(layer, kind);
    }

    /// <summary>The bytes of a slot's tensor, as its expected shape gives.</summary>
    private static long ExpectedBytes(int slot, Architecture architecture, ExtraLayout[] extras) =>
        Count(ExpectedShape(slot, architecture, extras, stackalloc long[MaxWeightRank])) * sizeof(float);

    private static long Count(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (long d in shape)
        {
            count *= d;
        }

        return count;
    }
}

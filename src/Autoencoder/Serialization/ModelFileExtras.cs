using Autoencoder.Model;

namespace Autoencoder.Serialization;

/// <summary>
/// Named additions a model file can carry beside the network: metadata strings and float32
/// tensors (for example an input scaler's statistics or an anomaly threshold). The writer stores
/// them after the network's tensors; the reader returns those its <see cref="ModelFileSchema"/>
/// allows and rejects every other name.
/// </summary>
internal sealed class ModelFileExtras
{
    /// <summary>Extra <c>__metadata__</c> entries, by key.</summary>
    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Extra <c>__metadata__</c> entries of the schema's long keys (see <see cref="ModelFileSchema.LongMetadataKeys"/>)
    /// as a reader found them: their UTF-8 bytes, never decoded to text, since such a value may be as
    /// long as the header. The writer takes every value from <see cref="Metadata"/>.
    /// </summary>
    public Dictionary<string, ReadOnlyMemory<byte>> Utf8Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>Extra tensors, by name.</summary>
    public Dictionary<string, ExtraTensor> Tensors { get; } = new(StringComparer.Ordinal);

    public bool IsEmpty => Metadata.Count == 0 && Utf8Metadata.Count == 0 && Tensors.Count == 0;
}

/// <summary>A float32 tensor: its shape and its values in row-major order.</summary>
internal sealed record ExtraTensor(int[] Shape, float[] Values);

/// <summary>
/// What a schema's tensor shapes may depend on: the network's sizes (features per sample, trainable
/// parameters, non-trainable state values), known from the header before anything is allocated.
/// </summary>
internal readonly record struct ModelShape(int InputSize, int ParameterCount, int StateCount = 0);

/// <summary>
/// The extra metadata keys and tensor names a reader accepts, each tensor with its expected shape
/// given the sizes of the network read from the same file. Anything else in a file is a format error.
/// An extra metadata value holds at most <see cref="MaxValueLength"/> characters unless its key is
/// one of <see cref="LongMetadataKeys"/> (bounded by the header alone, and read as UTF-8 bytes,
/// never decoded: see <see cref="ModelFileExtras.Utf8Metadata"/>), so a reader decodes no more of a
/// value than the schema can use.
/// </summary>
internal sealed class ModelFileSchema
{
    /// <summary>The longest text an extra metadata key holds, unless the schema names it long.</summary>
    public const int MaxValueLength = 256;

    /// <summary>No extras: the network alone.</summary>
    public static readonly ModelFileSchema Core = new([], new Dictionary<string, Func<ModelShape, int[]>>());

    public ModelFileSchema(IEnumerable<string> metadataKeys, IReadOnlyDictionary<string, Func<ModelShape, int[]>> tensors)
        : this(metadataKeys, tensors.ToDictionary(t => t.Key, t => (Func<ModelShape, IReadOnlyDictionary<string, string>, int[]>)((shape, _) => t.Value(shape)), StringComparer.Ordinal))
    {
    }

    /// <summary>
    /// A schema whose tensor shapes may also depend on the file's metadata (read but not yet trusted:
    /// a shape function must throw <see cref="ModelFormatException"/> on a value it cannot use), and
    /// whose <paramref name="longMetadataKeys"/> (among <paramref name="metadataKeys"/>) may hold
    /// values longer than <see cref="MaxValueLength"/>.
    /// </summary>
    public ModelFileSchema(
        IEnumerable<string> metadataKeys,
        IReadOnlyDictionary<string, Func<ModelShape, IReadOnlyDictionary<string, string>, int[]>> tensors,
        IEnumerable<string>? longMetadataKeys = null)
    {
        MetadataKeys = new HashSet<string>(metadataKeys, StringComparer.Ordinal);
        foreach (string key in MetadataKeys)
        {
            ModelFile.CheckExtraMetadataKey(key, nameof(metadataKeys));
        }

        LongMetadataKeys = new HashSet<string>(longMetadataKeys ?? [], StringComparer.Ordinal);
        foreach (string key in LongMetadataKeys)
        {
            if (!MetadataKeys.Contains(key))
            {
                throw new ArgumentException(Invariant($"A long metadata key must be one of the schema's metadata keys; got '{key}'."), nameof(longMetadataKeys));
            }
        }

        foreach (string name in tensors.Keys)
        {
            ModelFile.CheckExtraTensorName(name, nameof(tensors));
        }

        Tensors = tensors;
        TensorNames = tensors.Keys.Order(StringComparer.Ordinal).ToArray();
        TensorNameBytes = TensorNames.Select(System.Text.Encoding.UTF8.GetBytes).ToArray();
    }

    public IReadOnlySet<string> MetadataKeys { get; }

    /// <summary>The metadata keys whose values may be longer than <see cref="MaxValueLength"/>.</summary>
    public IReadOnlySet<string> LongMetadataKeys { get; }

    public IReadOnlyDictionary<string, Func<ModelShape, IReadOnlyDictionary<string, string>, int[]>> Tensors { get; }

    /// <summary>The extra tensors' names in ordinal order, the order of their data in a file.</summary>
    public IReadOnlyList<string> TensorNames { get; }

    /// <summary><see cref="TensorNames"/> in UTF-8.</summary>
    public IReadOnlyList<byte[]> TensorNameBytes { get; }
}

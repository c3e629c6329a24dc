using System.Buffers;
using System.Text.Json;

namespace Autoencoder.Serialization;

internal static partial class ModelFile
{
    /// <summary>One tensor's header entry: its shape and the byte range of its data in the data section.</summary>
    private readonly record struct TensorHeader(int[] Shape, long Begin, long End);

    private static TensorHeader Tensor(int[] shape, long offset, long count) =>
        new(shape, offset * sizeof(float), (offset + count) * sizeof(float));

    /// <summary>
    /// The header's JSON: <c>__metadata__</c> (its entries in <paramref name="metadata"/>'s order), then each
    /// tensor as <c>{"dtype":"F32","shape":[…],"data_offsets":[begin,end]}</c> in <paramref name="tensors"/>'s
    /// order, compact, strings escaped by the default JavaScript encoder. Written token by token with
    /// <see cref="Utf8JsonWriter"/>, so no type is serialized by reflection and trimmed or Native AOT apps
    /// write the same bytes.
    /// </summary>
    private static byte[] HeaderJson(IReadOnlyDictionary<string, string> metadata, IReadOnlyDictionary<string, TensorHeader> tensors)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("__metadata__");
            foreach (var (key, value) in metadata)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            foreach (var (name, tensor) in tensors)
            {
                writer.WriteStartObject(name);
                writer.WriteString("dtype", "F32");
                writer.WriteStartArray("shape");
                foreach (int dimension in tensor.Shape)
                {
                    writer.WriteNumberValue(dimension);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(tensor.Begin);
                writer.WriteNumberValue(tensor.End);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}

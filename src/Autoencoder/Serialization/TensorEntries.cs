using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Autoencoder.Serialization;

/// <summary>
/// The tensor entries of a header, read in the same forward pass as its structure (see
/// <see cref="ModelFileHeader"/>) so that no byte of the header is tokenised twice, and kept as
/// rows of at most <see cref="MaxRowLongs"/> values: the name (packed into one value with the
/// row's sizes), the shape (at most <see cref="ModelFileHeader.MaxRank"/> dimensions) and the
/// data offsets (at most two), appended to fixed-size chunks that are never copied, so the
/// table costs what its rows hold and nothing more. The header caps how many entries there are
/// before any is recorded. What the structure shows wrong (a value that is not an object, a key a
/// tensor does not have, an array longer than its field can be) is refused at once; what is wrong
/// with an entry's values (a dtype other than F32, a key given twice, an item that is not a
/// non-negative integer, a missing field) is kept, the first such problem only, and thrown when
/// <see cref="ForEach"/> reaches that entry, after the metadata has been checked, as a reader
/// that checks each entry in turn would. Entries after it are scanned but not recorded.
/// </summary>
internal sealed class TensorEntries
{
    /// <summary>The most values an entry has: the shape, then the offsets.</summary>
    private const int Stride = ModelFileHeader.MaxRank + 2;

    /// <summary>The most values a row has: the packed name and sizes, then an entry's values.</summary>
    private const int MaxRowLongs = 1 + Stride;

    /// <summary>Values per chunk (64 KiB); a row never straddles two.</summary>
    private const int ChunkLongs = 1 << 13;

    /// <summary>Marks the end of a chunk's rows when a row did not fit after them (a packed row start is never negative).</summary>
    private const long EndOfChunk = -1;

    private readonly List<long[]> _chunks = [];
    private readonly long[] _entry = new long[Stride];
    private int _used = ChunkLongs; // of the last chunk: full before the first, so the first row adds one
    private int _rows;
    private ModelFormatException? _problem;

    /// <summary>Called for each tensor entry in file order, with its shape and data offsets as written (at most two offsets).</summary>
    public delegate void Handler(TensorName name, ReadOnlySpan<long> shape, ReadOnlySpan<long> offsets);

    /// <summary>Reads the value of the entry named <paramref name="name"/>; the reader is on its key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a load runs it for every entry or layer, before tiering would optimise it
    public void Read(ref Utf8JsonReader reader, TensorName name, ModelFileSchema schema, byte[] scratch)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ModelFormatException(Invariant($"Tensor '{name.ToString(schema)}' must be a JSON object; got {ModelFileHeader.Kind(reader.TokenType)}."));
        }

        ModelFormatException? problem = _problem; // once a problem is kept, later entries are only scanned
        bool? isF32 = null;
        string dtype = "";
        int rank = -1, count = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ReadOnlySpan<byte> field = ModelFileHeader.Unescaped(ref reader, scratch, "Header");
            bool isDtype = field.SequenceEqual("dtype"u8), isShape = field.SequenceEqual("shape"u8), isOffsets = field.SequenceEqual("data_offsets"u8);
            if (!isDtype && !isShape && !isOffsets)
            {
                throw ModelFileHeader.UnexpectedKey(name.ToString(schema), field);
            }

            string fieldName = isDtype ? "dtype" : isShape ? "shape" : "data_offsets";
            bool twice = (isDtype && isF32 is not null) || (isShape && rank >= 0) || (isOffsets && count >= 0);
            if (twice)
            {
                problem ??= new ModelFormatException(Invariant($"Tensor '{name.ToString(schema)}' has the key '{fieldName}' twice."));
            }

            reader.Read();
            if (isDtype)
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    problem ??= NoDtype(name, schema);
                    reader.Skip();
                }
                else if (!twice)
                {
                    isF32 = reader.ValueTextEquals("F32"u8);
                    dtype = isF32 is true ? "F32" : TensorName.Shown(reader.ValueSpan);
                }

                continue;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                problem ??= new ModelFormatException(Invariant($"Tensor '{name.ToString(schema)}' has no '{fieldName}' array."));
                reader.Skip();
                continue;
            }

            Span<long> destination = isShape ? _entry.AsSpan(0, ModelFileHeader.MaxRank) : _entry.AsSpan(ModelFileHeader.MaxRank, 2);
            int items = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (items == destination.Length)
                {
                    throw ModelFileHeader.TooManyItems(name.ToString(schema), fieldName);
                }

                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long value) && value >= 0)
                {
                    if (!twice)
                    {
                        destination[items] = value;
                    }
                }
                else
                {
                    problem ??= NotAnInteger(ref reader, name, schema, fieldName);
                    reader.Skip();
                }

                items++;
            }

            if (!twice)
            {
                (rank, count) = isShape ? (items, count) : (rank, items);
            }
        }

        problem ??= isF32 is null ? NoDtype(name, schema)
            : isF32 is false ? new ModelFormatException(Invariant($"Tensor '{name.ToString(schema)}' has dtype '{dtype}'; only F32 is supported."))
            : rank < 0 || count < 0 ? new ModelFormatException(Invariant($"Tensor '{name.ToString(schema)}' has no '{(rank < 0 ? "shape" : "data_offsets")}' array."))
            : null;
        if (_problem is not null)
        {
            return;
        }

        if (problem is not null)
        {
            _problem = problem;
            return;
        }

        int length = 1 + rank + count;
        if (_used + length > ChunkLongs)
        {
            if (_used < ChunkLongs)
            {
                _chunks[^1][_used] = EndOfChunk;
            }

            _chunks.Add(new long[ChunkLongs]);
            _used = 0;
        }

        Span<long> row = _chunks[^1].AsSpan(_used, length);
        row[0] = Pack(name, rank, count);
        _entry.AsSpan(0, rank).CopyTo(row[1..]);
        _entry.AsSpan(ModelFileHeader.MaxRank, count).CopyTo(row[(1 + rank)..]);
        _used += length;
        _rows++;
    }

    /// <summary>
    /// Calls <paramref name="handler"/> for each entry in file order (it may throw to stop), then
    /// throws the first problem found in an entry's values, which is where the recorded rows end.
    /// </summary>
    public void ForEach(Handler handler)
    {
        int chunk = 0, position = 0;
        for (int i = 0; i < _rows; i++)
        {
            if (position == ChunkLongs || _chunks[chunk][position] == EndOfChunk)
            {
                chunk++;
                position = 0;
            }

            long packed = _chunks[chunk][position];
            var (name, rank, count) = Unpack(packed);
            ReadOnlySpan<long> values = _chunks[chunk].AsSpan(position + 1, rank + count);
            handler(name, values[..rank], values[rank..]);
            position += 1 + rank + count;
        }

        if (_problem is not null)
        {
            throw _problem;
        }
    }

    private static ModelFormatException NoDtype(TensorName name, ModelFileSchema schema) =>
        new(Invariant($"Tensor '{name.ToString(schema)}' has no 'dtype' string."));

    private static ModelFormatException NotAnInteger(ref Utf8JsonReader reader, TensorName name, ModelFileSchema schema, string field)
    {
        string shown = reader.TokenType == JsonTokenType.Number ? TensorName.Shown(reader.ValueSpan) : Invariant($"a JSON {ModelFileHeader.Kind(reader.TokenType)}");
        return new ModelFormatException(Invariant($"Tensor '{name.ToString(schema)}' has a '{field}' entry that is not a non-negative integer: {shown}."));
    }

    /// <summary>
    /// A row's first value: the name's index (bits 0–31), kind (32–39), stack (40) and whether it is
    /// an extra (41), the shape's rank (48–55) and how many data offsets follow it (56–63; at most
    /// two, so the value is never negative).
    /// </summary>
    private static long Pack(TensorName name, int rank, int offsets) =>
        (uint)name.Index | ((long)name.Kind << 32) | (name.Decoder ? 1L << 40 : 0) | (name.IsExtra ? 1L << 41 : 0) | ((long)rank << 48) | ((long)offsets << 56);

    /// <summary>The name and sizes <see cref="Pack"/> put into a row's first value.</summary>
    private static (TensorName Name, int Rank, int Offsets) Unpack(long packed) =>
        (new TensorName((packed & (1L << 41)) != 0, (packed & (1L << 40)) != 0, (int)(uint)packed, (LayerTensorKind)(byte)(packed >> 32)),
         (int)((packed >> 48) & 0xFF), (int)((packed >> 56) & 0xFF));
}

using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Autoencoder.Data;

/// <summary>
/// An IDX file as rows: unsigned bytes (type 0x08, read as <c>b / 255</c>) or big-endian float32
/// (type 0x0D), the first dimension counting rows. Uncompressed files seek; gzip files stream.
/// </summary>
internal sealed class IdxFileSource : DataSource
{
    /// <summary>The IDX type code of big-endian float32 values.</summary>
    public const int FloatType = 0x0D;

    private const int ByteType = 0x08;

    private readonly string _path;
    private readonly bool _gzip;
    private readonly int _type;
    private readonly long _dataOffset;
    private readonly long _rows;
    private readonly string _identity;

    private IdxFileSource(string path, bool gzip, int type, long dataOffset, long rows, int columns, string identity)
        : base(columns)
    {
        _path = path;
        _gzip = gzip;
        _type = type;
        _dataOffset = dataOffset;
        _rows = rows;
        _identity = identity;
    }

    /// <inheritdoc/>
    public override long? RowCount => _rows;

    /// <inheritdoc/>
    internal override bool CanSeek => !_gzip;

    /// <inheritdoc/>
    internal override string Identity => _identity;

    private int ValueBytes => _type == ByteType ? 1 : 4;

    /// <summary>Opens <paramref name="path"/> and reads its header.</summary>
    public static IdxFileSource Open(string path)
    {
        InputFile.CheckExists(path, "an IDX file", Invariant($"IDX file not found: '{path}'."), nameof(path));
        string full = Path.GetFullPath(path);
        var info = new FileInfo(full);
        using FileStream file = File.OpenRead(full);
        Span<byte> start = stackalloc byte[2];
        bool gzip = file.ReadAtLeast(start, 2, throwOnEndOfStream: false) == 2 && start[0] == 0x1F && start[1] == 0x8B;
        file.Position = 0;
        using Stream content = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        (int type, int[] dimensions) = ReadHeader(content, full);
        long columns = 1;
        for (int d = 1; d < dimensions.Length; d++)
        {
            columns *= dimensions[d];
        }

        if (columns > Array.MaxLength / 4 || columns == 0)
        {
            throw new InvalidDataException(Invariant($"IDX file '{full}': a row must hold between 1 and {Array.MaxLength / 4} values; its dimensions give {columns}."));
        }

        long dataOffset = 4 + (4L * dimensions.Length);
        int valueBytes = type == ByteType ? 1 : 4;
        if (!gzip && info.Length < dataOffset + ((long)dimensions[0] * columns * valueBytes))
        {
            throw new InvalidDataException(Invariant(
                $"IDX file '{full}' is truncated: its header gives {dimensions[0]} rows of {columns} values ({dataOffset + ((long)dimensions[0] * columns * valueBytes)} bytes with the header), but it holds {info.Length} bytes."));
        }

        string identity = Invariant($"idx {full} {info.Length} bytes written {info.LastWriteTimeUtc.Ticks}");
        return new IdxFileSource(full, gzip, type, dataOffset, dimensions[0], (int)columns, identity);
    }

    /// <inheritdoc/>
    internal override RowReader OpenRows(long start, long count)
    {
        long first = Math.Min(start, _rows);
        long length = Math.Min(count, _rows - first);
        if (_gzip)
        {
            var stream = new Reader(this, new GZipStream(File.OpenRead(_path), CompressionMode.Decompress), handle: null, first, length);
            return stream;
        }

        return new Reader(this, stream: null, File.OpenHandle(_path, FileMode.Open, FileAccess.Read, FileShare.Read), first, length);
    }

    private static (int Type, int[] Dimensions) ReadHeader(Stream content, string path)
    {
        Span<byte> magic = stackalloc byte[4];
        if (content.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4 || magic[0] != 0 || magic[1] != 0
            || (magic[2] != ByteType && magic[2] != FloatType) || magic[3] < 2)
        {
            throw new InvalidDataException(Invariant(
                $"IDX file '{path}': expected a header of two zero bytes, the type 0x08 (unsigned bytes) or 0x0D (float32) and a rank of at least 2; got bytes {Convert.ToHexString(magic)}."));
        }

        var dimensions = new int[magic[3]];
        Span<byte> size = stackalloc byte[4];
        for (int d = 0; d < dimensions.Length; d++)
        {
            if (content.ReadAtLeast(size, 4, throwOnEndOfStream: false) < 4)
            {
                throw new InvalidDataException(Invariant($"IDX file '{path}': the header ends inside dimension {d} of {dimensions.Length}."));
            }

            uint value = BinaryPrimitives.ReadUInt32BigEndian(size);
            if (value > int.MaxValue)
            {
                throw new InvalidDataException(Invariant($"IDX file '{path}': dimension {d} is {value}; at most {int.MaxValue} is supported."));
            }

            dimensions[d] = (int)value;
        }

        return (magic[2], dimensions);
    }

    /// <summary>A pass over rows <c>[first, first + length)</c>, from a file handle (seeking) or a decompressing stream.</summary>
    private sealed class Reader : RowReader
    {
        private readonly IdxFileSource _source;
        private readonly Stream? _stream;
        private readonly SafeFileHandle? _handle;
        private readonly byte[] _bytes;
        private readonly long _end;
        private long _next;
        private bool _disposed;

        public Reader(IdxFileSource source, Stream? stream, SafeFileHandle? handle, long first, long length)
            : base(source.Columns)
        {
            _source = source;
            _stream = stream;
            _handle = handle;
            _end = first + length;
            int rowBytes = source.Columns * source.ValueBytes;
            // Pooled: a shuffled pass opens a reader per block.
            _bytes = ArrayPool<byte>.Shared.Rent((int)Math.Max(rowBytes, Math.Min((long)rowBytes * Math.Max(length, 1), 1 << 20) / rowBytes * rowBytes));
            if (stream is not null)
            {
                ReadHeader(stream, source._path);
                SkipStream((long)first * rowBytes);
            }

            _next = first;
        }

        public override int Read(Span<float> destination, int rows)
        {
            int rowBytes = Columns * _source.ValueBytes;
            int read = 0;
            while (read < rows && _next < _end)
            {
                // Float32 rows are read straight into the destination and byte-swapped there; bytes go through the buffer.
                bool direct = _source._type == FloatType;
                int take = (int)Math.Min(Math.Min(rows - read, direct ? int.MaxValue / rowBytes : _bytes.Length / rowBytes), _end - _next);
                Span<byte> bytes = direct
                    ? MemoryMarshal.AsBytes(destination.Slice(read * Columns, take * Columns))
                    : _bytes.AsSpan(0, take * rowBytes);
                int got = _handle is not null
                    ? RandomAccess.Read(_handle, bytes, _source._dataOffset + (_next * rowBytes))
                    : _stream!.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
                if (_handle is not null)
                {
                    while (got < bytes.Length)
                    {
                        int more = RandomAccess.Read(_handle, bytes[got..], _source._dataOffset + (_next * rowBytes) + got);
                        if (more == 0)
                        {
                            break;
                        }

                        got += more;
                    }
                }

                if (got < bytes.Length)
                {
                    throw new InvalidDataException(Invariant($"IDX file '{_source._path}' ended inside row {_next + (got / rowBytes)}; its header gives {_source._rows} rows."));
                }

                if (direct)
                {
                    Span<int> bits = MemoryMarshal.Cast<float, int>(destination.Slice(read * Columns, take * Columns));
                    BinaryPrimitives.ReverseEndianness(bits, bits);
                }
                else
                {
                    Convert(bytes, destination.Slice(read * Columns, take * Columns));
                }

                read += take;
                _next += take;
            }

            return read;
        }

        public override long Skip(long rows)
        {
            long take = Math.Min(rows, _end - _next);
            if (_stream is not null)
            {
                SkipStream(take * Columns * _source.ValueBytes);
            }

            _next += take;
            return take;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_disposed)
            {
                _disposed = true;
                _stream?.Dispose();
                _handle?.Dispose();
                ArrayPool<byte>.Shared.Return(_bytes);
            }
        }

        private void SkipStream(long bytes)
        {
            while (bytes > 0)
            {
                int got = _stream!.Read(_bytes, 0, (int)Math.Min(bytes, _bytes.Length));
                if (got == 0)
                {
                    throw new InvalidDataException(Invariant($"IDX file '{_source._path}' ended before row {_next}; its header gives {_source._rows} rows."));
                }

                bytes -= got;
            }
        }

        private static void Convert(ReadOnlySpan<byte> bytes, Span<float> values)
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = bytes[i] / 255f;
            }
        }
    }
}

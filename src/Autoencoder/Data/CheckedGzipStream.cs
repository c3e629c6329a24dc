using System.Buffers.Binary;
using System.IO.Compression;

namespace Autoencoder.Data;

/// <summary>
/// Decompresses one gzip member and, at its end, checks it against the member's 8-byte trailer
/// (the CRC-32 and the size modulo 2³² of the decompressed data) and that nothing follows it.
/// </summary>
/// <remarks>
/// .NET's <see cref="GZipStream"/> checks a trailer that is there, but returns the data without
/// complaint when the trailer is cut short or missing, and it ignores bytes after the data and
/// decodes concatenated members as one. Here the decompressed bytes get their own CRC-32, the
/// compressed input's last eight bytes are kept, and at the end of the data they must be exactly
/// the trailer those bytes call for, with the input ending right after it. So a truncated or
/// corrupted file, bytes after the gzip data and files of several members (allowed by the gzip
/// format, never used for IDX files, and refused rather than read in part) are all
/// <see cref="InvalidDataException"/>s. Disposing this stream leaves the source open.
/// </remarks>
internal sealed class CheckedGzipStream : ForwardOnlyStream
{
    private const int TrailerLength = 8;

    private readonly TailRecorder _source;
    private readonly GZipStream _gzip;
    private uint _crc = Crc32.Initial;
    private long _length;
    private bool _checked;

    /// <summary>Reads the gzip member that <paramref name="source"/> holds from its current position to its end.</summary>
    public CheckedGzipStream(Stream source)
    {
        _source = new TailRecorder(source);
        _gzip = new GZipStream(_source, CompressionMode.Decompress, leaveOpen: true);
    }

    /// <exception cref="InvalidDataException">The compressed data is corrupt, or at its end it does not match its trailer or is followed by more bytes.</exception>
    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        int read;
        try
        {
            read = _gzip.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            // GZipStream's own messages (a CRC-32 mismatch reads "unsupported compression method") need the context.
            throw new InvalidDataException(
                Invariant($"Corrupt gzip data after {_source.Total} compressed bytes: the compressed data, or the CRC-32 or size in its trailer, does not check out (the decompressor reports: {e.Message})"),
                e);
        }

        if (read > 0)
        {
            _crc = Crc32.Append(_crc, buffer[..read]);
            _length += read;
            return read;
        }

        if (!_checked)
        {
            CheckTrailer();
            _checked = true;
        }

        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
        }

        base.Dispose(disposing);
    }

    private void CheckTrailer()
    {
        uint crc = Crc32.Finish(_crc);
        uint size = unchecked((uint)_length);
        Span<byte> expected = stackalloc byte[TrailerLength];
        BinaryPrimitives.WriteUInt32LittleEndian(expected, crc);
        BinaryPrimitives.WriteUInt32LittleEndian(expected[4..], size);
        ReadOnlySpan<byte> found = _source.Tail;
        if (!found.SequenceEqual(expected))
        {
            string foundText = found.Length < TrailerLength
                ? Invariant($"it ends after {_source.Total} bytes")
                : Invariant($"its last 8 bytes hold CRC-32 0x{BinaryPrimitives.ReadUInt32LittleEndian(found):X8} and size {BinaryPrimitives.ReadUInt32LittleEndian(found[4..])}");
            throw new InvalidDataException(Invariant(
                $"Invalid gzip data: expected the {_source.Total}-byte input to be one gzip member ending with the 8-byte gzip trailer of its {_length} decompressed bytes (CRC-32 0x{crc:X8}, size {size}), but {foundText}: it is truncated or corrupted, has bytes after the gzip data, or holds more than one gzip member (not supported)."));
        }

        if (_source.ReadPastEnd())
        {
            throw new InvalidDataException(Invariant(
                $"Invalid gzip data: expected the input to end with the trailer of its gzip member after {_source.Total - 1} bytes, but more bytes follow."));
        }
    }

    /// <summary>Passes reads through and keeps the last eight bytes read and their total count.</summary>
    private sealed class TailRecorder(Stream inner) : ForwardOnlyStream
    {
        private readonly byte[] _tail = new byte[TrailerLength];
        private int _tailLength;

        public long Total { get; private set; }

        /// <summary>The last (up to) eight bytes read, oldest first.</summary>
        public ReadOnlySpan<byte> Tail => _tail.AsSpan(TrailerLength - _tailLength);

        /// <summary>Whether the source still has a byte (which is then counted).</summary>
        public bool ReadPastEnd()
        {
            Span<byte> one = stackalloc byte[1];
            return Read(one) > 0;
        }

        public override int Read(Span<byte> buffer)
        {
            int read = inner.Read(buffer);
            if (read > 0)
            {
                Total += read;
                Remember(buffer[..read]);
            }

            return read;
        }

        /// <summary>Shifts <paramref name="bytes"/> into the right end of the eight-byte window.</summary>
        private void Remember(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length >= TrailerLength)
            {
                bytes[^TrailerLength..].CopyTo(_tail);
                _tailLength = TrailerLength;
                return;
            }

            int keep = TrailerLength - bytes.Length;
            _tail.AsSpan(bytes.Length).CopyTo(_tail);
            bytes.CopyTo(_tail.AsSpan(keep));
            _tailLength = Math.Min(TrailerLength, _tailLength + bytes.Length);
        }
    }
}

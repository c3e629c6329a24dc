using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Autoencoder.Serialization;

/// <summary>
/// A model file's data section read from a stream in tensor order, never past the length the
/// header declares. When the stream's length is known (a file, a seekable stream) it has been
/// checked against the header already and the values go straight into their arrays; otherwise
/// (a pipe, a network stream) the bytes are staged as they arrive, in chunks that grow with
/// what was received, then one more byte is read to check that the stream ends there, so a
/// stream that stops early or never stops costs only what it sent, up to the declared length.
/// The bytes are hashed (SHA-256) and the first non-finite value noted as they are read.
/// </summary>
internal sealed class DataSection : IDisposable
{
    /// <summary>Values per read or staged chunk at most (1 GiB), so byte views of a span never overflow an int.</summary>
    private const int MaxChunkFloats = 1 << 28;

    /// <summary>The first staged chunk (64 KiB); each next one is twice as large, up to <see cref="MaxChunkFloats"/>.</summary>
    private const int FirstChunkFloats = 1 << 14;

    private readonly Stream _stream;
    private readonly long _floats;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly List<float[]>? _staged;
    private long _position;
    private int _chunk, _chunkOffset;

    /// <summary>Prepares to read <paramref name="bytes"/> bytes (a multiple of 4); without a known length, stages them all now.</summary>
    public DataSection(Stream stream, long bytes, bool lengthKnown)
    {
        _stream = stream;
        _floats = bytes / sizeof(float);
        if (!lengthKnown)
        {
            _staged = Stage();
        }
    }

    /// <summary>Index in the data section (in values) of the first NaN or infinity read, or −1.</summary>
    public long FirstNonFinite { get; private set; } = -1;

    public float NonFiniteValue { get; private set; }

    /// <summary>Fills <paramref name="destination"/> with the next values of the section.</summary>
    public void Read(Span<float> destination)
    {
        while (destination.Length > 0)
        {
            int count;
            if (_staged is null)
            {
                count = Math.Min(destination.Length, MaxChunkFloats);
                Fill(destination[..count]);
            }
            else
            {
                float[] chunk = _staged[_chunk];
                count = Math.Min(destination.Length, chunk.Length - _chunkOffset);
                chunk.AsSpan(_chunkOffset, count).CopyTo(destination);
                _chunkOffset += count;
                if (_chunkOffset == chunk.Length)
                {
                    _staged[_chunk++] = [];
                    _chunkOffset = 0;
                }
            }

            destination = destination[count..];
        }
    }

    /// <summary>SHA-256 of every byte read, in lower-case hex.</summary>
    public string Hash() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public void Dispose() => _hash.Dispose();

    private List<float[]> Stage()
    {
        var chunks = new List<float[]>();
        int size = FirstChunkFloats;
        for (long left = _floats; left > 0; left -= chunks[^1].Length)
        {
            var chunk = new float[(int)Math.Min(left, size)];
            Fill(chunk);
            chunks.Add(chunk);
            size = Math.Min(MaxChunkFloats, size * 2);
        }

        if (_stream.ReadByte() >= 0)
        {
            throw new ModelFormatException(Invariant(
                $"Data section holds more than {_floats * sizeof(float)} bytes; the tensors cover {_floats * sizeof(float)}, and a model file ends with its last tensor."));
        }

        return chunks;
    }

    /// <summary>Reads the next values from the stream: hashed as written (little-endian), then checked for NaN and infinity.</summary>
    private void Fill(Span<float> values)
    {
        Span<byte> bytes = MemoryMarshal.AsBytes(values);
        int read = _stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (read < bytes.Length)
        {
            throw new ModelFormatException(Invariant(
                $"Data section ends after {(_position * sizeof(float)) + read} bytes; the tensors declare {_floats * sizeof(float)}."));
        }

        _hash.AppendData(bytes);
        if (!BitConverter.IsLittleEndian)
        {
            Span<int> words = MemoryMarshal.Cast<float, int>(values);
            BinaryPrimitives.ReverseEndianness(words, words);
        }

        if (FirstNonFinite < 0)
        {
            // NaN and ±∞ have every exponent bit set: as ints, [0x7F800000, int.MaxValue] and [0xFF800000, −1].
            ReadOnlySpan<int> bits = MemoryMarshal.Cast<float, int>(values);
            int positive = bits.IndexOfAnyInRange(0x7F800000, int.MaxValue);
            int negative = bits.IndexOfAnyInRange(unchecked((int)0xFF800000), -1);
            int first = positive < 0 ? negative : negative < 0 ? positive : Math.Min(positive, negative);
            if (first >= 0)
            {
                FirstNonFinite = _position + first;
                NonFiniteValue = values[first];
            }
        }

        _position += values.Length;
    }
}

namespace Autoencoder.Data;

/// <summary>
/// Recognises gzip-compressed input by its content (the magic bytes <c>1F 8B</c>), not by a file
/// name, and hands back a stream of the decoded bytes: one gzip member, checked against its
/// trailer at its end (<see cref="CheckedGzipStream"/>).
/// </summary>
internal static class CompressedInput
{
    private const byte GzipMagic0 = 0x1F;
    private const byte GzipMagic1 = 0x8B;

    /// <summary>
    /// Returns a stream of the content of <paramref name="source"/> from its current position:
    /// decompressed when it starts with the gzip magic bytes, unchanged otherwise. Disposing the
    /// returned stream leaves <paramref name="source"/> open. Reading compressed content throws
    /// <see cref="InvalidDataException"/> when it is corrupt, does not end with a trailer that
    /// matches it, or is followed by more bytes.
    /// </summary>
    /// <param name="source">The stream to read; need not be seekable.</param>
    /// <param name="isGzip">Set to whether the content was recognised as gzip.</param>
    public static Stream Open(Stream source, out bool isGzip)
    {
        byte[] head = new byte[2];
        int read = source.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read < head.Length)
        {
            Array.Resize(ref head, read);
        }

        var replay = new PrefixedStream(head, source);
        isGzip = read == 2 && head[0] == GzipMagic0 && head[1] == GzipMagic1;
        return isGzip ? new CheckedGzipStream(replay) : replay;
    }
}

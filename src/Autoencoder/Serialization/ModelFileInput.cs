namespace Autoencoder.Serialization;

/// <summary>
/// Opens a file to read as a model file only once the path is known to name a regular file of a
/// size a model file can have. A missing file is a <see cref="FileNotFoundException"/>; a path
/// naming anything else (a directory, a FIFO, a device, a socket) or a file larger than the
/// format allows is a <see cref="ModelFormatException"/>, as for any other file that is not a
/// model file. On Linux the kind is read without opening the path, so a FIFO never blocks and a
/// device is never read; elsewhere directories are refused before opening and any other
/// non-regular file as soon as it is open and seen not to be seekable.
/// </summary>
internal static class ModelFileInput
{
    public static FileStream OpenRead(string path, long maxBytes)
    {
        switch (UnixFile.KindOf(path))
        {
            case UnixFile.Kind.Missing:
                throw Missing(path);
            case UnixFile.Kind.Regular:
            case UnixFile.Kind.Unknown when !Directory.Exists(path):
                break;
            case var kind:
                throw NotRegular(path, kind == UnixFile.Kind.Unknown ? UnixFile.Kind.Directory : kind);
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            throw Missing(path);
        }
        catch (DirectoryNotFoundException)
        {
            throw Missing(path);
        }

        try
        {
            if (!stream.CanSeek)
            {
                throw NotRegular(path, UnixFile.Kind.Unknown);
            }

            if (stream.Length > maxBytes)
            {
                throw new ModelFormatException(Invariant(
                    $"'{path}' is {stream.Length} bytes, more than any model file this reader accepts ({maxBytes} bytes: the 8-byte length, the largest header and every tensor at the most values one array holds)."));
            }

            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static FileNotFoundException Missing(string path) => new(Invariant($"No model file at '{path}'."), path);

    private static ModelFormatException NotRegular(string path, UnixFile.Kind kind)
    {
        string what = kind switch
        {
            UnixFile.Kind.Directory => "a directory",
            UnixFile.Kind.Fifo => "a FIFO (named pipe)",
            UnixFile.Kind.CharacterDevice => "a character device",
            UnixFile.Kind.BlockDevice => "a block device",
            UnixFile.Kind.Socket => "a socket",
            _ => "something other than a regular file",
        };
        return new ModelFormatException(Invariant($"'{path}' is {what}, not a model file: a model file is a regular file (to read from a pipe or a device, pass a Stream)."));
    }
}

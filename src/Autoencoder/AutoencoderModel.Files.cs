using Autoencoder.Serialization;

namespace Autoencoder;

public sealed partial class AutoencoderModel
{
    /// <summary>Writes the model (architecture and weights) to <paramref name="path"/>, replacing any file there.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="IOException">The file cannot be written (its folder is missing, or the disk is full); the message names <paramref name="path"/>.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or the file is not writable; the message names <paramref name="path"/>.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ModelFile.Save(this, path);
    }

    /// <summary>Writes the model (architecture and weights) to <paramref name="stream"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ModelFile.Write(this, stream);
    }

    /// <summary>Reads a model written by <see cref="Save(string)"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="ModelFormatException">
    /// <paramref name="path"/> names a directory, a FIFO, a device or a socket (refused before it is
    /// opened, so a FIFO never blocks; pass a <see cref="Stream"/> to read from one), or a file larger
    /// than a model file can be (refused before it is read); or the file is not a valid model file. The message says what is wrong.
    /// </exception>
    public static AutoencoderModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ModelFile.Load(path);
    }

    /// <summary>
    /// Reads a model written by <see cref="Save(Stream)"/>, reading no more than the file declares: its
    /// 8-byte header length, the header (at most 100 MiB), the data its tensors declare, then one byte
    /// more to check that the stream ends there. The stream must hold the one model file and nothing after it.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ModelFormatException">The data is not a valid model file, ends early, or goes on past the file's end; the message says what is wrong.</exception>
    /// <exception cref="IOException">Reading the stream failed.</exception>
    public static AutoencoderModel Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ModelFile.Read(stream);
    }
}

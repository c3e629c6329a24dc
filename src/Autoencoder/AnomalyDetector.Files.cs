namespace Autoencoder;

public sealed partial class AnomalyDetector
{
    /// <summary>
    /// Writes the detector to <paramref name="path"/>: the model's file with the score kind, the
    /// threshold (when set) and the scaler (when there is one) added, so the file carries
    /// everything needed to score elsewhere. Saved atomically, like <see cref="AutoencoderModel.Save(string)"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="IOException">The file cannot be written (its folder is missing, or the disk is full); the message names <paramref name="path"/>.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or the file is not writable; the message names <paramref name="path"/>.</exception>
    /// <exception cref="InvalidOperationException">The detector scores by a loss of your own, which no file can record.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Anomaly.DetectorFile.Save(this, path);
    }

    /// <summary>Writes the detector to <paramref name="stream"/> (see <see cref="Save(string)"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The detector scores by a loss of your own, which no file can record.</exception>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Anomaly.DetectorFile.Write(this, stream);
    }

    /// <summary>Reads a detector written by <see cref="Save(string)"/>: model, score kind, threshold and scaler.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="ModelFormatException">
    /// <paramref name="path"/> names a directory, a FIFO, a device or a socket (refused before it is
    /// opened, so a FIFO never blocks; pass a <see cref="Stream"/> to read from one), or a file larger
    /// than a model file can be (refused before it is read); or the file is not a valid detector file (a plain model file is not one). The message says what is wrong.
    /// </exception>
    public static AnomalyDetector Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Anomaly.DetectorFile.Load(path);
    }

    /// <summary>Reads a detector written by <see cref="Save(Stream)"/>, reading no more than the file declares (as <see cref="AutoencoderModel.Load(Stream)"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ModelFormatException">The data is not a valid detector file, ends early, or goes on past the file's end; the message says what is wrong.</exception>
    /// <exception cref="IOException">Reading the stream failed.</exception>
    public static AnomalyDetector Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Anomaly.DetectorFile.Read(stream);
    }
}

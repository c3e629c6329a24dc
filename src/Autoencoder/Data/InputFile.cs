namespace Autoencoder.Data;

/// <summary>The checks a reader makes on the path it is given before opening it.</summary>
internal static class InputFile
{
    /// <summary>
    /// Checks that <paramref name="path"/> names an existing file.
    /// </summary>
    /// <param name="path">The path given by the caller.</param>
    /// <param name="kind">What the file should hold, with its article (<c>"a CSV file"</c>), for the messages.</param>
    /// <param name="notFound">The message for a missing file.</param>
    /// <param name="parameterName">The caller's parameter, for the exceptions.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory.</exception>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    public static void CheckExists(string path, string kind, string notFound, string parameterName)
    {
        ArgumentException.ThrowIfNullOrEmpty(path, parameterName);
        if (Directory.Exists(path))
        {
            throw new ArgumentException(Invariant($"Expected {kind} but '{path}' is a directory."), parameterName);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException(notFound, path);
        }
    }
}

namespace Autoencoder.Serialization;

/// <summary>
/// Replaces a file all at once: writes a temporary file beside the target, flushes it to disk,
/// then renames it over the target, so a crash at any moment leaves either the old file or the new
/// one, never a torn mix. A crash can leave the temporary file (<c>.{name}.{guid}.tmp</c>) behind;
/// the next write to the same path deletes such orphans. The temporary file stays open until after
/// the rename, so a concurrent write to the same path never deletes a file still being written.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? ".";
        string name = Path.GetFileName(fullPath);
        DeleteOrphanedTemporaryFiles(directory, name);
        string temporary = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
        bool moved = false;
        try
        {
            // FileShare.Delete lets the rename happen while the file is open (Windows); on Unix the
            // open handle holds a shared lock that keeps DeleteOrphanedTemporaryFiles away.
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.Delete);
            write(stream);
            stream.Flush(flushToDisk: true);
            File.Move(temporary, fullPath, overwrite: true);
            moved = true;
        }
        finally
        {
            if (!moved)
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>The temporary files of writes to <paramref name="name"/> in <paramref name="directory"/>, finished or not.</summary>
    /// <remarks>
    /// Only names of exactly the form this class writes, <c>.{name}.</c> then 32 lower-case hex digits
    /// then <c>.tmp</c>, compared as text: other files, and wildcard characters in the name, never match.
    /// </remarks>
    public static string[] TemporaryFiles(string directory, string name)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        string prefix = $".{name}.";
        return Directory.EnumerateFiles(directory)
            .Where(path =>
            {
                string file = Path.GetFileName(path);
                return file.Length == prefix.Length + 32 + 4
                    && file.StartsWith(prefix, StringComparison.Ordinal)
                    && file.EndsWith(".tmp", StringComparison.Ordinal)
                    && file.AsSpan(prefix.Length, 32).ContainsAnyExcept("0123456789abcdef") is false;
            })
            .ToArray();
    }

    private static void DeleteOrphanedTemporaryFiles(string directory, string name)
    {
        foreach (string file in TemporaryFiles(directory, name))
        {
            try
            {
                // An exclusive open fails while a write still has the file open; DeleteOnClose then
                // removes the orphan on every platform.
                using var orphan = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                // In use by a running write, or already gone: leave it.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to delete.
            }
        }
    }
}

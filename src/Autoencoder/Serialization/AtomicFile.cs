namespace Autoencoder.Serialization;

/// <summary>
/// Replaces a file all at once: writes a temporary file beside the target, flushes it to disk,
/// renames it over the target, then flushes the folder (on Linux and macOS), so a crash at any
/// moment leaves either the old file or the new one, never a torn mix, and a completed save
/// survives a power cut. A path that is a symbolic link is written through: the link's final
/// target is replaced, in the target's folder, and the link stays. The new file keeps the
/// replaced file's permissions (Unix mode). A crash can leave the temporary file
/// (<c>.{name}.{guid}.tmp</c>) behind; the next write to the same path deletes such orphans. The
/// temporary file stays open until after the rename, so a concurrent write to the same path never
/// deletes a file still being written. An I/O failure names the path asked for.
/// </summary>
internal static class AtomicFile
{
    private static long _directorySyncs;

    /// <summary>Folder flushes completed since the process started (a count, to show the step runs).</summary>
    public static long DirectorySyncs => Interlocked.Read(ref _directorySyncs);

    public static void Write(string path, Action<Stream> write)
    {
        string target = Target(Path.GetFullPath(path));
        string directory = Path.GetDirectoryName(target) ?? ".";
        string name = Path.GetFileName(target);
        string temporary = Path.Combine(directory, Invariant($".{name}.{Guid.NewGuid():N}.tmp"));
        bool moved = false;
        try
        {
            DeleteOrphanedTemporaryFiles(directory, name);
            UnixFileMode? mode = !OperatingSystem.IsWindows() && File.Exists(target) ? File.GetUnixFileMode(target) : null;

            // FileShare.Delete lets the rename happen while the file is open (Windows); on Unix the
            // open handle holds a shared lock that keeps DeleteOrphanedTemporaryFiles away.
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.Delete);
            if (mode is UnixFileMode kept && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(stream.SafeFileHandle, kept);
            }

            write(stream);
            stream.Flush(flushToDisk: true);
            File.Move(temporary, target, overwrite: true);
            moved = true;
            if (UnixFile.SyncDirectory(directory))
            {
                Interlocked.Increment(ref _directorySyncs);
            }
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException(Failure(path, target, Invariant($"the folder '{directory}' or the file is not writable")), e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new DirectoryNotFoundException(Failure(path, target, Invariant($"the folder '{directory}' does not exist")), e);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new IOException(Failure(path, target, e.Message), e);
        }
        finally
        {
            if (!moved)
            {
                try
                {
                    File.Delete(temporary);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Never created (the folder is missing or not writable): nothing to remove.
                }
            }
        }
    }

    /// <summary>The file a write to <paramref name="fullPath"/> replaces: the final target when it is a symbolic link.</summary>
    private static string Target(string fullPath)
    {
        try
        {
            return new FileInfo(fullPath).LinkTarget is null ? fullPath : File.ResolveLinkTarget(fullPath, returnFinalTarget: true)?.FullName ?? fullPath;
        }
        catch (IOException)
        {
            return fullPath; // a link loop or an unreadable link: the write fails on the path itself
        }
    }

    private static string Failure(string path, string target, string reason) =>
        Invariant($"Cannot save '{path}'{(target == Path.GetFullPath(path) ? "" : $" (a link to '{target}')")}: {reason}.");

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

        string prefix = Invariant($".{name}.");
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

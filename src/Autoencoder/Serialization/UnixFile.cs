using System.Runtime.InteropServices;

namespace Autoencoder.Serialization;

/// <summary>
/// The two POSIX calls .NET has no API for, through the C library: what kind of file a path
/// names without opening it (<c>statx</c>, Linux only: opening a FIFO to look would block), and
/// flushing a folder's entries to disk (<c>open</c> read-only, <c>fsync</c>, <c>close</c>, on Linux
/// and macOS), which makes a rename inside it durable.
/// </summary>
internal static partial class UnixFile
{
    /// <summary>What a path names, as far as this platform can tell without opening it.</summary>
    public enum Kind
    {
        /// <summary>The platform cannot tell without opening the file.</summary>
        Unknown,
        Missing,
        Regular,
        Directory,
        Fifo,
        CharacterDevice,
        BlockDevice,
        Socket,
    }

    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int StatxSize = 256, StatxModeOffset = 28;
    private const int ENOENT = 2, ENOTDIR = 20, EBADF = 9, EINVAL = 22;

    /// <summary>EOPNOTSUPP: 95 on Linux, 102 on macOS.</summary>
    private static readonly int EOPNOTSUPP = OperatingSystem.IsMacOS() ? 102 : 95;

    /// <summary>The kind of file at <paramref name="path"/>, following symbolic links; <see cref="Kind.Unknown"/> off Linux or when the call fails otherwise.</summary>
    public static unsafe Kind KindOf(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Kind.Unknown;
        }

        byte* buffer = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            return error is ENOENT or ENOTDIR ? Kind.Missing : Kind.Unknown;
        }

        int mode = *(ushort*)(buffer + StatxModeOffset) & 0xF000; // S_IFMT
        return mode switch
        {
            0x8000 => Kind.Regular,
            0x4000 => Kind.Directory,
            0x1000 => Kind.Fifo,
            0x2000 => Kind.CharacterDevice,
            0x6000 => Kind.BlockDevice,
            0xC000 => Kind.Socket,
            _ => Kind.Unknown,
        };
    }

    /// <summary>
    /// Flushes <paramref name="directory"/>'s entries to disk; false where the platform has no such
    /// call (Windows makes a completed rename durable itself), the folder cannot be opened, or its file
    /// system cannot flush a folder.
    /// </summary>
    public static bool SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return false;
        }

        int closeOnExec = OperatingSystem.IsLinux() ? 0x80000 : 0x1000000; // O_CLOEXEC
        int descriptor = Open(directory, closeOnExec); // O_RDONLY is 0
        if (descriptor < 0)
        {
            return false;
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                // Some file systems cannot flush a folder (EINVAL, EBADF, EOPNOTSUPP): the rename stands,
                // as durable as that file system makes it, so that is no failure of the save.
                int error = Marshal.GetLastPInvokeError();
                if (error == EINVAL || error == EBADF || error == EOPNOTSUPP)
                {
                    return false;
                }

                throw new IOException(Invariant($"Flushing the folder '{directory}' to disk failed (errno {error})."));
            }

            return true;
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directoryDescriptor, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}

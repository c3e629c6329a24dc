using Autoencoder.Serialization;

namespace Autoencoder.Tests.Serialization;

/// <summary>
/// Saves replace the file the path leads to: through a symbolic link (which stays), keeping the
/// replaced file's permissions, flushing the folder after the rename, and naming the path asked
/// for when they fail.
/// </summary>
public sealed partial class DurableSaveTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-durable-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static AutoencoderModel Model(int seed) => new AutoencoderBuilder(3).WithLatent(2).WithSeed(seed).Build();

    [LinuxFact]
    public void Save_ThroughASymbolicLink_ReplacesTheTargetAndKeepsTheLink()
    {
        string targets = Directory.CreateDirectory(Path.Combine(_folder, "models")).FullName;
        string target = Path.Combine(targets, "real.safetensors");
        Model(1).Save(target);
        string link = Path.Combine(_folder, "current.safetensors");
        File.CreateSymbolicLink(link, Path.Combine("models", "real.safetensors")); // relative, as links often are

        Model(2).Save(link);

        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal(2, AutoencoderModel.Load(target).Seed);
        Assert.Equal(2, AutoencoderModel.Load(link).Seed);
        Assert.Single(Directory.GetFiles(_folder)); // only the link: no temporary file left beside it
        Assert.Single(Directory.GetFiles(targets));
    }

    [LinuxFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Save_OverAFileWithMode0640_KeepsTheMode()
    {
        string path = Path.Combine(_folder, "model.safetensors");
        Model(1).Save(path);
        const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(path, Mode);
        Model(2).Save(path);
        Assert.Equal(Mode, File.GetUnixFileMode(path));
        Assert.Equal(2, AutoencoderModel.Load(path).Seed);
    }

    [LinuxFact]
    public void Save_FlushesTheFolderAfterTheRename()
    {
        // Shows the flush runs and succeeds on every save; that the disk then holds the rename is
        // the file system's promise for fsync of a directory, which no test here can observe.
        string path = Path.Combine(_folder, "model.safetensors");
        long before = AtomicFile.DirectorySyncs;
        Model(1).Save(path);
        new AnomalyDetector(Model(1), AnomalyScore.MeanSquaredError).Save(Path.Combine(_folder, "detector.safetensors"));
        Assert.True(AtomicFile.DirectorySyncs >= before + 2, $"{AtomicFile.DirectorySyncs - before} folder flushes for two saves");
    }

    [Fact]
    public void Save_IntoAFolderThatIsAFile_NamesThePathAskedFor()
    {
        // Works as root too, where permission checks do not apply.
        string file = Path.Combine(_folder, "not-a-folder");
        File.WriteAllText(file, "x");
        string path = Path.Combine(file, "model.safetensors");
        var error = Assert.ThrowsAny<IOException>(() => Model(1).Save(path));
        Assert.Contains($"'{path}'", error.Message);
        Assert.DoesNotContain(".tmp", error.Message);
    }

    [LinuxFact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Save_IntoAReadOnlyFolder_NamesThePathAskedFor()
    {
        // Folder permissions do not bind root, so as root the folder is made immutable instead
        // (chattr +i refuses new files to every user).
        string folder = Directory.CreateDirectory(Path.Combine(_folder, "read-only")).FullName;
        bool root = geteuid() == 0;
        if (root)
        {
            Chattr("+i", folder);
        }
        else
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        try
        {
            string path = Path.Combine(folder, "model.safetensors");
            var error = Assert.Throws<UnauthorizedAccessException>(() => Model(1).Save(path));
            Assert.Contains($"'{path}'", error.Message);
            Assert.DoesNotContain(".tmp", error.Message);
        }
        finally
        {
            if (root)
            {
                Chattr("-i", folder);
            }

            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void Chattr(string flag, string path)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true })!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"chattr {flag} {path} failed ({process.ExitCode}): {error}");
    }

    [System.Runtime.InteropServices.LibraryImport("libc")]
    private static partial uint geteuid();
}

/// <summary>A fact that needs Linux (symbolic links, Unix modes, folder flushes); reported as skipped, with the reason, elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Needs Linux: symbolic links, Unix file modes and folder flushes as this library does them there.";
        }
    }
}

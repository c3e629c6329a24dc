using System.Diagnostics;
using System.Text;

namespace Autoencoder.Package.Tests;

/// <summary>
/// The library and Autoencoder.Parquet packed once per test run (shared by the test classes of
/// <see cref="PackedLibraryCollection"/>): the repository's build files, README and libraries' sources
/// are copied to a temporary folder and packed there with <c>dotnet pack -c Release</c>, so the
/// pack neither rebuilds nor locks the outputs other test projects are using.
/// </summary>
public sealed class PackedLibrary : IDisposable
{
    public PackedLibrary()
    {
        Root = Directory.CreateTempSubdirectory("autoencoder-package-").FullName;
        RepositoryRoot = FindRepositoryRoot();
        string source = Path.Combine(Root, "source");
        foreach (string file in new[] { "Directory.Build.props", "Directory.Packages.props", "README.md" })
        {
            Directory.CreateDirectory(source);
            File.Copy(Path.Combine(RepositoryRoot, file), Path.Combine(source, file));
        }

        CopySource(Path.Combine(RepositoryRoot, "src", "Autoencoder"), Path.Combine(source, "src", "Autoencoder"));
        CopySource(Path.Combine(RepositoryRoot, "src", "Autoencoder.Parquet"), Path.Combine(source, "src", "Autoencoder.Parquet"));
        File.Copy(Path.Combine(RepositoryRoot, "LICENSE"), Path.Combine(source, "LICENSE"));

        // The copy becomes a repository with one commit and a stand-in remote, so the package shows
        // what Source Link takes from a clone: the remote's URL and the commit.
        Run("git", ["init", "-q", "-b", "main"], source, TimeSpan.FromMinutes(1));
        Run("git", ["-c", "user.name=Package test", "-c", "user.email=package@test.invalid", "add", "-A"], source, TimeSpan.FromMinutes(1));
        Run("git", ["-c", "user.name=Package test", "-c", "user.email=package@test.invalid", "commit", "-q", "-m", "packed sources"], source, TimeSpan.FromMinutes(1));
        Run("git", ["remote", "add", "origin", RemoteUrl], source, TimeSpan.FromMinutes(1));
        Commit = Run("git", ["rev-parse", "HEAD"], source, TimeSpan.FromMinutes(1)).Trim();

        // As a CI build: deterministic, with source paths mapped to /_/.
        Feed = Path.Combine(Root, "feed");
        PackOutput = Run("dotnet", ["pack", Path.Combine(source, "src", "Autoencoder"), "-c", "Release", "-o", Feed, "-p:ContinuousIntegrationBuild=true"], source, TimeSpan.FromMinutes(3));
        Run("dotnet", ["pack", Path.Combine(source, "src", "Autoencoder.Parquet"), "-c", "Release", "-o", Feed, "-p:ContinuousIntegrationBuild=true"], source, TimeSpan.FromMinutes(3));
        Package = Only("Autoencoder", "nupkg");
        SymbolsPackage = Directory.GetFiles(Feed, "*.snupkg").SingleOrDefault(f => IsPackage(f, "Autoencoder"));
        ParquetPackage = Only("Autoencoder.Parquet", "nupkg");
    }

    /// <summary>The stand-in remote of the packed copy.</summary>
    public const string RemoteUrl = "https://github.com/autoencoder-packaging-test/autoencoder.git";

    public string Root { get; }

    /// <summary>The commit of the packed copy.</summary>
    public string Commit { get; }

    public string RepositoryRoot { get; }

    /// <summary>A folder holding only the packed .nupkg and .snupkg: a local NuGet feed.</summary>
    public string Feed { get; }

    public string Package { get; }

    public string? SymbolsPackage { get; }

    /// <summary>The packed Autoencoder.Parquet package, beside the core one in <see cref="Feed"/>.</summary>
    public string ParquetPackage { get; }

    public string PackOutput { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    /// <summary>Runs a command, failing with its output if it does not exit with 0 within <paramref name="timeout"/>.</summary>
    public static string Run(string command, string[] arguments, string workingDirectory, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(command == "dotnet" ? DotnetHost() : command)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's MSBuild settings must not leak into a separate build.
        foreach (string variable in new[] { "MSBuildExtensionsPath", "MSBUILD_EXE_PATH", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            start.Environment.Remove(variable);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{command} {string.Join(' ', arguments)}' did not finish within {timeout}:{Environment.NewLine}{output}");
        }

        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"'{command} {string.Join(' ', arguments)}' exited with {process.ExitCode}:{Environment.NewLine}{output}");
        return output.ToString();
    }

    /// <summary>True when <paramref name="file"/> is package <paramref name="id"/> (its name is the id, a dot and the version).</summary>
    private static bool IsPackage(string file, string id)
    {
        string name = Path.GetFileName(file);
        return name.StartsWith(id + ".", StringComparison.Ordinal) && char.IsAsciiDigit(name[id.Length + 1]);
    }

    private string Only(string id, string extension) => Directory.GetFiles(Feed, "*." + extension).Single(f => IsPackage(f, id));

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";

    private static string FindRepositoryRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Autoencoder.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException($"No Autoencoder.sln above {AppContext.BaseDirectory}.");
    }

    private static void CopySource(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (string directory in Directory.GetDirectories(from))
        {
            string name = Path.GetFileName(directory);
            if (name is not ("bin" or "obj"))
            {
                CopySource(directory, Path.Combine(to, name));
            }
        }
    }
}

/// <summary>The test classes that share one <see cref="PackedLibrary"/>, so the packages are packed once.</summary>
[CollectionDefinition(nameof(PackedLibrary))]
public sealed class PackedLibraryCollection : ICollectionFixture<PackedLibrary>;

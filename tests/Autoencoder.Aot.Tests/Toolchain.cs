namespace Autoencoder.Aot.Tests;

/// <summary>What Native AOT needs on Linux besides the SDK: a C compiler driver to link with and zlib's development library.</summary>
internal static class Toolchain
{
    private static readonly string[] LibraryFolders = ["/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu"];

    /// <summary>Fails, saying what to install, when clang (or gcc) or libz.so is missing; never skips.</summary>
    public static void RequireNativeLinker()
    {
        var missing = new List<string>();
        if (!OnPath("clang") && !OnPath("gcc"))
        {
            missing.Add("a linker driver (clang or gcc)");
        }

        if (!LibraryFolders.Any(f => File.Exists(Path.Combine(f, "libz.so"))))
        {
            missing.Add($"zlib's development library (libz.so in {string.Join(", ", LibraryFolders)})");
        }

        Assert.True(missing.Count == 0,
            $"Native AOT publishing needs {string.Join(" and ", missing)}: apt-get install clang zlib1g-dev (.ci/run installs them when missing).");
    }

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, name)));
}

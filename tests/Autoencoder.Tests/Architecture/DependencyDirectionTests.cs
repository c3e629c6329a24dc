using System.Text.RegularExpressions;
using static System.FormattableString;

namespace Autoencoder.Tests.Architecture;

/// <summary>
/// The library's layering, read from the <c>using</c> lines of <c>src/Autoencoder/</c>: each folder
/// imports only the folders below it, so kernels know nothing of layers, layers nothing of
/// training, and persistence nothing of training or optimizers. Types of the root namespace
/// (<c>Activation</c>, <c>Loss</c>, <c>Pcg32</c>, <c>Guard</c> …) are visible everywhere without a
/// <c>using</c> line and are not checked here.
/// </summary>
public partial class DependencyDirectionTests
{
    /// <summary>What each folder may import, from the bottom up; the root folder (the public hub types) may import anything.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Kernels"] = [],
        ["Activations"] = ["Kernels"],
        ["Losses"] = ["Kernels", "Activations"],
        ["Layers"] = ["Kernels", "Activations"],
        ["Model"] = ["Kernels", "Activations", "Layers"],
        ["Optimizers"] = ["Kernels", "Model"], // Model: the named state a checkpoint stores (Model/NamedState.cs)
        ["Data"] = ["Kernels"],
        ["Evaluation"] = ["Kernels"],
        ["Serialization"] = ["Kernels", "Activations", "Layers", "Model"],
        ["Training"] = ["Kernels", "Activations", "Losses", "Layers", "Model", "Optimizers", "Data"],
        ["Anomaly"] = ["Kernels", "Activations", "Losses", "Layers", "Model", "Training", "Data", "Evaluation", "Serialization"],
    };

    /// <summary>A file past this many lines says why in a comment starting <c>// Over 400 lines:</c> near its top.</summary>
    private const int MaxLines = 400;

    private static string SourceFolder
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                string candidate = Path.Combine(folder.FullName, "src", "Autoencoder");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new DirectoryNotFoundException("src/Autoencoder was not found above the test's folder.");
        }
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(SourceFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal));

    [GeneratedRegex(@"^\s*using\s+(?:static\s+)?Autoencoder\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    [Fact]
    public void EveryFolder_ImportsOnlyTheFoldersBelowIt()
    {
        var violations = new List<string>();
        int checkedFiles = 0;
        foreach (string file in SourceFiles())
        {
            string relative = Path.GetRelativePath(SourceFolder, file);
            string folder = relative.Contains(Path.DirectorySeparatorChar) ? relative[..relative.IndexOf(Path.DirectorySeparatorChar)] : "";
            if (folder.Length == 0)
            {
                continue; // the public hub types sit on top
            }

            Assert.True(Allowed.ContainsKey(folder), $"src/Autoencoder/{folder}/ is not in the layering table; add it where it belongs.");
            checkedFiles++;
            foreach (Match match in UsingLine().Matches(File.ReadAllText(file)))
            {
                string imported = match.Groups[1].Value;
                if (imported != folder && !Allowed[folder].Contains(imported))
                {
                    violations.Add(Invariant($"{relative} imports Autoencoder.{imported}"));
                }
            }
        }

        Assert.True(checkedFiles > 50, $"only {checkedFiles} files were read");
        Assert.True(violations.Count == 0, "Imports against the layering:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void UsingLineReader_SeesTheImportsItChecks()
    {
        // The check above passes vacuously if the pattern matches nothing: pin it on known lines.
        Assert.Equal(["Kernels", "Layers"], UsingLine().Matches("using System;\nusing Autoencoder.Kernels;\n  using static Autoencoder.Layers.X;\n").Select(m => m.Groups[1].Value));
        Assert.Contains(SourceFiles(), f => UsingLine().IsMatch(File.ReadAllText(f)));
    }

    [Fact]
    public void LongFiles_SayWhyTheyAreLong()
    {
        var unexplained = SourceFiles()
            .Select(f => (File: Path.GetRelativePath(SourceFolder, f), Lines: File.ReadAllLines(f)))
            .Where(f => f.Lines.Length > MaxLines && !f.Lines.Take(30).Any(l => l.TrimStart().StartsWith("// Over 400 lines:", StringComparison.Ordinal)))
            .Select(f => Invariant($"{f.File}: {f.Lines.Length} lines"))
            .ToArray();
        Assert.True(unexplained.Length == 0, "Files over 400 lines with no reason near their top:\n" + string.Join("\n", unexplained));
    }
}

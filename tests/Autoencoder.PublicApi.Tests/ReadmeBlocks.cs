namespace Autoencoder.PublicApi.Tests;

/// <summary>
/// Reads the README's C# blocks and the test sources' marked regions, so tests can check that the
/// documented code is the code they compile and run. Both files are copied next to the test assembly.
/// </summary>
internal static class ReadmeBlocks
{
    /// <summary>The C# block that follows <c>&lt;!-- anchor --&gt;</c> in README.md, without its trailing whitespace.</summary>
    public static string Documented(string anchor)
    {
        string readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md")).ReplaceLineEndings("\n");
        string marker = $"<!-- {anchor} -->";
        int start = readme.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no '{marker}' marker.");
        int open = readme.IndexOf("```csharp\n", start, StringComparison.Ordinal) + "```csharp\n".Length;
        int close = readme.IndexOf("```", open, StringComparison.Ordinal);
        return readme[open..close].TrimEnd();
    }

    /// <summary>
    /// Every region of <paramref name="sourceFile"/> between <c>// {name}:begin</c> and
    /// <c>// {name}:end</c>, each with its common indentation removed.
    /// </summary>
    public static IReadOnlyList<string> Regions(string sourceFile, string name)
    {
        string source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, sourceFile)).ReplaceLineEndings("\n");
        string begin = $"// {name}:begin\n", end = $"// {name}:end";
        var regions = new List<string>();
        int from = 0;
        while ((from = source.IndexOf(begin, from, StringComparison.Ordinal)) >= 0)
        {
            int first = from + begin.Length;
            int last = source.IndexOf(end, first, StringComparison.Ordinal);
            string[] lines = source[first..last].Split('\n');
            int indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
            regions.Add(string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())).TrimEnd());
            from = last;
        }

        return regions;
    }

    /// <summary>The regions of <see cref="Regions"/> joined by a blank line, as the README shows them.</summary>
    public static string Marked(string sourceFile, string name) => string.Join("\n\n", Regions(sourceFile, name));
}

namespace Autoencoder.Testing;

/// <summary>
/// Compares a README example with the test that runs it: the region <c>// {name}:begin … end</c> of
/// the test's source, without its indentation, must be the C# block after <c>&lt;!-- {name} --&gt;</c>
/// in README.md and in the package's PACKAGE.md (all three copied to the test's output folder).
/// Linked into every integration package's tests.
/// </summary>
internal static class ReadmeBlocks
{
    /// <summary>Asserts that README.md and PACKAGE.md show the region <paramref name="name"/> of <paramref name="sourceFile"/>.</summary>
    public static void AssertDocumented(string sourceFile, string name)
    {
        string region = Region(Read(sourceFile), name);
        Assert.Equal(region, Documented(Read("README.md"), $"<!-- {name} -->"));
        Assert.Equal(region, Documented(Read("PACKAGE.md"), $"<!-- {name} -->"));
    }

    private static string Read(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, file)).ReplaceLineEndings("\n");

    /// <summary>The C# block that follows <paramref name="marker"/>, without its trailing whitespace.</summary>
    private static string Documented(string text, string marker)
    {
        int start = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no '{marker}' marker");
        int open = text.IndexOf("```csharp\n", start, StringComparison.Ordinal) + "```csharp\n".Length;
        return text[open..text.IndexOf("```", open, StringComparison.Ordinal)].TrimEnd();
    }

    /// <summary>The lines between <c>// {name}:begin</c> and <c>// {name}:end</c>, with their common indentation removed.</summary>
    private static string Region(string source, string name)
    {
        string begin = $"// {name}:begin\n";
        int first = source.IndexOf(begin, StringComparison.Ordinal) + begin.Length;
        string[] lines = source[first..source.IndexOf($"// {name}:end", first, StringComparison.Ordinal)].Split('\n');
        int indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())).TrimEnd();
    }
}

namespace Autoencoder.Samples.Commands;

/// <summary>Parses class lists such as <c>0-4</c>, <c>1,3,5</c> or <c>0-2,7</c>.</summary>
internal static class ClassList
{
    /// <summary>The largest class number accepted: far above any dataset's, small enough to list.</summary>
    public const int MaxClass = 9_999;

    /// <summary>The classes named by <paramref name="text"/>.</summary>
    /// <exception cref="UsageException">The text is not a list of whole numbers and ranges.</exception>
    public static HashSet<int> Parse(string text)
    {
        var classes = new HashSet<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string[] ends = part.Split('-', StringSplitOptions.TrimEntries);
            if (ends.Length is < 1 or > 2 || !int.TryParse(ends[0], out int first) || first < 0)
            {
                throw Invalid(text);
            }

            int last = first;
            if (ends.Length == 2 && (!int.TryParse(ends[1], out last) || last < first))
            {
                throw Invalid(text);
            }

            if (last > MaxClass)
            {
                throw new UsageException($"--normal-classes must name classes from 0 to {MaxClass}; got '{text}'.");
            }

            for (int c = first; c <= last; c++)
            {
                classes.Add(c);
            }
        }

        return classes.Count > 0 ? classes : throw Invalid(text);
    }

    private static UsageException Invalid(string text) =>
        new($"--normal-classes must list classes like 0-4 or 1,3,5; got '{text}'.");
}

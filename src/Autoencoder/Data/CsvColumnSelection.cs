namespace Autoencoder.Data;

/// <summary>The file columns a reader turns into features and the label, resolved from <see cref="CsvOptions"/> against the table's width and header.</summary>
internal sealed class CsvColumnSelection
{
    /// <summary>The most header names an error message lists before it says how many more there are.</summary>
    private const int ListedNames = 50;

    private CsvColumnSelection(int[] features, int? label, IReadOnlyList<string>? featureNames)
    {
        Features = features;
        Label = label;
        FeatureNames = featureNames;
    }

    /// <summary>The file column (from 0) of each feature, in feature order.</summary>
    public int[] Features { get; }

    /// <summary>The file column (from 0) of the label, or null without one.</summary>
    public int? Label { get; }

    /// <summary>The header name of each feature, or null without a header.</summary>
    public IReadOnlyList<string>? FeatureNames { get; }

    /// <summary>Resolves the selection of <paramref name="options"/> (already checked for consistency).</summary>
    /// <param name="options">The reader's options.</param>
    /// <param name="width">Values per row.</param>
    /// <param name="header">The header's names, or null without a header.</param>
    /// <param name="where">Where the width was read, for messages (<c>"line 2 of 'x.csv'"</c>).</param>
    /// <exception cref="ArgumentException">A name is not in the header or is there twice, or a position is past the width.</exception>
    public static CsvColumnSelection Resolve(CsvOptions options, int width, IReadOnlyList<string>? header, string where)
    {
        int? label = options.LabelColumnIndex;
        if (label is int position && position >= width)
        {
            throw new ArgumentException(
                Invariant($"LabelColumnIndex must be below the {width} columns of {where}; got {position}."), "options");
        }

        if (options.LabelColumn is string labelName)
        {
            label = Find(labelName, "LabelColumn", header!, where);
        }

        int[] features;
        if (options.Columns is { } names)
        {
            features = names.Select(name => Find(name, "Columns", header!, where)).ToArray();
        }
        else if (options.ColumnIndices is { } indices)
        {
            foreach (int index in indices)
            {
                if (index >= width)
                {
                    throw new ArgumentException(
                        Invariant($"ColumnIndices must hold positions below the {width} columns of {where}; got {index}."), "options");
                }
            }

            features = [.. indices];
        }
        else
        {
            features = Enumerable.Range(0, width).Where(c => c != label).ToArray();
        }

        if (label is int l && features.Contains(l))
        {
            string name = header is null ? string.Empty : Invariant($" ('{header[l]}')");
            throw new ArgumentException(Invariant($"The label column is never a feature; got column {l + 1}{name} as both."), "options");
        }

        return new CsvColumnSelection(features, label, header is null ? null : features.Select(c => header[c]).ToArray());
    }

    private static int Find(string name, string option, IReadOnlyList<string> header, string where)
    {
        int found = -1;
        for (int c = 0; c < header.Count; c++)
        {
            if (string.Equals(header[c], name, StringComparison.Ordinal))
            {
                if (found >= 0)
                {
                    throw new ArgumentException(
                        Invariant($"{option} names '{name}', which the header on {where} holds twice (columns {found + 1} and {c + 1}); select it by position instead."),
                        "options");
                }

                found = c;
            }
        }

        if (found < 0 && header.Count == 0)
        {
            throw new ArgumentException(Invariant($"{option} names '{name}', but {where} has no header line."), "options");
        }

        if (found < 0)
        {
            IEnumerable<string> listed = header.Take(ListedNames).Select(n => "'" + n + "'");
            string more = header.Count > ListedNames ? Invariant($" and {header.Count - ListedNames} more") : string.Empty;
            throw new ArgumentException(
                Invariant($"{option} names '{name}', which the header on {where} lacks; its columns are {string.Join(", ", listed)}{more}."),
                "options");
        }

        return found;
    }
}

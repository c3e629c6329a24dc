using System.Globalization;
using Autoencoder.Data;

namespace Autoencoder.Samples.Data;

/// <summary>
/// Turns the CSV options of the command line (<c>--csv-header</c>, <c>--csv-delimiter</c>,
/// <c>--csv-skip-lines</c>, <c>--columns</c>, <c>--label-column</c>) into <see cref="CsvOptions"/>.
/// A column is a header name, or a position from 0 when it is a whole number.
/// </summary>
internal static class CsvArguments
{
    /// <summary>The <see cref="CsvOptions"/> the settings ask for.</summary>
    /// <exception cref="UsageException">A value cannot be used, or names columns without <c>--csv-header</c>.</exception>
    public static CsvOptions Options(SampleSettings settings)
    {
        (char delimiter, bool detect) = Delimiter(settings.CsvDelimiter);
        string[]? names = null;
        int[]? positions = null;
        if (settings.Columns is not null)
        {
            string[] tokens = settings.Columns.Split(',', StringSplitOptions.TrimEntries);
            if (tokens.Any(t => t.Length == 0))
            {
                throw new UsageException($"--columns must be comma-separated header names or positions from 0; got '{settings.Columns}'.");
            }

            int?[] parsed = tokens.Select(Position).ToArray();
            if (parsed.All(p => p is not null))
            {
                positions = parsed.Select(p => p!.Value).ToArray();
            }
            else if (parsed.All(p => p is null))
            {
                names = tokens;
            }
            else
            {
                throw new UsageException($"--columns must be all header names or all positions from 0; got '{settings.Columns}'.");
            }
        }

        string? labelName = null;
        int? labelPosition = null;
        if (settings.LabelColumn is not null)
        {
            labelPosition = Position(settings.LabelColumn.Trim());
            labelName = labelPosition is null ? settings.LabelColumn.Trim() : null;
        }

        if (!settings.CsvHeader && (names is not null || labelName is not null))
        {
            string option = names is not null ? "--columns" : "--label-column";
            throw new UsageException($"{option} names a column, so it needs --csv-header (or give positions from 0).");
        }

        try
        {
            return new CsvOptions
            {
                Delimiter = delimiter,
                DetectDelimiter = detect,
                HasHeader = settings.CsvHeader,
                SkipLines = settings.CsvSkipLines,
                Columns = names,
                ColumnIndices = positions,
                LabelColumn = labelName,
                LabelColumnIndex = labelPosition,
            };
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>The class of each label text: whole numbers as they are, other texts numbered in ordinal order (with those texts as class names).</summary>
    /// <exception cref="UsageException">There are more distinct label texts than <paramref name="maxClasses"/>.</exception>
    public static (int[] Labels, IReadOnlyList<string>? ClassNames) Classes(IReadOnlyList<string> labels, int maxClasses)
    {
        var numbers = new int[labels.Count];
        bool whole = true;
        for (int i = 0; i < labels.Count && whole; i++)
        {
            whole = double.TryParse(labels[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                && value >= 0 && value <= maxClasses && value == Math.Round(value);
            numbers[i] = whole ? (int)value : 0;
        }

        if (whole)
        {
            return (numbers, null);
        }

        string[] names = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (names.Length > maxClasses)
        {
            throw new UsageException($"The label column must hold at most {maxClasses} distinct classes; got {names.Length}.");
        }

        var index = names.Select((name, k) => (name, k)).ToDictionary(p => p.name, p => p.k, StringComparer.Ordinal);
        return (labels.Select(l => index[l]).ToArray(), names);
    }

    private static (char Delimiter, bool Detect) Delimiter(string? text) => text switch
    {
        null => (',', false),
        "auto" => (',', true),
        "tab" or "\\t" => ('\t', false),
        { Length: 1 } => (text[0], false),
        _ => throw new UsageException($"--csv-delimiter must be one character, 'tab' or 'auto'; got '{text}'."),
    };

    private static int? Position(string token) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out int position) ? position : null;
}

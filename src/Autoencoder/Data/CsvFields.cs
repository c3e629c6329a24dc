namespace Autoencoder.Data;

/// <summary>
/// Splits one line of comma-separated values into fields. A field may be enclosed in double
/// quotes, in which case it may contain commas and doubled quotes (<c>""</c> for one quote).
/// Fields are not trimmed here.
/// </summary>
internal static class CsvFields
{
    /// <summary>Splits <paramref name="line"/> into <paramref name="fields"/> (cleared first).</summary>
    /// <returns><see langword="null"/> on success, or a description of the quoting error.</returns>
    public static string? Split(string line, List<string> fields)
    {
        fields.Clear();
        int position = 0;
        while (true)
        {
            // Leading spaces before an opening quote are allowed.
            int start = position;
            while (position < line.Length && line[position] is ' ' or '\t')
            {
                position++;
            }

            if (position < line.Length && line[position] == '"')
            {
                var value = new System.Text.StringBuilder();
                int openedAt = position;
                position++;
                while (true)
                {
                    if (position >= line.Length)
                    {
                        return Invariant($"the quote opened at character {openedAt + 1} is not closed");
                    }

                    char c = line[position++];
                    if (c != '"')
                    {
                        value.Append(c);
                    }
                    else if (position < line.Length && line[position] == '"')
                    {
                        value.Append('"');
                        position++;
                    }
                    else
                    {
                        break;
                    }
                }

                while (position < line.Length && line[position] is ' ' or '\t')
                {
                    position++;
                }

                if (position < line.Length && line[position] != ',')
                {
                    return Invariant($"unexpected character '{line[position]}' after the closing quote at character {position}");
                }

                fields.Add(value.ToString());
            }
            else
            {
                int comma = line.IndexOf(',', start);
                int end = comma < 0 ? line.Length : comma;
                fields.Add(line[start..end]);
                position = end;
            }

            if (position >= line.Length)
            {
                return null;
            }

            position++; // skip the comma
        }
    }
}

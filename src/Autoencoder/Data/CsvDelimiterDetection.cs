namespace Autoencoder.Data;

/// <summary>Chooses a delimiter from one line of a table (<see cref="CsvOptions.DetectDelimiter"/>).</summary>
internal static class CsvDelimiterDetection
{
    /// <summary>
    /// The candidate of <see cref="CsvOptions.DetectedDelimiters"/> that occurs most often in
    /// <paramref name="line"/> outside double quotes; the earlier candidate on a tie; <c>','</c> when
    /// none occurs (a table of one column).
    /// </summary>
    public static char Detect(ReadOnlySpan<char> line)
    {
        IReadOnlyList<char> candidates = CsvOptions.DetectedDelimiters;
        Span<int> counts = stackalloc int[candidates.Count];
        bool quoted = false;
        foreach (char c in line)
        {
            if (c == '"')
            {
                quoted = !quoted; // a doubled quote toggles twice
                continue;
            }

            if (!quoted)
            {
                for (int k = 0; k < candidates.Count; k++)
                {
                    if (c == candidates[k])
                    {
                        counts[k]++;
                    }
                }
            }
        }

        int best = 0;
        for (int k = 1; k < counts.Length; k++)
        {
            if (counts[k] > counts[best])
            {
                best = k;
            }
        }

        return candidates[best];
    }
}

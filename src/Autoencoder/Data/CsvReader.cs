using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Data;

/// <summary>Reads comma-separated numeric tables into matrices with one row per line.</summary>
/// <remarks>
/// <para>
/// A value is an optional sign (<c>+</c> or <c>-</c>), ASCII digits with an optional decimal point
/// (<c>.</c>, whatever the current culture), and an optional exponent (<c>e</c> or <c>E</c>, an
/// optional sign, digits): <c>1</c>, <c>-0.5</c>, <c>.5</c>, <c>5.</c>, <c>1.5e3</c>. Spaces and tabs around
/// a value are ignored, and a value may be enclosed in double quotes. Nothing else is accepted:
/// thousands separators, other spaces (such as the no-break space U+00A0), other digits (such as
/// the full-width ones), hexadecimal, parentheses and the names of infinity and NaN are errors.
/// Every value must be a finite single-precision number (magnitudes beyond about 3.4e38 are
/// errors; those below the smallest subnormal float read as 0).
/// </para>
/// <para>
/// Control characters (U+0000 to U+001F other than the tab, U+007F and U+0080 to U+009F) are
/// errors anywhere in a line, the header included: a NUL or an escape sequence is a sign of binary
/// or corrupted input, and is never skipped. Blank lines (nothing but spaces and tabs) are
/// skipped. All rows must have as many values as the first row (or as the header, when there is
/// one). Errors are <see cref="InvalidDataException"/>s that name the line and the column (both
/// counted from 1); characters outside printable ASCII are shown in them as <c>\uXXXX</c>.
/// </para>
/// </remarks>
public static class CsvReader
{
    /// <summary>Reads a CSV file of numbers into a matrix with one row per data line.</summary>
    /// <param name="path">The file; UTF-8 unless it starts with a byte-order mark.</param>
    /// <param name="hasHeader">Whether the first non-blank line holds column names, to be skipped (its field count still fixes the row width).</param>
    /// <returns>The values, one row per data line; a matrix with no rows when the file holds no data lines.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A value is not a finite number, a line holds a control character, a row has the wrong number of values, or quoting is malformed; the message names the file, line and column.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Matrix<float> ReadMatrix(string path, bool hasHeader)
    {
        InputFile.CheckExists(path, "a CSV file", Invariant($"CSV file not found: '{path}'."), nameof(path));

        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        try
        {
            return ReadMatrix(reader, hasHeader);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException(Invariant($"Invalid CSV file '{path}': {ex.Message}"), ex);
        }
    }

    /// <summary>Reads CSV text of numbers into a matrix with one row per data line.</summary>
    /// <param name="reader">The text, read to its end; not disposed.</param>
    /// <param name="hasHeader">Whether the first non-blank line holds column names, to be skipped (its field count still fixes the row width).</param>
    /// <returns>The values, one row per data line; a matrix with no rows when the text holds no data lines.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">A value is not a finite number, a line holds a control character, a row has the wrong number of values, or quoting is malformed; the message names the line and column.</exception>
    /// <exception cref="IOException">The text cannot be read.</exception>
    public static Matrix<float> ReadMatrix(TextReader reader, bool hasHeader)
    {
        ArgumentNullException.ThrowIfNull(reader);

        var fields = new List<string>();
        var values = new List<float>();
        int columns = -1, widthLine = 0, rows = 0, lineNumber = 0;
        bool headerPending = hasHeader;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.AsSpan().IndexOfAnyExcept(' ', '\t') < 0)
            {
                continue;
            }

            string? quoteError = CsvFields.Split(line, fields);
            if (quoteError is not null)
            {
                throw new InvalidDataException(Format("Line {0}: malformed quoting: {1}.", lineNumber, quoteError));
            }

            CheckNoControlCharacters(fields, lineNumber);

            if (columns < 0)
            {
                columns = fields.Count;
                widthLine = lineNumber;
            }
            else if (fields.Count != columns)
            {
                throw new InvalidDataException(Format(
                    "Line {0}: expected {1} values (as on line {2}) but found {3}.",
                    lineNumber,
                    columns,
                    widthLine,
                    fields.Count));
            }

            if (headerPending)
            {
                headerPending = false;
                continue;
            }

            if ((long)values.Count + columns > Array.MaxLength)
            {
                throw new InvalidDataException(Format("Line {0}: the table exceeds {1} values.", lineNumber, Array.MaxLength));
            }

            for (int c = 0; c < fields.Count; c++)
            {
                values.Add(ParseValue(fields[c], lineNumber, c + 1));
            }

            rows++;
        }

        columns = Math.Max(columns, 0);
        var columnMajor = new float[values.Count];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                columnMajor[(c * rows) + r] = values[(r * columns) + c];
            }
        }

        return Matrix<float>.Build.Dense(rows, columns, columnMajor);
    }

    private static float ParseValue(string field, int line, int column)
    {
        ReadOnlySpan<char> text = field.AsSpan().Trim(" \t");
        if (text.IsEmpty)
        {
            throw new InvalidDataException(Format("Line {0}, column {1}: expected a number but the value is empty.", line, column));
        }

        // Only ASCII digits can pass (NumberFormatInfo has no other digits), and without the
        // whitespace styles nothing but the number itself: the spaces and tabs are trimmed above.
        if (!float.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out float value))
        {
            throw new InvalidDataException(Format("Line {0}, column {1}: expected a number but found '{2}'.", line, column, Visible(text)));
        }

        if (!float.IsFinite(value))
        {
            throw new InvalidDataException(Format(
                "Line {0}, column {1}: expected a finite single-precision number but found '{2}'.",
                line,
                column,
                Visible(text)));
        }

        return value;
    }

    /// <summary>Throws for the first field of the line that holds a control character other than the tab.</summary>
    private static void CheckNoControlCharacters(List<string> fields, int line)
    {
        for (int c = 0; c < fields.Count; c++)
        {
            string field = fields[c];
            for (int i = 0; i < field.Length; i++)
            {
                if (char.IsControl(field[i]) && field[i] != '\t')
                {
                    throw new InvalidDataException(Format(
                        "Line {0}, column {1}: expected text without control characters but found the control character U+{2:X4} at character {3} of the value.",
                        line,
                        c + 1,
                        (int)field[i],
                        i + 1));
                }
            }
        }
    }

    /// <summary>The text with every character outside printable ASCII written as <c>\uXXXX</c>, so messages show what is really there.</summary>
    private static string Visible(ReadOnlySpan<char> text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c is >= ' ' and <= '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
        }

        return builder.ToString();
    }

    private static string Format(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);
}

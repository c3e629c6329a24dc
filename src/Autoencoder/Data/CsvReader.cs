using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Data;

/// <summary>Reads delimited numeric tables (CSV, TSV, …) into matrices with one row per data line, with a header, selected columns and a label column when asked (<see cref="CsvOptions"/>).</summary>
/// <remarks>
/// <para>
/// The file is split by the Sep parser; a value may be enclosed in double quotes, and then holds
/// the delimiter or <c>""</c> for one quote. A value is an optional sign (<c>+</c> or <c>-</c>),
/// ASCII digits with an optional decimal point (<c>.</c>, whatever the current culture), and an
/// optional exponent (<c>e</c> or <c>E</c>, an optional sign, digits): <c>1</c>, <c>-0.5</c>,
/// <c>.5</c>, <c>5.</c>, <c>1.5e3</c>. Spaces and tabs around a value are ignored, inside or outside
/// its quotes. Nothing else is accepted: thousands separators, other spaces (such as the no-break
/// space U+00A0), other digits (such as the full-width ones), hexadecimal, parentheses and the
/// names of infinity and NaN are errors. Every value must be a finite single-precision number
/// (magnitudes beyond about 3.4e38 are errors; those below the smallest subnormal float read as 0).
/// Only the selected feature columns are read as numbers; a label is text.
/// </para>
/// <para>
/// Control characters (U+0000 to U+001F other than the tab, U+007F and U+0080 to U+009F) are
/// errors anywhere in a row, the header included, and so is a line break inside quotes: a NUL or
/// an escape sequence is a sign of binary or corrupted input, and is never skipped. Blank lines
/// (nothing but spaces and tabs) are skipped. All rows must have as many values as the first row
/// (or as the header, when there is one); the lines of <see cref="CsvOptions.SkipLines"/> are not
/// read at all. Errors are <see cref="InvalidDataException"/>s that name the file, the line and
/// the column (both counted from 1, skipped lines included); characters outside printable ASCII
/// are shown in them as <c>\uXXXX</c>.
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
    /// <exception cref="InvalidDataException">A value is not a finite number, a row holds a control character, a row has the wrong number of values, or quoting is malformed; the message names the file, line and column.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Matrix<float> ReadMatrix(string path, bool hasHeader) => ReadMatrix(path, new CsvOptions { HasHeader = hasHeader });

    /// <summary>Reads CSV text of numbers into a matrix with one row per data line.</summary>
    /// <param name="reader">The text, read to its end; not disposed.</param>
    /// <param name="hasHeader">Whether the first non-blank line holds column names, to be skipped (its field count still fixes the row width).</param>
    /// <returns>The values, one row per data line; a matrix with no rows when the text holds no data lines.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">A value is not a finite number, a row holds a control character, a row has the wrong number of values, or quoting is malformed; the message names the line and column.</exception>
    /// <exception cref="IOException">The text cannot be read.</exception>
    public static Matrix<float> ReadMatrix(TextReader reader, bool hasHeader) => ReadMatrix(reader, new CsvOptions { HasHeader = hasHeader });

    /// <summary>Reads the selected feature columns of a CSV file into a matrix with one row per data line (a label column is left out).</summary>
    /// <param name="path">The file; UTF-8 unless it starts with a byte-order mark.</param>
    /// <param name="options">The delimiter, header, lines to skip, columns and the handling of invalid rows.</param>
    /// <returns>The features, one row per data line read; a matrix with no rows when there are none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory; the options contradict each other; or a selected column is not in the file (the message lists the header's names).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A row is malformed, or a value cannot be read under <see cref="CsvInvalidRows.Error"/>; the message names the file, line and column.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Matrix<float> ReadMatrix(string path, CsvOptions options) => ReadTable(path, options).Features;

    /// <summary>Reads the selected feature columns of CSV text into a matrix with one row per data line (a label column is left out).</summary>
    /// <param name="reader">The text, read to its end; not disposed.</param>
    /// <param name="options">The delimiter, header, lines to skip, columns and the handling of invalid rows.</param>
    /// <returns>The features, one row per data line read; a matrix with no rows when there are none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options contradict each other, or a selected column is not in the text (the message lists the header's names).</exception>
    /// <exception cref="InvalidDataException">A row is malformed, or a value cannot be read under <see cref="CsvInvalidRows.Error"/>; the message names the line and column.</exception>
    /// <exception cref="IOException">The text cannot be read.</exception>
    public static Matrix<float> ReadMatrix(TextReader reader, CsvOptions options) => ReadTable(reader, options).Features;

    /// <summary>Reads a CSV file into its features, their header names and the label of each row.</summary>
    /// <param name="path">The file; UTF-8 unless it starts with a byte-order mark.</param>
    /// <param name="options">The delimiter, header, lines to skip, feature and label columns, and the handling of invalid rows.</param>
    /// <returns>The table; its feature matrix has no rows when the file holds no data lines.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory; the options contradict each other; or a selected column is not in the file (the message lists the header's names).</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A row is malformed, a value or label cannot be read under <see cref="CsvInvalidRows.Error"/>, or the table holds more values than one array can; the message names the file, line and column.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static CsvTable ReadTable(string path, CsvOptions options)
    {
        using CsvRowReader rows = CsvRowReader.Open(path, options);
        return ReadAll(rows, path);
    }

    /// <summary>Reads CSV text into its features, their header names and the label of each row.</summary>
    /// <param name="reader">The text, read to its end; not disposed.</param>
    /// <param name="options">The delimiter, header, lines to skip, feature and label columns, and the handling of invalid rows.</param>
    /// <returns>The table; its feature matrix has no rows when the text holds no data lines.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options contradict each other, or a selected column is not in the text (the message lists the header's names).</exception>
    /// <exception cref="InvalidDataException">A row is malformed, a value or label cannot be read under <see cref="CsvInvalidRows.Error"/>, or the table holds more values than one array can; the message names the line and column.</exception>
    /// <exception cref="IOException">The text cannot be read.</exception>
    public static CsvTable ReadTable(TextReader reader, CsvOptions options)
    {
        using CsvRowReader rows = CsvRowReader.Open(reader, options);
        return ReadAll(rows, path: null);
    }

    private static CsvTable ReadAll(CsvRowReader rows, string? path)
    {
        int columns = rows.Columns;
        var values = new List<float>();
        List<string>? labels = rows.HasLabel ? [] : null;
        float[] row = new float[columns];
        int count = 0;
        while (rows.Read(row, out string? label))
        {
            if ((long)values.Count + columns > Array.MaxLength)
            {
                string file = path is null ? string.Empty : Invariant($"Invalid CSV file '{path}': ");
                throw new InvalidDataException(Invariant($"{file}Line {rows.LineNumber}: the table exceeds {Array.MaxLength} values."));
            }

            values.AddRange(row);
            labels?.Add(label!);
            count++;
        }

        var columnMajor = new float[values.Count];
        for (int r = 0; r < count; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                columnMajor[(c * count) + r] = values[(r * columns) + c];
            }
        }

        return new CsvTable(Matrix<float>.Build.Dense(count, columns, columnMajor), rows.ColumnNames, labels, rows.SkippedRows);
    }
}

namespace Autoencoder.Data;

/// <summary>How <see cref="CsvReader"/> reads a table: the delimiter, the lines before the data, the feature and label columns, and what to do with rows that cannot be read.</summary>
/// <remarks>
/// Each property is checked when it is set (an <see cref="ArgumentException"/> or
/// <see cref="ArgumentOutOfRangeException"/> that says what was expected and what was given); the
/// properties that depend on each other (<see cref="Columns"/> needs <see cref="HasHeader"/>, a
/// label is never also a selected feature, …) are checked when a reader opens, and name
/// <c>options</c> as the parameter.
/// </remarks>
public sealed class CsvOptions
{
    /// <summary>The delimiters <see cref="DetectDelimiter"/> chooses from, in the order that breaks ties.</summary>
    public static IReadOnlyList<char> DetectedDelimiters { get; } = [',', ';', '\t', '|'];

    private readonly char _delimiter = ',';
    private readonly int _skipLines;
    private readonly IReadOnlyList<string>? _columns;
    private readonly IReadOnlyList<int>? _columnIndices;
    private readonly string? _labelColumn;
    private readonly int? _labelColumnIndex;
    private readonly CsvInvalidRows _invalidRows = CsvInvalidRows.Error;

    /// <summary>
    /// The character between values. Default <c>','</c>; <c>';'</c>, <c>'\t'</c>, <c>'|'</c> and a space
    /// are common. Any printable ASCII character (U+0020 to U+007E) or the tab is accepted except the
    /// double quote (it encloses values), <c>'#'</c> (which the parser reserves) and the characters of
    /// a number (digits, <c>.</c>, <c>+</c>, <c>-</c>, <c>e</c>, <c>E</c>); U+001F, the unit separator,
    /// is accepted too. Ignored when <see cref="DetectDelimiter"/> is set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The character is not one of those.</exception>
    public char Delimiter
    {
        get => _delimiter;
        init
        {
            if (!IsSupportedDelimiter(value))
            {
                throw new ArgumentOutOfRangeException(
                    nameof(Delimiter),
                    Invariant($"Delimiter must be the tab, U+001F or a printable ASCII character other than '\"', '#', a digit, '.', '+', '-', 'e' and 'E'; got {Describe(value)}."));
            }

            _delimiter = value;
        }
    }

    /// <summary>
    /// Whether to choose the delimiter from the first line read (the header, or the first data line
    /// without one): the one of <see cref="DetectedDelimiters"/> that occurs there most often outside
    /// quotes, the earlier in that list on a tie, and <c>','</c> when none occurs. Default false.
    /// </summary>
    public bool DetectDelimiter { get; init; }

    /// <summary>
    /// Whether the first line after <see cref="SkipLines"/> (blank lines aside) holds column names
    /// rather than data. Default false, as the <c>hasHeader</c> argument of the older overloads had to
    /// be given: a header read as data is an error on its first name, while data read as a header
    /// would lose a row unnoticed. The header fixes the width of every row.
    /// </summary>
    public bool HasHeader { get; init; }

    /// <summary>
    /// Lines at the start of the file that are not part of the table, skipped unread (they may hold
    /// anything, of any width): for example 1 for scikit-learn's bundled CSV files, whose first line
    /// gives the table's shape. Non-negative; default 0. Line numbers in messages still count them.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int SkipLines
    {
        get => _skipLines;
        init
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(SkipLines), Invariant($"SkipLines must be at least 0; got {value}."));
            }

            _skipLines = value;
        }
    }

    /// <summary>
    /// The header names of the feature columns to read, in the order the features should have (not
    /// necessarily the file's). Needs <see cref="HasHeader"/>; cannot be combined with
    /// <see cref="ColumnIndices"/>. Default null: every column except the label. A name the header
    /// lacks, or holds twice, is an error that lists the header's names.
    /// </summary>
    /// <exception cref="ArgumentNullException">The list holds a null name.</exception>
    /// <exception cref="ArgumentException">The list is empty or names a column twice.</exception>
    public IReadOnlyList<string>? Columns
    {
        get => _columns;
        init
        {
            if (value is null)
            {
                _columns = null;
                return;
            }

            string[] names = [.. value];
            if (names.Length == 0)
            {
                throw new ArgumentException("Columns must name at least one column; got an empty list.", nameof(Columns));
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < names.Length; i++)
            {
                if (names[i] is null)
                {
                    throw new ArgumentNullException(nameof(Columns), Invariant($"Columns must hold column names; got null at position {i}."));
                }

                if (!seen.Add(names[i]))
                {
                    throw new ArgumentException(Invariant($"Columns must name each column once; got '{names[i]}' again at position {i}."), nameof(Columns));
                }
            }

            _columns = names;
        }
    }

    /// <summary>
    /// The positions (from 0, in the file's columns) of the feature columns to read, in the order the
    /// features should have. Cannot be combined with <see cref="Columns"/>. Default null: every
    /// column except the label. A position past the row width is an error.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A position is negative.</exception>
    /// <exception cref="ArgumentException">The list is empty or holds a position twice.</exception>
    public IReadOnlyList<int>? ColumnIndices
    {
        get => _columnIndices;
        init
        {
            if (value is null)
            {
                _columnIndices = null;
                return;
            }

            int[] indices = [.. value];
            if (indices.Length == 0)
            {
                throw new ArgumentException("ColumnIndices must hold at least one column position; got an empty list.", nameof(ColumnIndices));
            }

            var seen = new HashSet<int>();
            for (int i = 0; i < indices.Length; i++)
            {
                if (indices[i] < 0)
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(ColumnIndices), Invariant($"ColumnIndices must hold positions of at least 0; got {indices[i]} at position {i}."));
                }

                if (!seen.Add(indices[i]))
                {
                    throw new ArgumentException(Invariant($"ColumnIndices must hold each column once; got {indices[i]} again at position {i}."), nameof(ColumnIndices));
                }
            }

            _columnIndices = indices;
        }
    }

    /// <summary>
    /// The header name of a column read as each row's label text (<see cref="CsvTable.Labels"/>),
    /// never as a feature. Needs <see cref="HasHeader"/>; cannot be combined with
    /// <see cref="LabelColumnIndex"/>. Default null (no label).
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public string? LabelColumn
    {
        get => _labelColumn;
        init
        {
            if (value is not null && value.Length == 0)
            {
                throw new ArgumentException("LabelColumn must be a column name; got an empty string.", nameof(LabelColumn));
            }

            _labelColumn = value;
        }
    }

    /// <summary>
    /// The position (from 0) of a column read as each row's label text, never as a feature. Cannot
    /// be combined with <see cref="LabelColumn"/>. Default null (no label).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The position is negative.</exception>
    public int? LabelColumnIndex
    {
        get => _labelColumnIndex;
        init
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(LabelColumnIndex), Invariant($"LabelColumnIndex must be at least 0; got {value}."));
            }

            _labelColumnIndex = value;
        }
    }

    /// <summary>What to do with a data row whose values cannot be read. Default <see cref="CsvInvalidRows.Error"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a member of <see cref="CsvInvalidRows"/>.</exception>
    public CsvInvalidRows InvalidRows
    {
        get => _invalidRows;
        init
        {
            Guard.Defined(value, nameof(InvalidRows));
            _invalidRows = value;
        }
    }

    /// <summary>Checks the properties that depend on each other.</summary>
    /// <exception cref="ArgumentException">Two properties contradict each other.</exception>
    internal void CheckConsistent(string parameterName)
    {
        if (Columns is not null && ColumnIndices is not null)
        {
            throw new ArgumentException("Set Columns (names) or ColumnIndices (positions), not both.", parameterName);
        }

        if (LabelColumn is not null && LabelColumnIndex is not null)
        {
            throw new ArgumentException(
                Invariant($"Set LabelColumn (a name) or LabelColumnIndex (a position), not both; got '{LabelColumn}' and {LabelColumnIndex}."), parameterName);
        }

        if (!HasHeader && Columns is not null)
        {
            throw new ArgumentException("Columns selects columns by header name, so it needs HasHeader = true; got HasHeader = false.", parameterName);
        }

        if (!HasHeader && LabelColumn is not null)
        {
            throw new ArgumentException(
                Invariant($"LabelColumn '{LabelColumn}' is a header name, so it needs HasHeader = true; got HasHeader = false (LabelColumnIndex takes a position)."), parameterName);
        }

        if (LabelColumnIndex is int label && ColumnIndices is not null && ColumnIndices.Contains(label))
        {
            throw new ArgumentException(Invariant($"The label column is never a feature; got LabelColumnIndex {label}, which ColumnIndices also holds."), parameterName);
        }

        if (LabelColumn is not null && Columns is not null && Columns.Contains(LabelColumn, StringComparer.Ordinal))
        {
            throw new ArgumentException(Invariant($"The label column is never a feature; got LabelColumn '{LabelColumn}', which Columns also names."), parameterName);
        }
    }

    /// <summary>Whether the parser can split on <paramref name="c"/> and numbers stay whole.</summary>
    internal static bool IsSupportedDelimiter(char c) =>
        (c is '\t' or '\u001f' || c is >= ' ' and <= '~') && c is not ('"' or '#' or '.' or '+' or '-' or 'e' or 'E') && !char.IsAsciiDigit(c);

    /// <summary>A character as it should appear in a message: printable ones quoted, others as U+XXXX.</summary>
    internal static string Describe(char c) =>
        c is >= ' ' and <= '~' ? Invariant($"'{c}'") : Invariant($"U+{(int)c:X4}");
}

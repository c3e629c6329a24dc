using nietras.SeparatedValues;

namespace Autoencoder.Data;

/// <summary>
/// Reads a CSV table forward, one data row at a time, into a caller's span: the rules of
/// <see cref="CsvReader"/>, with no more of the file in memory than the parser's buffer (one row
/// at least). Opening reads the lines to skip and the header, or the first data row, to learn the
/// table's width.
/// </summary>
internal sealed class CsvRowReader : IDisposable
{
    private static readonly System.Buffers.SearchValues<char> Letters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private readonly SepReader _sep;
    private readonly CsvOptions _options;
    private readonly string? _path;
    private readonly int _width;
    private readonly long _widthLine;
    private readonly int[] _features;
    private readonly int? _label;
    private readonly long _lineOffset;
    private long _nextRowLine;
    private long _currentLine;
    private bool _pending;
    private bool _disposed;

    private CsvRowReader(TextReader reader, bool ownsReader, CsvOptions options, string? path)
    {
        _options = options;
        _path = path;
        for (int i = 0; i < options.SkipLines && reader.ReadLine() is not null; i++)
        {
            _lineOffset++;
        }

        char delimiter = options.Delimiter;
        string replay = string.Empty;
        if (options.DetectDelimiter)
        {
            var peeked = new System.Text.StringBuilder();
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                peeked.Append(line).Append('\n');
                if (!IsBlank(line))
                {
                    delimiter = CsvDelimiterDetection.Detect(line);
                    break;
                }
            }

            replay = peeked.ToString();
        }

        Delimiter = delimiter;
        var source = new ReplayTextReader(replay, reader, ownsReader);
        _sep = new SepReaderOptions(new Sep(delimiter)) { HasHeader = false, DisableColCountCheck = true }.From(source);
        _nextRowLine = _lineOffset + 1;

        IReadOnlyList<string>? header = null;
        while (MoveNext(out long line))
        {
            SepReader.Row row = _sep.Current;
            if (IsBlank(row.Span))
            {
                continue;
            }

            CheckStructure(row, line);
            _width = row.ColCount;
            _widthLine = line;
            if (options.HasHeader)
            {
                var names = new string[row.ColCount];
                for (int c = 0; c < names.Length; c++)
                {
                    names[c] = CsvField.Content(row[c].Span).ToString();
                }

                header = names;
            }
            else
            {
                _pending = true;
                _currentLine = line;
            }

            break;
        }

        if (options.HasHeader && header is null)
        {
            header = [];
        }

        string where = _widthLine == 0
            ? (path is null ? "the empty input" : Invariant($"the empty file '{path}'"))
            : (path is null ? Invariant($"line {_widthLine}") : Invariant($"line {_widthLine} of '{path}'"));
        var selection = CsvColumnSelection.Resolve(options, _width, header, where);
        _features = selection.Features;
        _label = selection.Label;
        ColumnNames = selection.FeatureNames;
    }

    /// <summary>Features per row.</summary>
    public int Columns => _features.Length;

    /// <summary>The header names of the features, in feature order; null without a header.</summary>
    public IReadOnlyList<string>? ColumnNames { get; }

    /// <summary>Whether each row has a label (<see cref="CsvOptions.LabelColumn"/> or <see cref="CsvOptions.LabelColumnIndex"/>).</summary>
    public bool HasLabel => _label is not null;

    /// <summary>The line (from 1, skipped lines counted) where the last row returned by <see cref="Read"/> starts; 0 before the first.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Rows left out so far under <see cref="CsvInvalidRows.Skip"/>.</summary>
    public long SkippedRows { get; private set; }

    /// <summary>The delimiter in use: <see cref="CsvOptions.Delimiter"/>, or the detected one.</summary>
    public char Delimiter { get; }

    /// <summary>Opens a file (UTF-8 unless it starts with a byte-order mark) and reads up to its first data row.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory, the options contradict each other, or a selected column is not in the file.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The header or first row is malformed; the message names the file and line.</exception>
    public static CsvRowReader Open(string path, CsvOptions options)
    {
        InputFile.CheckExists(path, "a CSV file", Invariant($"CSV file not found: '{path}'."), nameof(path));
        ArgumentNullException.ThrowIfNull(options);
        options.CheckConsistent(nameof(options));
        var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        try
        {
            return new CsvRowReader(reader, ownsReader: true, options, path);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>Reads text up to its first data row; the reader is read forward and never disposed.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options contradict each other, or a selected column is not in the text.</exception>
    /// <exception cref="InvalidDataException">The header or first row is malformed; the message names the line.</exception>
    public static CsvRowReader Open(TextReader reader, CsvOptions options)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(options);
        options.CheckConsistent(nameof(options));
        return new CsvRowReader(reader, ownsReader: false, options, path: null);
    }

    /// <summary>Reads the next data row: its features into <paramref name="features"/> and its label text.</summary>
    /// <param name="features">Exactly <see cref="Columns"/> values, overwritten.</param>
    /// <param name="label">The row's label (spaces, tabs and quotes around it removed), or null without a label column.</param>
    /// <returns>False at the end of the data (and then <paramref name="features"/> is unchanged).</returns>
    /// <exception cref="ArgumentException"><paramref name="features"/> does not hold <see cref="Columns"/> values.</exception>
    /// <exception cref="InvalidDataException">A row is malformed, or under <see cref="CsvInvalidRows.Error"/> a value cannot be read; the message names the file, line and column.</exception>
    /// <exception cref="ObjectDisposedException">The reader is disposed.</exception>
    public bool Read(Span<float> features, out string? label)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (features.Length != _features.Length)
        {
            throw new ArgumentException(
                Invariant($"features must hold the {_features.Length} features of a row; got {features.Length} values."), nameof(features));
        }

        while (true)
        {
            long line;
            if (_pending)
            {
                _pending = false;
                line = _currentLine;
            }
            else
            {
                if (!MoveNext(out line))
                {
                    label = null;
                    return false;
                }

                if (IsBlank(_sep.Current.Span))
                {
                    continue;
                }

                CheckStructure(_sep.Current, line);
                if (_sep.Current.ColCount != _width)
                {
                    throw Fail(Invariant($"Line {line}: expected {_width} values (as on line {_widthLine}) but found {_sep.Current.ColCount}."));
                }
            }

            if (TryFill(_sep.Current, line, features, out label))
            {
                LineNumber = line;
                return true;
            }

            SkippedRows++;
        }
    }

    /// <summary>Closes the file (a caller's reader stays open).</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _sep.Dispose();
        }
    }

    /// <summary>Moves to the next row and gives the line it starts on (the parser's own start line is not kept for the first row, its end line is).</summary>
    private bool MoveNext(out long line)
    {
        if (!_sep.MoveNext())
        {
            line = 0;
            return false;
        }

        line = _nextRowLine;
        _nextRowLine = _lineOffset + _sep.Current.LineNumberToExcl;
        return true;
    }

    private bool TryFill(SepReader.Row row, long line, Span<float> features, out string? label)
    {
        label = null;
        for (int k = 0; k < _features.Length; k++)
        {
            int column = _features[k];
            ReadOnlySpan<char> content = CsvField.Content(row[column].Span);
            string? error = CsvField.ParseNumber(content, out features[k]);
            if (error is not null)
            {
                if (_options.InvalidRows == CsvInvalidRows.Skip)
                {
                    return false;
                }

                bool looksLikeAName = error.StartsWith("expected a number but found", StringComparison.Ordinal) && content.ContainsAny(Letters);
                string hint = !_options.HasHeader && line == _widthLine && looksLikeAName
                    ? Invariant($" (if line {line} holds column names, set HasHeader = true)")
                    : string.Empty;
                throw Fail(Invariant($"Line {line}, column {column + 1}: {error}{hint}."));
            }
        }

        if (_label is int labelColumn)
        {
            ReadOnlySpan<char> text = CsvField.Content(row[labelColumn].Span);
            if (text.IsEmpty)
            {
                if (_options.InvalidRows == CsvInvalidRows.Skip)
                {
                    return false;
                }

                throw Fail(Invariant($"Line {line}, column {labelColumn + 1}: expected a label but the value is empty."));
            }

            label = text.ToString();
        }

        return true;
    }

    /// <summary>Quoting first (an unclosed quote runs on to later lines), then control characters, in every field of the row.</summary>
    private void CheckStructure(SepReader.Row row, long line)
    {
        ReadOnlySpan<char> rowText = row.Span;
        for (int c = 0; c < row.ColCount; c++)
        {
            ReadOnlySpan<char> raw = row[c].Span;
            if (raw.Contains('"'))
            {
                rowText.Overlaps(raw, out int offset);
                if (CsvField.QuotingError(raw, offset) is string error)
                {
                    throw Fail(Invariant($"Line {line}: malformed quoting: {error}."));
                }
            }
        }

        for (int c = 0; c < row.ColCount; c++)
        {
            ReadOnlySpan<char> raw = row[c].Span;
            int at = CsvField.FirstControlCharacter(raw);
            if (at >= 0)
            {
                int quote = raw[..at].IndexOf('"');
                int inValue = quote >= 0 ? at - quote : at + 1;
                throw Fail(Invariant(
                    $"Line {line}, column {c + 1}: expected text without control characters but found the control character U+{(int)raw[at]:X4} at character {inValue} of the value."));
            }
        }
    }

    private static bool IsBlank(ReadOnlySpan<char> text) => text.IndexOfAnyExcept(' ', '\t') < 0;

    private InvalidDataException Fail(string message) =>
        new(_path is null ? message : Invariant($"Invalid CSV file '{_path}': {message}"));
}

namespace Autoencoder.Data;

/// <summary>A CSV file's feature columns as rows, parsed as they are read (the label column, if any, is left out).</summary>
internal sealed class CsvSource : DataSource
{
    private readonly string _path;
    private readonly CsvOptions _options;
    private readonly string _identity;

    private CsvSource(string path, CsvOptions options, int columns, string identity)
        : base(columns)
    {
        _path = path;
        _options = options;
        _identity = identity;
    }

    /// <inheritdoc/>
    public override long? RowCount => null;

    /// <inheritdoc/>
    internal override string Identity => _identity;

    /// <summary>Opens <paramref name="path"/> to learn its columns (the header and the first data line only).</summary>
    public static CsvSource Open(string path, CsvOptions? options)
    {
        options ??= new CsvOptions();
        InputFile.CheckExists(path, "a CSV file", Invariant($"CSV file not found: '{path}'."), nameof(path));
        string full = Path.GetFullPath(path);
        var info = new FileInfo(full);
        int columns;
        using (CsvRowReader reader = CsvRowReader.Open(full, options))
        {
            columns = reader.Columns;
        }

        string settings = Invariant(
            $"delimiter {(int)options.Delimiter} detect {options.DetectDelimiter} header {options.HasHeader} skip {options.SkipLines} columns [{string.Join("|", options.Columns ?? [])}] indices [{string.Join("|", options.ColumnIndices ?? [])}] label {options.LabelColumn}|{options.LabelColumnIndex} invalid {options.InvalidRows}");
        return new CsvSource(full, options, columns, Invariant($"csv {full} {info.Length} bytes written {info.LastWriteTimeUtc.Ticks}; {settings}"));
    }

    /// <inheritdoc/>
    internal override RowReader OpenRows(long start, long count)
    {
        return Skipped(new Reader(CsvRowReader.Open(_path, _options), start + count), start);
    }

    /// <summary>One parse of the file, ending after <c>end</c> data rows.</summary>
    private sealed class Reader(CsvRowReader csv, long end) : RowReader(csv.Columns)
    {
        private long _index;

        public override int Read(Span<float> destination, int rows)
        {
            int read = 0;
            while (read < rows && _index < end && csv.Read(destination.Slice(read * Columns, Columns), out _))
            {
                read++;
                _index++;
            }

            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                csv.Dispose();
            }
        }
    }
}

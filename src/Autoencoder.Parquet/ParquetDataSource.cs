using Autoencoder.Data;
using Parquet;

namespace Autoencoder.Parquet;

/// <summary>
/// A Parquet file as rows of float32 features, one block per row group: training, evaluation and
/// scoring read it a row group at a time, and a shuffled epoch puts the row groups in a random
/// order and shuffles the rows of about 32 MiB of consecutive row groups at a time (see
/// <see cref="BlockDataSource"/>), so memory holds a window of row groups, not the file.
/// </summary>
/// <remarks>
/// <para>
/// Features are top-level, non-repeated columns of a numeric type: float, double, signed integers of
/// 8, 16, 32 and 64 bits, unsigned integers of 8, 16, 32 and 64 bits, and decimal (of at most 28
/// digits, read as .NET's <see cref="decimal"/>); each value is converted to the nearest float32 (a
/// 64-bit integer above 2²⁴ may lose its last digits). Strings, booleans, dates, times, binary,
/// lists, maps and structs are never features. A value whose float32 is not finite (NaN, an
/// infinity, a double beyond float32's range) is an <see cref="InvalidDataException"/> naming the
/// file, row group, row and column, as is a null unless <see cref="ParquetSourceOptions.Nulls"/> says otherwise.
/// </para>
/// <para>
/// <see cref="Open"/> reads only the file's footer (schema and row counts); each row group is decoded
/// when a pass reaches it, only its selected columns. Every read opens the file anew, so passes that
/// read at once from different threads (training and validation) share nothing. A checkpoint knows
/// the file by its full path, length, time written and the selected columns; the file must not change
/// while a source reads it (a read that finds it changed is an <see cref="InvalidDataException"/>).
/// </para>
/// </remarks>
public sealed class ParquetDataSource : BlockDataSource
{
    private readonly string _path;
    private readonly FeatureColumn[] _columns;
    private readonly IReadOnlyList<string> _names;
    private readonly int[] _rowGroupRows;
    private readonly ParquetNulls _nulls;
    private readonly long _length;
    private readonly long _writeTicks;
    private readonly string _identity;

    private ParquetDataSource(string path, FeatureColumn[] columns, int[] rowGroupRows, ParquetNulls nulls, FileInfo info)
        : base(columns.Length)
    {
        _path = path;
        _columns = columns;
        _names = Array.AsReadOnly(Array.ConvertAll(columns, c => c.Name));
        _rowGroupRows = rowGroupRows;
        _nulls = nulls;
        _length = info.Length;
        _writeTicks = info.LastWriteTimeUtc.Ticks;
        _identity = Invariant($"parquet {path} {_length} bytes written {_writeTicks} columns [{string.Join(", ", _names)}] nulls {nulls}");
    }

    /// <summary>The full path of the file.</summary>
    public string Path => _path;

    /// <summary>The feature columns, in the order of the values of a row.</summary>
    public IReadOnlyList<string> ColumnNames => _names;

    /// <summary>The number of row groups (blocks), some of which may hold no row.</summary>
    public int RowGroupCount => _rowGroupRows.Length;

    /// <inheritdoc/>
    protected override int BlockCount => _rowGroupRows.Length;

    /// <inheritdoc/>
    protected override string DataIdentity => _identity;

    /// <summary>
    /// Opens the Parquet file at <paramref name="path"/> and reads its footer: the schema, to choose the
    /// feature columns, and the number of rows of each row group. No data is read.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="options">The columns to read and what a null becomes; null for every numeric column, nulls refused.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="path"/> is empty or names a directory; or <paramref name="options"/> names a column the
    /// file lacks, a column that is not numeric, or the label among the features, or the file has no
    /// numeric column to use (the message lists the file's numeric columns).
    /// </exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a Parquet file (the message names it), or a row group holds more rows than a block can.</exception>
    public static ParquetDataSource Open(string path, ParquetSourceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            throw new ArgumentException(Invariant($"Expected a Parquet file but '{path}' is a directory."), nameof(path));
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException(Invariant($"Parquet file not found: '{path}'."), path);
        }

        options ??= new ParquetSourceOptions();
        string full = System.IO.Path.GetFullPath(path);
        var info = new FileInfo(full);
        using var file = new SynchronousFile(full);
        ParquetReader reader = Footer(file, full);
        try
        {
            return FromFooter(reader, full, options, info);
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <inheritdoc/>
    protected override int RowsInBlock(int block) => _rowGroupRows[block];

    private static ParquetDataSource FromFooter(ParquetReader reader, string full, ParquetSourceOptions options, FileInfo info)
    {
        FeatureColumn[] columns = ColumnSelection.Select(reader.Schema, options, full);
        var rows = new int[reader.RowGroupCount];
        for (int g = 0; g < rows.Length; g++)
        {
            long count = reader.RowGroups[g].RowCount;
            if (count < 0 || count * columns.Length > Array.MaxLength)
            {
                throw new InvalidDataException(Invariant(
                    $"Parquet file '{full}': row group {g} holds {count} rows of {columns.Length} features; a row group can hold at most {Array.MaxLength} values."));
            }

            rows[g] = (int)count;
        }

        return new ParquetDataSource(full, columns, rows, options.Nulls, info);
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidDataException">The file changed since it was opened, or a value cannot be read (see the remarks).</exception>
    protected override void ReadBlock(int block, Span<float> destination)
    {
        var info = new FileInfo(_path);
        if (!info.Exists || info.Length != _length || info.LastWriteTimeUtc.Ticks != _writeTicks)
        {
            throw new InvalidDataException(Invariant(
                $"Parquet file '{_path}' changed since it was opened ({_length} bytes written at {_writeTicks} ticks; now {(info.Exists ? Invariant($"{info.Length} bytes written at {info.LastWriteTimeUtc.Ticks} ticks") : "missing")})."));
        }

        // Parquet.Net reads asynchronously; the file's reads complete at once (SynchronousFile), and
        // waiting with no synchronization context keeps any other continuation off a UI thread that might have called.
        SynchronizationContext? context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            using var file = new SynchronousFile(_path);
            ParquetReader reader = Footer(file, _path);
            try
            {
                ReadRowGroup(reader, block, destination);
            }
            finally
            {
                reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private void ReadRowGroup(ParquetReader reader, int block, Span<float> destination)
    {
        if (reader.RowGroupCount != _rowGroupRows.Length)
        {
            throw new InvalidDataException(Invariant($"Parquet file '{_path}' holds {reader.RowGroupCount} row groups; it held {_rowGroupRows.Length} when it was opened."));
        }

        ParquetRowGroupReader group = reader.OpenRowGroupReader(block);
        int rows = _rowGroupRows[block];
        if (group.RowCount != rows)
        {
            throw new InvalidDataException(Invariant($"Parquet file '{_path}': row group {block} holds {group.RowCount} rows; it held {rows} when the file was opened."));
        }

        string Place(int row) => Invariant($"Parquet file '{_path}', row group {block}, row {row} (row {RowStart(block) + row} of the file)");
        for (int c = 0; c < _columns.Length; c++)
        {
            ReadColumn(_columns[c], group, block, rows, destination, c, Place);
        }
    }

    /// <summary>A reader of the footer of <paramref name="file"/>; anything that keeps it from being read means the file is not Parquet.</summary>
    private static ParquetReader Footer(Stream file, string path)
    {
        try
        {
            return ParquetReader.CreateAsync(file, leaveStreamOpen: true).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            throw new InvalidDataException(Invariant($"'{path}' is not a readable Parquet file: {e.Message}"), e);
        }
    }

    private void ReadColumn(FeatureColumn column, ParquetRowGroupReader group, int block, int rows, Span<float> destination, int index, Func<int, string> place)
    {
        try
        {
            column.Read(group, rows, destination, index, Columns, _nulls, place);
        }
        catch (Exception e) when (e is not (InvalidDataException or OutOfMemoryException or OperationCanceledException))
        {
            throw new InvalidDataException(Invariant($"Parquet file '{_path}', row group {block}: column '{column.Name}' cannot be decoded: {e.Message}"), e);
        }
    }

    private long RowStart(int block)
    {
        long start = 0;
        for (int g = 0; g < block; g++)
        {
            start += _rowGroupRows[g];
        }

        return start;
    }
}

using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Data;

/// <summary>
/// Rows of <see cref="Columns"/> float32 values that training, evaluation and scoring read batch
/// by batch: in memory (<see cref="FromMatrix"/>, <see cref="FromRows"/>, <see cref="FromArray"/>),
/// streamed (<see cref="FromEnumerable"/>, <see cref="FromAsyncEnumerable"/>) or read from a file
/// (<see cref="FromIdx"/>, <see cref="FromCsv"/>). Files and streams are read a block at a time,
/// with the next block read in the background while the current one is used, so memory does not
/// grow with the size of the data.
/// </summary>
/// <remarks>
/// <para>
/// Shuffling, per epoch, from the run's seed: an in-memory source is shuffled row by row, exactly
/// as a <see cref="Matrix{T}"/> always was. A file that can seek (an uncompressed IDX file) is
/// shuffled by blocks: the order of its blocks (of about 1 MiB, or a <see cref="BlockDataSource"/>'s
/// own, such as row groups) is a random permutation, and the rows of each window of consecutive
/// blocks in that order, about 32 MiB (at least one block), are shuffled together. A stream
/// (an enumerable, a CSV or gzip file) passes through a shuffle buffer of
/// <see cref="ShuffleBufferRows"/> rows (<see cref="WithShuffleBuffer"/>): each row given out is
/// drawn at random from the buffer, as in tf.data; the order is then only approximately
/// uniform, the more so the larger the buffer. The same seed gives the same order, batches and weights.
/// </para>
/// <para>
/// Values are checked as they are read: a NaN, an infinity or a row of the wrong length stops
/// the call with an error naming the row. A source is read again for each epoch: an enumerable
/// must give the same rows each time it is enumerated. A stream that cannot seek and is split for
/// validation (<see cref="Split"/>, <see cref="TrainingOptions.ValidationFraction"/>) is read from
/// its start to reach its validation rows, once more per epoch.
/// </para>
/// </remarks>
public abstract class DataSource
{
    /// <summary>The shuffle buffer of a stream when none is set: 10,000 rows.</summary>
    public const int DefaultShuffleBufferRows = 10_000;

    private protected DataSource(int columns)
    {
        if (columns <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), Invariant($"A data source needs at least one column; got {columns}."));
        }

        Columns = columns;
    }

    /// <summary>Values per row (the model's input size when trained on).</summary>
    public int Columns { get; }

    /// <summary>The number of rows when known without reading the data (in memory, IDX files, a count given with a stream), else null.</summary>
    public abstract long? RowCount { get; }

    /// <summary>Rows a stream's shuffle buffer holds (see the remarks); in-memory sources and seekable files do not use it.</summary>
    public int ShuffleBufferRows { get; private protected set; } = DefaultShuffleBufferRows;

    /// <summary>The size of the rows a seekable source's shuffled window holds (see the remarks).</summary>
    internal long ShuffleWindowBytes { get; set; } = BlockShuffleReader.WindowBytes;

    /// <summary>True when any range of rows can be read without reading the rows before it.</summary>
    internal virtual bool CanSeek => false;

    /// <summary>What identifies the data for a checkpoint's fingerprint when its values are not hashed (files: path, length, time written).</summary>
    internal abstract string Identity { get; }

    /// <summary>A source of the rows of <paramref name="matrix"/> (see <see cref="FromMatrix"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="matrix"/> is null.</exception>
    public static implicit operator DataSource(Matrix<float> matrix) => FromMatrix(matrix);

    /// <summary>A source of <paramref name="rows"/> (see <see cref="FromRows"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    /// <exception cref="ArgumentException">The rows are empty, ragged or hold a null row.</exception>
    public static implicit operator DataSource(float[][] rows) => FromRows(rows);

    /// <summary>
    /// The rows of <paramref name="matrix"/> (one sample per row). MathNet stores a matrix by
    /// columns, so training copies it once into rows; <see cref="FromArray"/> and
    /// <see cref="FromRows"/> are used without a copy.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="matrix"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> has no columns.</exception>
    public static DataSource FromMatrix(Matrix<float> matrix) => new MatrixSource(matrix);

    /// <summary>The rows of a jagged array, used in place (never copied); all rows must have the same length.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is empty, or a row is null or of another length than the first; the message names the row.</exception>
    public static DataSource FromRows(float[][] rows) => new JaggedSource(rows);

    /// <summary>
    /// <paramref name="values"/> read as row-major rows of <paramref name="columns"/> values,
    /// used in place (never copied): row <c>i</c> is <c>values[(i·columns)..((i+1)·columns)]</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="columns"/> is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty or its length is not a multiple of <paramref name="columns"/>.</exception>
    public static DataSource FromArray(ReadOnlyMemory<float> values, int columns) =>
        values.IsEmpty && columns > 0
            ? throw new ArgumentException(Invariant($"values must hold at least one row of {columns} values; got none."), nameof(values))
            : new ContiguousSource(values, columns);

    /// <summary>
    /// Rows streamed from <paramref name="rows"/>, enumerated once per pass (each epoch, each
    /// evaluation); each array is copied as it is read, so it may be reused by the enumerator.
    /// </summary>
    /// <param name="rows">The rows; every enumeration must give the same rows in the same order.</param>
    /// <param name="columns">Values per row.</param>
    /// <param name="rowCount">The number of rows when known; when null, training counts them first by enumerating once.</param>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="columns"/> is not positive, or <paramref name="rowCount"/> is negative.</exception>
    public static DataSource FromEnumerable(IEnumerable<float[]> rows, int columns, long? rowCount = null) =>
        new EnumerableSource(rows, columns, rowCount);

    /// <summary>As <see cref="FromEnumerable"/>, from an asynchronous stream (read ahead on a background thread).</summary>
    /// <param name="rows">The rows; every enumeration must give the same rows in the same order.</param>
    /// <param name="columns">Values per row.</param>
    /// <param name="rowCount">The number of rows when known; when null, training counts them first by enumerating once.</param>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="columns"/> is not positive, or <paramref name="rowCount"/> is negative.</exception>
    public static DataSource FromAsyncEnumerable(IAsyncEnumerable<float[]> rows, int columns, long? rowCount = null) =>
        new AsyncEnumerableSource(rows, columns, rowCount);

    /// <summary>
    /// An IDX file read block by block: unsigned bytes (IDX type 0x08, divided by 255, as
    /// <see cref="IdxReader.ReadImages(string)"/> does) or big-endian float32 (type 0x0D), any rank
    /// of at least 2: the first dimension counts the rows, the others make a row. A gzip file
    /// (detected by its first bytes) is read as a stream; an uncompressed one seeks.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The header is not that of a supported IDX file, or the file is shorter than its header says.</exception>
    public static DataSource FromIdx(string path) => IdxFileSource.Open(path);

    /// <summary>
    /// The feature columns of a CSV file (<see cref="CsvOptions"/>: delimiter, header, skipped
    /// lines, the columns to use and a label column to leave out), parsed as they are read, a
    /// block at a time; the file is read once to count its rows before training and then once per epoch.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory, or the options name columns the file lacks.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The header or the first row cannot be read; later rows are checked as they are read.</exception>
    public static DataSource FromCsv(string path, CsvOptions? options = null) => CsvSource.Open(path, options);

    /// <summary>The rows <c>[start, start + count)</c> of this source, without copying them.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> or <paramref name="count"/> is negative, or the range passes the known end of the source.</exception>
    public DataSource Slice(long start, long count)
    {
        if (start < 0 || count < 0 || (RowCount is long rows && (start > rows || count > rows - start)))
        {
            throw new ArgumentOutOfRangeException(
                nameof(count), Invariant($"A slice must lie within the source's {RowCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(unknown number of)"} rows; got start {start}, count {count}."));
        }

        return SliceCore(start, count, countKnown: RowCount is not null);
    }

    /// <summary>Rows <c>[start, start + count)</c> of a source whose rows were counted, so the slice's count is known.</summary>
    internal DataSource CountedSlice(long start, long count) => SliceCore(start, count, countKnown: true);

    /// <summary>
    /// Splits the rows into a training part (the first rows) and a validation part (the last
    /// <c>⌊rows · validationFraction⌋</c>), as <see cref="TrainingOptions.ValidationFraction"/>
    /// does, without copying; a source of unknown length is counted first (read once).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validationFraction"/> is not in (0, 1).</exception>
    /// <exception cref="ArgumentException">The fraction leaves no training or no validation rows.</exception>
    public (DataSource Training, DataSource Validation) Split(double validationFraction)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), Invariant($"validationFraction must lie in (0, 1); got {validationFraction}."));
        }

        long rows = CountRows();
        long validation = (long)(rows * validationFraction);
        if (validation == 0 || validation == rows)
        {
            throw new ArgumentException(
                Invariant($"A validation fraction of {validationFraction} of {rows} rows leaves {rows - validation} training and {validation} validation rows; both must be at least 1."),
                nameof(validationFraction));
        }

        return (CountedSlice(0, rows - validation), CountedSlice(rows - validation, validation));
    }

    /// <summary>This source with a shuffle buffer of <paramref name="rows"/> rows for streamed reading (see the remarks).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is not positive.</exception>
    public DataSource WithShuffleBuffer(int rows)
    {
        if (rows <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), Invariant($"A shuffle buffer holds at least one row; got {rows}."));
        }

        DataSource copy = (DataSource)MemberwiseClone();
        copy.ShuffleBufferRows = rows;
        return copy;
    }

    /// <summary>The number of rows: <see cref="RowCount"/> when known, else counted by reading the source once.</summary>
    /// <exception cref="ArgumentException">A row has the wrong length.</exception>
    public long CountRows()
    {
        if (RowCount is long known)
        {
            return known;
        }

        using RowReader reader = OpenRows(0, long.MaxValue);
        return reader.Skip(long.MaxValue);
    }

    /// <summary>Reads rows <c>[start, start + count)</c> in stored order (fewer when the source ends first).</summary>
    internal abstract RowReader OpenRows(long start, long count);

    /// <summary>Rows <c>[start, start + count)</c> cut into the blocks a shuffled pass reads whole: the source's own (row groups), else about 1 MiB each.</summary>
    internal virtual IEnumerable<(long Start, int Rows)> Blocks(long start, long count) => BlockShuffleReader.FixedBlocks(start, count, Columns);

    /// <summary>
    /// Writes rows <c>[start, start + count)</c> into <paramref name="destination"/>, all of which
    /// must be there; a source that can write a block in place overrides it.
    /// </summary>
    /// <exception cref="InvalidDataException">The source ends before the last row.</exception>
    internal virtual void ReadRange(long start, int count, Span<float> destination)
    {
        using RowReader reader = OpenRows(start, count);
        if (reader.ReadFully(destination, count) != count)
        {
            throw new InvalidDataException(Invariant($"The data source ended inside rows {start}+{count}."));
        }
    }

    /// <summary>Disposes <paramref name="reader"/> when <paramref name="skip"/> fails, so a reader that cannot reach its start leaks no handle.</summary>
    private protected static RowReader Skipped(RowReader reader, long skip)
    {
        try
        {
            reader.Skip(skip);
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>The rows <c>[start, start + count)</c>, already checked to lie within the known rows.</summary>
    private protected virtual DataSource SliceCore(long start, long count, bool countKnown) =>
        new SliceSource(this, start, count, countKnown) { ShuffleBufferRows = ShuffleBufferRows, ShuffleWindowBytes = ShuffleWindowBytes };

    /// <summary>
    /// Reads rows <c>[start, start + count)</c> in one epoch's order: stored order when
    /// <paramref name="shuffleKey"/> is null, else the order the key gives (see the remarks),
    /// after passing the first <paramref name="skip"/> rows of that order.
    /// </summary>
    internal RowReader OpenEpoch(long start, long count, ulong? shuffleKey, long skip)
    {
        RowReader reader;
        if (shuffleKey is not ulong key)
        {
            reader = OpenRows(start + skip, count - skip);
            return reader;
        }

        if (CanSeek)
        {
            return new BlockShuffleReader(this, start, count, key, skip);
        }

        reader = OpenRows(start, count);
        try
        {
            reader = new ShuffleBufferReader(reader, (int)Math.Min(ShuffleBufferRows, Math.Max(1, count)), key);
            reader.Skip(skip);
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }
}

using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Data;

/// <summary>Data sources read the rows they hold, in the order asked for, and refuse malformed rows with a message naming them.</summary>
public class DataSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-sources-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> Kinds() => ["matrix", "rows", "array", "enumerable", "async", "idx", "idx-gzip", "slice", "blocks"];

    private DataSource Make(string kind, Matrix<float> x)
    {
        float[] values = IdxFloatFile.RowMajor(x);
        float[][] rows = Enumerable.Range(0, x.RowCount).Select(r => values.AsSpan(r * x.ColumnCount, x.ColumnCount).ToArray()).ToArray();
        return kind switch
        {
            "matrix" => x,
            "rows" => rows,
            "array" => DataSource.FromArray(values, x.ColumnCount),
            "enumerable" => DataSource.FromEnumerable(rows, x.ColumnCount),
            "async" => DataSource.FromAsyncEnumerable(rows.ToAsyncEnumerable(), x.ColumnCount),
            "idx" => DataSource.FromIdx(IdxFloatFile.Write(Path.Combine(_folder, "rows.idx"), values, x.RowCount, x.ColumnCount)),
            "idx-gzip" => DataSource.FromIdx(IdxFloatFile.Write(Path.Combine(_folder, "rows.idx.gz"), values, x.RowCount, x.ColumnCount, gzip: true)),
            "blocks" => new TestBlockSource(values, x.ColumnCount, TestBlockSource.UnevenBlocks(x.RowCount)),
            "slice" => DataSource.FromEnumerable([new float[x.ColumnCount], .. rows, new float[x.ColumnCount]], x.ColumnCount).Slice(1, x.RowCount),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static float[] ReadAll(DataSource source, long start = 0, long count = long.MaxValue)
    {
        using RowReader reader = source.OpenRows(start, count);
        var all = new List<float>();
        var block = new float[7 * source.Columns];
        int read;
        while ((read = reader.Read(block, 7)) > 0)
        {
            all.AddRange(block.AsSpan(0, read * source.Columns).ToArray());
        }

        return [.. all];
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKind_ReadsItsRowsInOrder_AndCountsThem(string kind)
    {
        Matrix<float> x = TestData.Matrix(53, 6, seed: 3);
        DataSource source = Make(kind, x);
        Assert.Equal(6, source.Columns);
        Assert.Equal(53, source.CountRows());
        Assert.Equal(IdxFloatFile.RowMajor(x), ReadAll(source));
        Assert.Equal(IdxFloatFile.RowMajor(x).AsSpan(10 * 6, 20 * 6).ToArray(), ReadAll(source, 10, 20));
        Assert.Equal(IdxFloatFile.RowMajor(x).AsSpan(40 * 6).ToArray(), ReadAll(source.Slice(40, 13)));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKind_ShuffledEpoch_IsAPermutation_RepeatedByItsKey_AndResumedPartWay(string kind)
    {
        // Row r holds the value r in every column, so the order can be read back.
        const int rows = 3000, columns = 100;
        var x = Matrix<float>.Build.Dense(rows, columns, (r, _) => r);
        DataSource source = Make(kind, x).WithShuffleBuffer(500);
        int[] first = Order(source, key: 42, skip: 0);
        Assert.Equal(Enumerable.Range(0, rows), first.Order());
        Assert.NotEqual(Enumerable.Range(0, rows), first);
        Assert.Equal(first, Order(source, key: 42, skip: 0));
        Assert.NotEqual(first, Order(source, key: 43, skip: 0));
        Assert.Equal(first[1234..], Order(source, key: 42, skip: 1234));
        Assert.Equal(first[2999..], Order(source, key: 42, skip: 2999));
    }

    private static int[] Order(DataSource source, ulong key, long skip)
    {
        long rows = source.CountRows();
        using RowReader reader = source.OpenEpoch(0, rows, key, skip);
        var buffer = new float[(int)(rows - skip) * source.Columns];
        Assert.Equal(rows - skip, reader.ReadFully(buffer, (int)(rows - skip)));
        Assert.Equal(0, reader.Read(new float[source.Columns], 1));
        return Enumerable.Range(0, (int)(rows - skip)).Select(r => (int)buffer[r * source.Columns]).ToArray();
    }

    [Fact]
    public void BlockShuffle_MixesRowsFromAcrossTheFile()
    {
        // 40,000 rows of 8 values: 1,220 blocks of 32,768 rows... the first rows given out come from many blocks.
        const int rows = 40_000, columns = 8;
        var x = Matrix<float>.Build.Dense(rows, columns, (r, _) => r);
        DataSource source = DataSource.FromIdx(IdxFloatFile.Write(Path.Combine(_folder, "many.idx"), IdxFloatFile.RowMajor(x), rows, columns));
        int[] order = Order(source, key: 7, skip: 0);
        int blockRows = BlockShuffleReader.BlockRows(columns);
        Assert.Equal(Enumerable.Range(0, rows), order.Order());
        Assert.True(order[..100].Select(r => r / blockRows).Distinct().Count() > 1, "the first rows come from more than one block");
        Assert.NotEqual(0, order[0] / blockRows);
    }

    [Fact]
    public void BlockSource_ShuffledPass_ReadsEachBlockOnce_AndSkipsWholeWindowsWithoutReading()
    {
        const int rows = 5000, columns = 300; // 6 MB in windows of 1 MiB
        var x = Matrix<float>.Build.Dense(rows, columns, (r, _) => r);
        int[] blocks = TestBlockSource.UnevenBlocks(rows);
        var source = new TestBlockSource(IdxFloatFile.RowMajor(x), columns, blocks) { ShuffleWindowBytes = 1 << 20 };
        Assert.Equal(rows, source.RowCount);
        Assert.Equal(Enumerable.Range(0, rows), Order(source, key: 5, skip: 0).Order());
        Assert.Equal(blocks.Count(b => b > 0), source.BlocksRead);

        var skipping = new TestBlockSource(IdxFloatFile.RowMajor(x), columns, blocks) { ShuffleWindowBytes = 1 << 20 };
        Assert.Equal(Order(source, key: 5, skip: 0)[4990..], Order(skipping, key: 5, skip: 4990));
        Assert.True(skipping.BlocksRead < blocks.Length / 2, $"read {skipping.BlocksRead} of {blocks.Length} blocks to give the last 10 rows");
    }

    [Fact]
    public void Rows_Ragged_OrNull_OrEmpty_AreRefusedNamingTheRow()
    {
        var ragged = Assert.Throws<ArgumentException>(() => DataSource.FromRows([new float[3], new float[3], new float[2]]));
        Assert.Equal("rows", ragged.ParamName);
        Assert.Contains("rows[2] has 2 values", ragged.Message);
        Assert.Contains("rows[1] is null", Assert.Throws<ArgumentException>(() => DataSource.FromRows([new float[3], null!])).Message);
        Assert.Contains("at least one row", Assert.Throws<ArgumentException>(() => DataSource.FromRows([])).Message);
        Assert.Throws<ArgumentNullException>(() => DataSource.FromRows(null!));
        Assert.Contains("2 left over", Assert.Throws<ArgumentException>(() => DataSource.FromArray(new float[11], 3)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSource.FromArray(new float[12], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSource.FromEnumerable([], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSource.FromRows([new float[3]]).Slice(0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSource.FromRows([new float[3]]).WithShuffleBuffer(0));
    }

    [Fact]
    public void SliceOfASlice_KeepsItsShuffleBuffer_AndOverlongSlicesAreRefused()
    {
        DataSource stream = DataSource.FromEnumerable(Enumerable.Range(0, 100).Select(r => new float[] { r }), 1, rowCount: 100);
        DataSource slice = stream.Slice(0, 80).WithShuffleBuffer(7).Slice(10, 60);
        Assert.Equal(7, slice.ShuffleBufferRows);
        Assert.Equal(60, slice.RowCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Slice(1, long.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSource.FromRows([new float[2]]).Slice(1, long.MaxValue));
        Assert.Null(DataSource.FromEnumerable([new float[1]], 1).Slice(0, 5).RowCount);
        Assert.Equal(1, DataSource.FromEnumerable([new float[1]], 1).Slice(0, 5).CountRows());
        Assert.Throws<ArgumentException>(() => DataSource.FromArray(Array.Empty<float>(), 3));
    }

    [Fact]
    public void Enumerable_RowOfTheWrongLength_IsAnErrorNamingIt()
    {
        DataSource source = DataSource.FromEnumerable([new float[4], new float[4], new float[5]], 4);
        var e = Assert.Throws<ArgumentException>(() => source.CountRows());
        Assert.Contains("row 2 has 5 values; expected 4", e.Message);
    }

    [Fact]
    public void Split_TakesTheLastRowsForValidation_WithoutCopying()
    {
        var x = Matrix<float>.Build.Dense(10, 2, (r, c) => (r * 2) + c);
        var (train, validation) = DataSource.FromEnumerable(Enumerable.Range(0, 10).Select(r => new float[] { 2 * r, (2 * r) + 1 }), 2).Split(0.3);
        Assert.Equal(7, train.RowCount);
        Assert.Equal(3, validation.RowCount);
        Assert.Equal(IdxFloatFile.RowMajor(x)[..14], ReadAll(train));
        Assert.Equal(IdxFloatFile.RowMajor(x)[14..], ReadAll(validation));
        Assert.Throws<ArgumentException>(() => DataSource.FromRows([new float[1], new float[1]]).Split(0.2));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataSource.FromRows([new float[1], new float[1]]).Split(1));
    }

    [Fact]
    public void Idx_Bytes_AreReadAsPixelsOver255_AndBadFilesAreRefused()
    {
        string bytes = Path.Combine(_folder, "bytes.idx");
        File.WriteAllBytes(bytes, [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 255, 51, 102]);
        DataSource source = DataSource.FromIdx(bytes);
        Assert.Equal(2, source.Columns);
        Assert.Equal(2, source.RowCount);
        Assert.Equal(new[] { 0f, 1f, 51 / 255f, 102 / 255f }, ReadAll(source));

        string truncated = Path.Combine(_folder, "short.idx");
        File.WriteAllBytes(truncated, [0, 0, 8, 2, 0, 0, 0, 3, 0, 0, 0, 2, 1, 2, 3]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => DataSource.FromIdx(truncated)).Message);
        string labels = Path.Combine(_folder, "labels.idx");
        File.WriteAllBytes(labels, [0, 0, 8, 1, 0, 0, 0, 1, 7]);
        Assert.Contains("rank of at least 2", Assert.Throws<InvalidDataException>(() => DataSource.FromIdx(labels)).Message);
        Assert.Throws<FileNotFoundException>(() => DataSource.FromIdx(Path.Combine(_folder, "missing.idx")));
    }

    [Fact]
    public void Prefetch_PassesOnTheInnerReadersError_WhenTheRowsReachIt()
    {
        IEnumerable<float[]> Rows()
        {
            yield return [1, 2];
            throw new InvalidOperationException("disk gone");
        }

        DataSource source = DataSource.FromAsyncEnumerable(Rows().ToAsyncEnumerable(), 2);
        using RowReader reader = source.OpenRows(0, long.MaxValue);
        Assert.Equal("disk gone", Assert.Throws<InvalidOperationException>(() => reader.ReadFully(new float[4], 2)).Message);
    }
}

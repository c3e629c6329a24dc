namespace Autoencoder.Parquet.Tests;

/// <summary>A Parquet file read by row group: the metadata at open, the selected columns' values row-major, and the nulls and values it refuses.</summary>
public class ParquetDataSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-parquet-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    [Fact]
    public void Open_TakesRowCountsFromTheFooter_AndEveryNumericColumnByDefault()
    {
        TestParquetFile file = TestParquetFile.Write(PathOf("x.parquet"));
        ParquetDataSource source = ParquetDataSource.Open(file.Path);
        Assert.Equal(230, source.RowCount);
        Assert.Equal(4, source.Columns);
        Assert.Equal(["f", "d", "i", "l"], source.ColumnNames);
        Assert.Equal(TestParquetFile.RowGroups.Length, source.RowGroupCount);
        Assert.Equal(TestParquetFile.RowGroups, Enumerable.Range(0, source.RowGroupCount).Select(g => Blocks.Rows(source, g)));
        Assert.Equal(Path.GetFullPath(file.Path), source.Path);
    }

    [Fact]
    public void ReadBlock_WritesTheRowGroupsSelectedColumns_RowMajor_InTheOrderAsked()
    {
        TestParquetFile file = TestParquetFile.Write(PathOf("x.parquet"));
        ParquetDataSource source = ParquetDataSource.Open(file.Path, new ParquetSourceOptions { Columns = ["l", "f", "d"] });
        float[] expected = [.. file.RowsOf("l", "f", "d").SelectMany(r => r)];
        int start = 0;
        for (int g = 0; g < source.RowGroupCount; g++)
        {
            int rows = TestParquetFile.RowGroups[g];
            Assert.Equal(expected[(start * 3)..((start + rows) * 3)], Blocks.Read(source, g));
            start += rows;
        }
    }

    [Fact]
    public void LabelColumn_IsLeftOutOfTheDefaultFeatures()
    {
        TestParquetFile file = TestParquetFile.Write(PathOf("x.parquet"));
        ParquetDataSource source = ParquetDataSource.Open(file.Path, new ParquetSourceOptions { LabelColumn = "i" });
        Assert.Equal(["f", "d", "l"], source.ColumnNames);
        Assert.Equal(file.RowsOf("f", "d", "l")[..37].SelectMany(r => r), Blocks.Read(source, 0));
    }

    [Fact]
    public void ConcurrentReads_FromSeveralThreads_GiveEachRowGroupsValues()
    {
        TestParquetFile file = TestParquetFile.Write(PathOf("x.parquet"));
        ParquetDataSource source = ParquetDataSource.Open(file.Path);
        float[][] expected = [.. Enumerable.Range(0, source.RowGroupCount).Select(g => Blocks.Read(source, g))];
        var read = new float[4 * source.RowGroupCount][];
        Parallel.For(0, read.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => read[i] = Blocks.Read(source, i % source.RowGroupCount));
        for (int i = 0; i < read.Length; i++)
        {
            Assert.Equal(expected[i % source.RowGroupCount], read[i]);
        }
    }

    [Fact]
    public void Nulls_AreAnErrorNamingFileRowGroupRowAndColumn_OrZeroWhenAsked()
    {
        TestParquetFile file = TestParquetFile.Write(PathOf("gaps.parquet"), withGaps: true);
        ParquetDataSource strict = ParquetDataSource.Open(file.Path, new ParquetSourceOptions { Columns = ["f", "gaps"] });
        var e = Assert.Throws<InvalidDataException>(() => Blocks.Read(strict, 3));
        // Row group 3 starts at row 42; its first null is row 45 of the file (45 % 7 == 3), row 3 of the group.
        Assert.Contains($"Parquet file '{Path.GetFullPath(file.Path)}', row group 3, row 3 (row 45 of the file): column 'gaps' is null", e.Message);

        ParquetDataSource zero = ParquetDataSource.Open(file.Path, new ParquetSourceOptions { Columns = ["gaps"], Nulls = ParquetNulls.Zero });
        Assert.Equal(file.Gaps[42..103].Select(g => (float)(g ?? 0)), Blocks.Read(zero, 3));

        // Training reads on a background thread; the error reaches the caller as it is.
        AutoencoderModel model = new AutoencoderBuilder(2).WithLatent(1).WithSeed(1).Build();
        var fit = Assert.Throws<InvalidDataException>(() => model.Fit(strict, new TrainingOptions { Epochs = 1, Shuffle = false }));
        Assert.Contains("row group 0, row 3 (row 3 of the file): column 'gaps' is null", fit.Message);
    }

    [Fact]
    public void EveryNumericType_IsReadAsFloat32_AndOtherTypesAreNotFeatures()
    {
        string path = OtherTypesFile.Write(PathOf("types.parquet"), huge: false);
        ParquetDataSource source = ParquetDataSource.Open(path);
        Assert.Equal(OtherTypesFile.NumericColumns, source.ColumnNames);
        Assert.Equal(OtherTypesFile.Expected, Blocks.Read(source, 0));
    }

    [Fact]
    public void DoubleBeyondFloat32_IsAnErrorNamingTheValue()
    {
        string path = OtherTypesFile.Write(PathOf("huge.parquet"), huge: true);
        ParquetDataSource source = ParquetDataSource.Open(path, new ParquetSourceOptions { Columns = ["double"] });
        var e = Assert.Throws<InvalidDataException>(() => Blocks.Read(source, 0));
        Assert.Contains("row group 0, row 1 (row 1 of the file): column 'double' holds 1E+300, which is not a finite float32 value", e.Message);
    }

    [Fact]
    public void MissingFile_IsFileNotFound_AndADirectoryIsRefused()
    {
        var e = Assert.Throws<FileNotFoundException>(() => ParquetDataSource.Open(PathOf("absent.parquet")));
        Assert.Contains("absent.parquet", e.Message);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => ParquetDataSource.Open(_folder)).ParamName);
        Assert.Throws<ArgumentNullException>(() => ParquetDataSource.Open(null!));
        Assert.Throws<ArgumentException>(() => ParquetDataSource.Open(""));
    }

    [Theory]
    [InlineData("")]
    [InlineData("PAR1")]
    [InlineData("a,b,c\n1,2,3\n4,5,6\n")]
    [InlineData("PAR1 not really a footer PAR1")]
    public void NonParquetFile_IsInvalidDataNamingThePath(string content)
    {
        string path = PathOf("table.csv");
        File.WriteAllText(path, content);
        var e = Assert.Throws<InvalidDataException>(() => ParquetDataSource.Open(path));
        Assert.Contains($"'{path}' is not a readable Parquet file", e.Message);
    }

    [Fact]
    public void UnknownOrNonNumericColumn_IsRefusedListingTheNumericOnes()
    {
        TestParquetFile file = TestParquetFile.Write(PathOf("x.parquet"));
        var unknown = Assert.Throws<ArgumentException>(() => ParquetDataSource.Open(file.Path, new ParquetSourceOptions { Columns = ["f", "g"] }));
        Assert.Equal("options", unknown.ParamName);
        Assert.Contains("Columns[1] is 'g', which is not a top-level column", unknown.Message);
        Assert.Contains("its numeric columns are 'f', 'd', 'i', 'l'", unknown.Message);

        var text = Assert.Throws<ArgumentException>(() => ParquetDataSource.Open(file.Path, new ParquetSourceOptions { Columns = ["label"] }));
        Assert.Contains("Columns[0] is 'label', a String column, which is not numeric", text.Message);
        Assert.Contains("are 'f', 'd', 'i', 'l'", text.Message);

        var label = Assert.Throws<ArgumentException>(() => ParquetDataSource.Open(file.Path, new ParquetSourceOptions { Columns = ["f", "i"], LabelColumn = "i" }));
        Assert.Contains("Column 'i' is the LabelColumn", label.Message);
        var missingLabel = Assert.Throws<ArgumentException>(() => ParquetDataSource.Open(file.Path, new ParquetSourceOptions { LabelColumn = "class" }));
        Assert.Contains("LabelColumn 'class' is not a top-level column", missingLabel.Message);
        Assert.Contains("'label'", missingLabel.Message);
    }

    [Fact]
    public void Options_AreCheckedWhenSet()
    {
        Assert.Contains("got an empty list", Assert.Throws<ArgumentException>(() => new ParquetSourceOptions { Columns = [] }).Message);
        Assert.Contains("got 'f' again at position 2", Assert.Throws<ArgumentException>(() => new ParquetSourceOptions { Columns = ["f", "d", "f"] }).Message);
        Assert.Contains("got null at position 1", Assert.Throws<ArgumentNullException>(() => new ParquetSourceOptions { Columns = ["f", null!] }).Message);
        Assert.Contains("empty string at position 0", Assert.Throws<ArgumentException>(() => new ParquetSourceOptions { Columns = [""] }).Message);
        Assert.Contains("got an empty string", Assert.Throws<ArgumentException>(() => new ParquetSourceOptions { LabelColumn = "" }).Message);
        var nulls = Assert.Throws<ArgumentOutOfRangeException>(() => new ParquetSourceOptions { Nulls = (ParquetNulls)7 });
        Assert.Equal("Nulls", nulls.ParamName);
        Assert.Contains("got 7", nulls.Message);
    }

    [Fact]
    public void FileChangedAfterOpen_IsAnErrorWhenRead()
    {
        TestParquetFile file = TestParquetFile.Write(PathOf("x.parquet"));
        ParquetDataSource source = ParquetDataSource.Open(file.Path);
        TestParquetFile.Write(file.Path, seed: 6);
        File.SetLastWriteTimeUtc(file.Path, File.GetLastWriteTimeUtc(file.Path).AddSeconds(1));
        Assert.Contains("changed since it was opened", Assert.Throws<InvalidDataException>(() => Blocks.Read(source, 0)).Message);
    }
}

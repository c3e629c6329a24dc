using System.Globalization;
using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Data;

/// <summary>Each <see cref="CsvOptions"/> setting as <see cref="CsvReader"/> applies it.</summary>
public class CsvReaderOptionsTests
{
    private static CsvTable Table(string text, CsvOptions options) => CsvReader.ReadTable(new StringReader(text), options);

    private static InvalidDataException Fails(string text, CsvOptions options) =>
        Assert.Throws<InvalidDataException>(() => Table(text, options));

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    [InlineData('|')]
    [InlineData(' ')]
    public void Delimiter_SplitsOnIt(char delimiter)
    {
        string text = string.Join(delimiter, "1.5", "2", "-3") + "\n" + string.Join(delimiter, "4", "5e1", "6") + "\n";

        Matrix<float> m = CsvReader.ReadMatrix(new StringReader(text), new CsvOptions { Delimiter = delimiter });

        Assert.Equal(new float[,] { { 1.5f, 2, -3 }, { 4, 50, 6 } }, m.ToArray());
    }

    [Fact]
    public void Delimiter_Semicolon_WithCommaDecimals_IsAnErrorNotAMisreading()
    {
        var ex = Fails("a;b\n1,5;2\n", new CsvOptions { Delimiter = ';', HasHeader = true });
        Assert.Contains("Line 2, column 1: expected a number but found '1,5'", ex.Message);
    }

    [Theory]
    [InlineData("x;y;z\n1;2;3\n", ';')]
    [InlineData("x\ty\tz\n1\t2\t3\n", '\t')]
    [InlineData("x|y|z\n1|2|3\n", '|')]
    [InlineData("x,y,z\n1,2,3\n", ',')]
    [InlineData("\"a;b\",\"c;d\",z\n1,2,3\n", ',')]
    public void DetectDelimiter_ChoosesTheMostFrequentOutsideQuotes(string text, char expected)
    {
        using CsvRowReader reader = CsvRowReader.Open(new StringReader(text), new CsvOptions { HasHeader = true, DetectDelimiter = true, Delimiter = ':' });
        Assert.Equal(expected, reader.Delimiter);
        Assert.Equal(3, reader.Columns);

        CsvTable table = Table(text, new CsvOptions { HasHeader = true, DetectDelimiter = true });
        Assert.Equal(new[] { 1f, 2f, 3f }, table.Features.Row(0).ToArray());
    }

    [Fact]
    public void DetectDelimiter_LooksPastSkippedAndBlankLines_AndCountsThemInLineNumbers()
    {
        var options = new CsvOptions { DetectDelimiter = true, SkipLines = 1 };
        CsvTable table = Table("3,2,x\n\n  \n1;2\n3;4\n5;6\n", options);
        Assert.Equal(new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }, table.Features.ToArray());

        var ex = Fails("3,2,x\n\n1;2\n3;x\n", options);
        Assert.Contains("Line 4, column 2: expected a number but found 'x'", ex.Message);
    }

    [Fact]
    public void DetectDelimiter_OneColumnOrTie_FallsBackInListOrder()
    {
        Assert.Equal(new float[,] { { 1 }, { 2 } }, Table("1\n2\n", new CsvOptions { DetectDelimiter = true }).Features.ToArray());
        using (CsvRowReader most = CsvRowReader.Open(new StringReader("a;b,c|d|e\n"), new CsvOptions { DetectDelimiter = true, HasHeader = true }))
        {
            Assert.Equal('|', most.Delimiter);   // one ';', one ',', two '|'
            Assert.Equal(3, most.Columns);
        }

        using CsvRowReader tie = CsvRowReader.Open(new StringReader("a|b;c\n"), new CsvOptions { DetectDelimiter = true, HasHeader = true });
        Assert.Equal(';', tie.Delimiter);   // ';' comes before '|' in DetectedDelimiters
    }

    [Fact]
    public void SkipLines_SkipsLinesOfAnyWidthAndContent_ThenReadsTheHeader()
    {
        CsvTable table = Table("506,13,,\u0001\"\n\"a\",b\n1,2\n", new CsvOptions { SkipLines = 1, HasHeader = true });

        Assert.Equal(["a", "b"], table.ColumnNames);
        Assert.Equal(new float[,] { { 1, 2 } }, table.Features.ToArray());
    }

    [Fact]
    public void SkipLines_PastTheEnd_GivesAnEmptyTable()
    {
        Matrix<float> m = Table("1,2\n", new CsvOptions { SkipLines = 5 }).Features;
        Assert.Equal((0, 0), (m.RowCount, m.ColumnCount));
    }

    [Fact]
    public void SkipLines_WithoutIt_AShorterFirstLineIsAWidthErrorNamingLinesAndCounts()
    {
        var ex = Fails("569,30,malignant,benign\n1,2,3,4,5\n", new CsvOptions { HasHeader = true });
        Assert.Contains("Line 2: expected 4 values (as on line 1) but found 5", ex.Message);

        var skipped = Fails("2,2\na,b\n1,2,3\n", new CsvOptions { SkipLines = 1, HasHeader = true });
        Assert.Contains("Line 3: expected 2 values (as on line 2) but found 3", skipped.Message);
    }

    [Fact]
    public void Header_NamesAreUnquotedAndTrimmed()
    {
        CsvTable table = Table(" \"x, first\" , \"say \"\"hi\"\"\"\t,plain\n1,2,3\n", new CsvOptions { HasHeader = true });
        Assert.Equal(["x, first", "say \"hi\"", "plain"], table.ColumnNames);
        Assert.Null(table.Labels);
        Assert.Null(Table("1,2\n", new CsvOptions()).ColumnNames);
    }

    [Fact]
    public void Columns_ByName_InTheGivenOrder()
    {
        CsvTable table = Table("a,b,c,d\n1,2,3,4\n5,6,7,8\n", new CsvOptions { HasHeader = true, Columns = ["c", "a"] });

        Assert.Equal(["c", "a"], table.ColumnNames);
        Assert.Equal(new float[,] { { 3, 1 }, { 7, 5 } }, table.Features.ToArray());
    }

    [Fact]
    public void Columns_UnknownName_ListsTheHeaderNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => Table("a,b,c\n1,2,3\n", new CsvOptions { HasHeader = true, Columns = ["a", "B"] }));

        Assert.Equal("options", ex.ParamName);
        Assert.Contains("Columns names 'B', which the header on line 1 lacks; its columns are 'a', 'b', 'c'.", ex.Message);
    }

    [Fact]
    public void Columns_NameHeldTwice_SaysWhichColumns()
    {
        var ex = Assert.Throws<ArgumentException>(() => Table("a,b,a\n1,2,3\n", new CsvOptions { HasHeader = true, Columns = ["a"] }));
        Assert.Contains("holds twice (columns 1 and 3)", ex.Message);
    }

    [Fact]
    public void ColumnIndices_InTheGivenOrder_OthersAreNeverParsed()
    {
        CsvTable table = Table("1,junk,3\n4,,6\n", new CsvOptions { ColumnIndices = [2, 0] });

        Assert.Null(table.ColumnNames);
        Assert.Equal(new float[,] { { 3, 1 }, { 6, 4 } }, table.Features.ToArray());
    }

    [Fact]
    public void ColumnIndices_PastTheWidth_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Table("1,2,3\n", new CsvOptions { ColumnIndices = [0, 3] }));
        Assert.Contains("ColumnIndices must hold positions below the 3 columns of line 1; got 3.", ex.Message);
    }

    [Fact]
    public void LabelColumnIndex_IsReadAsTextAndNeverAsAFeature()
    {
        CsvTable table = Table("1,setosa,2\n3, \"versi,color\" ,4\n", new CsvOptions { LabelColumnIndex = 1 });

        Assert.Equal(new float[,] { { 1, 2 }, { 3, 4 } }, table.Features.ToArray());
        Assert.Equal(["setosa", "versi,color"], table.Labels);
    }

    [Fact]
    public void LabelColumn_ByName_WithSelectedColumns()
    {
        CsvTable table = Table("a,y,b\n1,0,2\n3,1,4\n", new CsvOptions { HasHeader = true, LabelColumn = "y", Columns = ["b"] });

        Assert.Equal(["b"], table.ColumnNames);
        Assert.Equal(new float[,] { { 2 }, { 4 } }, table.Features.ToArray());
        Assert.Equal(["0", "1"], table.Labels);
    }

    [Fact]
    public void Label_AlsoSelectedAsAFeatureThroughTheOtherKindOfSelection_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Table("a,y\n1,2\n", new CsvOptions { HasHeader = true, Columns = ["a", "y"], LabelColumnIndex = 1 }));
        Assert.Contains("The label column is never a feature; got column 2 ('y') as both.", ex.Message);
    }

    [Fact]
    public void LabelColumnIndex_PastTheWidth_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Table("1,2\n", new CsvOptions { LabelColumnIndex = 2 }));
        Assert.Contains("LabelColumnIndex must be below the 2 columns of line 1; got 2.", ex.Message);
    }

    [Fact]
    public void LabelColumn_UnknownName_ListsTheHeaderNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => Table("a,b\n1,2\n", new CsvOptions { HasHeader = true, LabelColumn = "class" }));
        Assert.Contains("LabelColumn names 'class', which the header on line 1 lacks; its columns are 'a', 'b'.", ex.Message);
    }

    [Fact]
    public void InvalidRows_Error_NamesLineColumnAndText()
    {
        var options = new CsvOptions { LabelColumnIndex = 2 };
        Assert.Contains("Line 2, column 2: expected a number but found 'n/a'", Fails("1,2,a\n3,n/a,b\n", options).Message);
        Assert.Contains("Line 2, column 1: expected a number but the value is empty", Fails("1,2,a\n,4,b\n", options).Message);
        Assert.Contains("Line 1, column 3: expected a label but the value is empty", Fails("1,2,\"\"\n", options).Message);
    }

    [Fact]
    public void InvalidRows_Skip_DropsAndCountsRowsWithMissingOrNonNumericValues()
    {
        const string text = "a,b,y\n1,2,p\n,3,q\n4,x,r\n5,6,\n7,1e39,s\n8,9,t\n";

        CsvTable table = Table(text, new CsvOptions { HasHeader = true, LabelColumn = "y", InvalidRows = CsvInvalidRows.Skip });

        Assert.Equal(new float[,] { { 1, 2 }, { 8, 9 } }, table.Features.ToArray());
        Assert.Equal(["p", "t"], table.Labels);
        Assert.Equal(4, table.SkippedRows);
    }

    [Theory]
    [InlineData("1,2\n3,4,5\n", "Line 2: expected 2 values (as on line 1) but found 3")]
    [InlineData("1,2\n3,\"4\n", "Line 2: malformed quoting")]
    [InlineData("1,2\n3,4\u0000\n", "Line 2, column 2: expected text without control characters")]
    public void InvalidRows_Skip_StillRefusesBrokenRows(string text, string message)
    {
        Assert.Contains(message, Fails(text, new CsvOptions { InvalidRows = CsvInvalidRows.Skip }).Message);
    }

    [Fact]
    public void NoHeader_FirstRowOfNames_SaysToSetHasHeader()
    {
        var ex = Fails("x,y\n1,2\n", new CsvOptions());
        Assert.Contains("Line 1, column 1: expected a number but found 'x' (if line 1 holds column names, set HasHeader = true).", ex.Message);
    }

    [Fact]
    public void NoHeader_FirstRowOfNumbersGoneWrong_GivesNoHeaderHint()
    {
        Assert.DoesNotContain("HasHeader", Fails("1.000,5\n", new CsvOptions { Delimiter = ';' }).Message);
        Assert.DoesNotContain("HasHeader", Fails("1\nx\n", new CsvOptions()).Message);
    }

    [Fact]
    public void Columns_OnAnEmptyInput_SaysThereIsNoHeader()
    {
        var ex = Assert.Throws<ArgumentException>(() => Table(string.Empty, new CsvOptions { HasHeader = true, Columns = ["a"] }));
        Assert.Contains("Columns names 'a', but the empty input has no header line.", ex.Message);
        Assert.Equal([], Table(string.Empty, new CsvOptions { HasHeader = true }).ColumnNames);
    }

    [Fact]
    public void QuotedFields_MayHoldTheDelimiterAndDoubledQuotes()
    {
        CsvTable table = Table("\"1\";\"2;5\";\"a\"\"b\"\n", new CsvOptions { Delimiter = ';', ColumnIndices = [0], LabelColumnIndex = 2, InvalidRows = CsvInvalidRows.Error });

        Assert.Equal(1f, table.Features[0, 0]);
        Assert.Equal(["a\"b"], table.Labels);
    }

    [Fact]
    public void QuotedField_WithALineBreak_IsAControlCharacterError()
    {
        var ex = Fails("1,\"2\n3\"\n4,5\n", new CsvOptions());
        Assert.Contains("Line 1, column 2: expected text without control characters but found the control character U+000A at character 2 of the value", ex.Message);
    }

    [Fact]
    public void QuoteInsideAnUnquotedValue_IsAQuotingError()
    {
        var ex = Fails("1,2\"3,4\n", new CsvOptions());
        Assert.Contains("Line 1: malformed quoting: a quote at character 4 inside a value that does not start with one", ex.Message);
    }

    [Fact]
    public void Numbers_AreInvariant_UnderACommaDecimalCulture()
    {
        CultureInfo previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            CsvTable table = Table("a;b\n1.5;-2.25e1\n", new CsvOptions { Delimiter = ';', HasHeader = true });
            Assert.Equal(new[] { 1.5f, -22.5f }, table.Features.Row(0).ToArray());

            var ex = Fails("a;b\n1,5;2\n", new CsvOptions { Delimiter = ';', HasHeader = true });
            Assert.Contains("Line 2, column 1: expected a number but found '1,5'", ex.Message);
            var thousands = Fails("1.000,5\n", new CsvOptions { Delimiter = ';' });
            Assert.Contains("found '1.000,5'", thousands.Message);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void FromFile_ErrorsNameTheFile_AndTheTextReaderIsNotDisposed()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "table.csv");
        File.WriteAllText(path, "shape line\nx;y\n1;2\n3;oops\n");

        var ex = Assert.Throws<InvalidDataException>(() => CsvReader.ReadTable(path, new CsvOptions { SkipLines = 1, HasHeader = true, Delimiter = ';' }));
        Assert.Contains($"Invalid CSV file '{path}': Line 4, column 2: expected a number but found 'oops'.", ex.Message);

        var unknown = Assert.Throws<ArgumentException>(() => CsvReader.ReadMatrix(path, new CsvOptions { SkipLines = 1, HasHeader = true, Delimiter = ';', Columns = ["z"] }));
        Assert.Contains($"line 2 of '{path}' lacks", unknown.Message);

        using var reader = new StringReader("1,2\n");
        Assert.Equal(2, CsvReader.ReadMatrix(reader, new CsvOptions()).ColumnCount);
        Assert.Equal(-1, reader.Peek());
    }

    [Fact]
    public void ReadTable_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => CsvReader.ReadTable((string)null!, new CsvOptions()));
        Assert.Throws<ArgumentNullException>(() => CsvReader.ReadTable(new StringReader(string.Empty), null!));
        using var folder = new TempFolder();
        string path = folder.Write("t.csv", [(byte)'1']);
        Assert.Throws<ArgumentNullException>(() => CsvReader.ReadMatrix(path, (CsvOptions)null!));
    }
}

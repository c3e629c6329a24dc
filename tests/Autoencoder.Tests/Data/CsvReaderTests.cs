using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Data;

public class CsvReaderTests
{
    private static Matrix<float> Read(string text, bool hasHeader = false) =>
        CsvReader.ReadMatrix(new StringReader(text), hasHeader);

    private static InvalidDataException Fails(string text, bool hasHeader = false) =>
        Assert.Throws<InvalidDataException>(() => Read(text, hasHeader));

    [Fact]
    public void ReadMatrix_GivesOneRowPerLine()
    {
        Matrix<float> m = Read("1,2,3\n4.5,-6e-1, 7 \r\n");

        Assert.Equal(2, m.RowCount);
        Assert.Equal(3, m.ColumnCount);
        Assert.Equal(new[] { 1f, 2f, 3f }, m.Row(0).ToArray());
        Assert.Equal(new[] { 4.5f, -0.6f, 7f }, m.Row(1).ToArray());
    }

    [Fact]
    public void ReadMatrix_SkipsHeaderAndBlankLines()
    {
        Matrix<float> m = Read("\"x, first\",y\n\n1,2\n   \n3,4\n", hasHeader: true);
        Assert.Equal(new float[,] { { 1, 2 }, { 3, 4 } }, m.ToArray());
    }

    [Fact]
    public void ReadMatrix_AcceptsQuotedNumbers()
    {
        Matrix<float> m = Read("\"1.25\", \"2\"\n");
        Assert.Equal(new[] { 1.25f, 2f }, m.Row(0).ToArray());
    }

    [Fact]
    public void ReadMatrix_UsesInvariantCultureWhateverTheCurrentCulture()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal(1.5f, Read("1.5\n")[0, 0]);
            var ex = Fails("1,5;2\n3,5;4\n4;5\n");
            Assert.Contains("Line 1, column 2", ex.Message);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void ReadMatrix_EmptyText_GivesEmptyMatrix()
    {
        Matrix<float> m = Read(string.Empty);
        Assert.Equal((0, 0), (m.RowCount, m.ColumnCount));
        Matrix<float> headerOnly = Read("a,b,c\n", hasHeader: true);
        Assert.Equal((0, 3), (headerOnly.RowCount, headerOnly.ColumnCount));
    }

    [Theory]
    [InlineData("1,2\n3,x\n", "Line 2, column 2: expected a number but found 'x'")]
    [InlineData("1,2\n3,\n", "Line 2, column 2: expected a number but the value is empty")]
    [InlineData("1,2\n\n3, 4 5\n", "Line 3, column 2: expected a number but found '4 5'")]
    [InlineData("1,NaN\n", "Line 1, column 2: expected a finite single-precision number but found 'NaN'")]
    [InlineData("1e39\n", "Line 1, column 1: expected a finite single-precision number but found '1e39'")]
    [InlineData("1,2\n3,4,5\n", "Line 2: expected 2 values (as on line 1) but found 3")]
    [InlineData("1,2,3\n\n4\n", "Line 3: expected 3 values (as on line 1) but found 1")]
    [InlineData("1,\"2\n", "Line 1: malformed quoting: the quote opened at character 3 is not closed")]
    [InlineData("\"1\"2,3\n", "Line 1: malformed quoting: unexpected character '2'")]
    public void ReadMatrix_BadInput_ThrowsNamingLineAndColumn(string text, string message)
    {
        Assert.Contains(message, Fails(text).Message);
    }

    [Theory]
    [InlineData("7\0\0,2\n", false, "Line 1, column 1", "U+0000")]
    [InlineData("1,2\n3,4\u0007\n", false, "Line 2, column 2", "U+0007")]
    [InlineData("\"1\0\",2\n", false, "Line 1, column 1", "U+0000")]
    [InlineData("1,\u001b[31m2\n", false, "Line 1, column 2", "U+001B")]
    [InlineData("1,2\u007f\n", false, "Line 1, column 2", "U+007F")]
    [InlineData("1\u0085,2\n", false, "Line 1, column 1", "U+0085")]
    [InlineData("\v\n1\n", false, "Line 1, column 1", "U+000B")]
    [InlineData("1\f,2\n", false, "Line 1, column 1", "U+000C")]
    [InlineData("a,b\u0001\n1,2\n", true, "Line 1, column 2", "U+0001")]
    public void ReadMatrix_ControlCharacter_ThrowsNamingLineColumnAndCharacter(string text, bool hasHeader, string where, string character)
    {
        var ex = Fails(text, hasHeader);
        Assert.Contains(where + ": ", ex.Message);
        Assert.Contains("control character " + character, ex.Message);
    }

    [Theory]
    [InlineData("1\u00a0,2\n", "Line 1, column 1: expected a number but found '1\\u00A0'")]
    [InlineData("\u00a0\n", "Line 1, column 1: expected a number but found '\\u00A0'")]
    [InlineData("\u20032\n", "Line 1, column 1: expected a number but found '\\u20032'")]
    [InlineData("\ufeff1\n", "Line 1, column 1: expected a number but found '\\uFEFF1'")]
    [InlineData("\uff11\uff12\n", "Line 1, column 1: expected a number but found '\\uFF11\\uFF12'")]
    [InlineData("\"1,000\"\n", "Line 1, column 1: expected a number but found '1,000'")]
    [InlineData("1 000\n", "Line 1, column 1: expected a number but found '1 000'")]
    [InlineData("1\t2\n", "Line 1, column 1: expected a number but found '1\\u00092'")]
    [InlineData("0x10\n", "Line 1, column 1: expected a number but found '0x10'")]
    [InlineData("(1)\n", "Line 1, column 1: expected a number but found '(1)'")]
    [InlineData("1e\n", "Line 1, column 1: expected a number but found '1e'")]
    [InlineData("Infinity\n", "Line 1, column 1: expected a finite single-precision number but found 'Infinity'")]
    [InlineData("-1e39\n", "Line 1, column 1: expected a finite single-precision number but found '-1e39'")]
    public void ReadMatrix_JunkInANumber_ThrowsShowingInvisibleCharactersAsEscapes(string text, string message)
    {
        Assert.Contains(message, Fails(text).Message);
    }

    [Fact]
    public void ReadMatrix_AcceptsTheDocumentedNumberForms()
    {
        Matrix<float> m = Read(" +2 ,\t-3\t, .5 ,5.,1.5e3,-2E-2,007,\" 8 \",1e-50,-0\n");
        Assert.Equal(new[] { 2f, -3f, 0.5f, 5f, 1500f, -0.02f, 7f, 8f, 0f, -0f }, m.Row(0).ToArray());
        Assert.True(float.IsNegative(m[0, 9]), "-0 keeps its sign");
    }

    [Fact]
    public void ReadMatrix_RowWiderThanHeader_Throws()
    {
        var ex = Fails("a,b\n1,2,3\n", hasHeader: true);
        Assert.Contains("Line 2: expected 2 values (as on line 1) but found 3", ex.Message);
    }

    [Fact]
    public void ReadMatrix_FromFile_NamesTheFileInErrors()
    {
        using var folder = new TempFolder();
        string good = Path.Combine(folder.Path, "good.csv");
        string bad = Path.Combine(folder.Path, "bad.csv");
        File.WriteAllText(good, "a,b\n1,2\n3,4\n");
        File.WriteAllText(bad, "1,2\n3,oops\n");

        Assert.Equal(new float[,] { { 1, 2 }, { 3, 4 } }, CsvReader.ReadMatrix(good, hasHeader: true).ToArray());
        var ex = Assert.Throws<InvalidDataException>(() => CsvReader.ReadMatrix(bad, hasHeader: false));
        Assert.Contains(bad, ex.Message);
        Assert.Contains("Line 2, column 2", ex.Message);
    }

    [Fact]
    public void ReadMatrix_MissingFile_ThrowsFileNotFoundWithThePath()
    {
        string missing = Path.Combine(Path.GetTempPath(), "autoencoder-missing-" + Guid.NewGuid().ToString("N") + ".csv");
        var ex = Assert.Throws<FileNotFoundException>(() => CsvReader.ReadMatrix(missing, false));
        Assert.Equal(missing, ex.FileName);
        Assert.Contains(missing, ex.Message);
    }

    [Fact]
    public void ReadMatrix_Directory_ThrowsArgumentSayingItIsADirectory()
    {
        using var folder = new TempFolder();
        var ex = Assert.Throws<ArgumentException>(() => CsvReader.ReadMatrix(folder.Path, hasHeader: false));
        Assert.Equal("path", ex.ParamName);
        Assert.Contains($"Expected a CSV file but '{folder.Path}' is a directory", ex.Message);
    }

    [Fact]
    public void ReadMatrix_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => CsvReader.ReadMatrix((string)null!, false));
        Assert.Throws<ArgumentNullException>(() => CsvReader.ReadMatrix((TextReader)null!, false));
        Assert.Throws<ArgumentException>(() => CsvReader.ReadMatrix(string.Empty, false));
    }
}

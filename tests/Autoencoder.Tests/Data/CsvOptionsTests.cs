using Autoencoder.Data;

namespace Autoencoder.Tests.Data;

public class CsvOptionsTests
{
    [Fact]
    public void Defaults_AreCommaNoHeaderNoSkipAllColumnsAndErrors()
    {
        var options = new CsvOptions();

        Assert.Equal(',', options.Delimiter);
        Assert.False(options.DetectDelimiter);
        Assert.False(options.HasHeader);
        Assert.Equal(0, options.SkipLines);
        Assert.Null(options.Columns);
        Assert.Null(options.ColumnIndices);
        Assert.Null(options.LabelColumn);
        Assert.Null(options.LabelColumnIndex);
        Assert.Equal(CsvInvalidRows.Error, options.InvalidRows);
        Assert.Equal([',', ';', '\t', '|'], CsvOptions.DetectedDelimiters);
    }

    [Theory]
    [InlineData(',')]
    [InlineData(';')]
    [InlineData('\t')]
    [InlineData('|')]
    [InlineData(' ')]
    [InlineData(':')]
    [InlineData('\u001f')]
    public void Delimiter_SupportedCharacter_IsKept(char delimiter)
    {
        Assert.Equal(delimiter, new CsvOptions { Delimiter = delimiter }.Delimiter);
    }

    [Theory]
    [InlineData('"', "'\"'")]
    [InlineData('\n', "U+000A")]
    [InlineData('\r', "U+000D")]
    [InlineData('\0', "U+0000")]
    [InlineData('#', "'#'")]
    [InlineData('.', "'.'")]
    [InlineData('-', "'-'")]
    [InlineData('e', "'e'")]
    [InlineData('7', "'7'")]
    [InlineData('\u00e9', "U+00E9")]
    public void Delimiter_UnsupportedCharacter_ThrowsSayingWhatIsAllowedAndWhatWasGiven(char delimiter, string shown)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new CsvOptions { Delimiter = delimiter });

        Assert.Equal("Delimiter", ex.ParamName);
        Assert.Contains("Delimiter must be the tab, U+001F or a printable ASCII character", ex.Message);
        Assert.Contains("got " + shown + ".", ex.Message);
    }

    [Fact]
    public void SkipLines_Negative_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new CsvOptions { SkipLines = -1 });
        Assert.Equal("SkipLines", ex.ParamName);
        Assert.Contains("SkipLines must be at least 0; got -1.", ex.Message);
    }

    [Fact]
    public void Columns_AreCopied_SoLaterChangesToTheListDoNotMatter()
    {
        var names = new List<string> { "b", "a" };
        var options = new CsvOptions { HasHeader = true, Columns = names };
        names[0] = "z";

        Assert.Equal(["b", "a"], options.Columns);
    }

    [Fact]
    public void Columns_Empty_Null_OrRepeated_Throw()
    {
        var empty = Assert.Throws<ArgumentException>(() => new CsvOptions { Columns = [] });
        Assert.Equal("Columns", empty.ParamName);
        Assert.Contains("at least one column; got an empty list", empty.Message);

        var nullName = Assert.Throws<ArgumentNullException>(() => new CsvOptions { Columns = ["a", null!] });
        Assert.Contains("got null at position 1", nullName.Message);

        var twice = Assert.Throws<ArgumentException>(() => new CsvOptions { Columns = ["a", "b", "a"] });
        Assert.Contains("each column once; got 'a' again at position 2", twice.Message);
    }

    [Fact]
    public void ColumnIndices_Empty_Negative_OrRepeated_Throw()
    {
        Assert.Contains("got an empty list", Assert.Throws<ArgumentException>(() => new CsvOptions { ColumnIndices = [] }).Message);

        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => new CsvOptions { ColumnIndices = [0, -2] });
        Assert.Equal("ColumnIndices", negative.ParamName);
        Assert.Contains("at least 0; got -2 at position 1", negative.Message);

        var twice = Assert.Throws<ArgumentException>(() => new CsvOptions { ColumnIndices = [3, 3] });
        Assert.Contains("each column once; got 3 again at position 1", twice.Message);
    }

    [Fact]
    public void Label_EmptyName_OrNegativeIndex_Throw()
    {
        var name = Assert.Throws<ArgumentException>(() => new CsvOptions { LabelColumn = string.Empty });
        Assert.Equal("LabelColumn", name.ParamName);
        Assert.Contains("got an empty string", name.Message);

        var index = Assert.Throws<ArgumentOutOfRangeException>(() => new CsvOptions { LabelColumnIndex = -1 });
        Assert.Equal("LabelColumnIndex", index.ParamName);
        Assert.Contains("LabelColumnIndex must be at least 0; got -1.", index.Message);
    }

    [Fact]
    public void InvalidRows_Undefined_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new CsvOptions { InvalidRows = (CsvInvalidRows)7 });
        Assert.Contains("InvalidRows must be one of Error, Skip; got 7.", ex.Message);
    }

    public static TheoryData<CsvOptions, string> Contradictions => new()
    {
        { new CsvOptions { HasHeader = true, Columns = ["a"], ColumnIndices = [0] }, "Set Columns (names) or ColumnIndices (positions), not both." },
        { new CsvOptions { HasHeader = true, LabelColumn = "y", LabelColumnIndex = 2 }, "not both; got 'y' and 2." },
        { new CsvOptions { Columns = ["a"] }, "needs HasHeader = true; got HasHeader = false." },
        { new CsvOptions { LabelColumn = "y" }, "LabelColumn 'y' is a header name, so it needs HasHeader = true" },
        { new CsvOptions { ColumnIndices = [0, 1], LabelColumnIndex = 1 }, "got LabelColumnIndex 1, which ColumnIndices also holds." },
        { new CsvOptions { HasHeader = true, Columns = ["a", "y"], LabelColumn = "y" }, "got LabelColumn 'y', which Columns also names." },
    };

    [Theory]
    [MemberData(nameof(Contradictions))]
    public void Open_ContradictoryOptions_ThrowsArgumentNamingOptions(CsvOptions options, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => CsvReader.ReadTable(new StringReader("a,b,y\n1,2,3\n"), options));

        Assert.Equal("options", ex.ParamName);
        Assert.Contains(message, ex.Message);
    }
}

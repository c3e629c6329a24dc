using System.Globalization;
using Autoencoder.Data;

namespace Autoencoder.Tests.Data;

public class CsvRowReaderTests
{
    [Fact]
    public void Read_GivesEachRowWithItsLabelAndLine_ThenFalse()
    {
        using CsvRowReader reader = CsvRowReader.Open(
            new StringReader("shape\nx,y,class\n1,2,a\n\n3,4,b\n"),
            new CsvOptions { SkipLines = 1, HasHeader = true, LabelColumn = "class" });

        Assert.Equal(2, reader.Columns);
        Assert.Equal(["x", "y"], reader.ColumnNames);
        Assert.True(reader.HasLabel);
        Assert.Equal(0, reader.LineNumber);

        Span<float> row = stackalloc float[2];
        Assert.True(reader.Read(row, out string? label));
        Assert.Equal((1f, 2f, "a", 3L), (row[0], row[1], label, reader.LineNumber));
        Assert.True(reader.Read(row, out label));
        Assert.Equal((3f, 4f, "b", 5L), (row[0], row[1], label, reader.LineNumber));
        Assert.False(reader.Read(row, out label));
        Assert.Null(label);
        Assert.Equal(5, reader.LineNumber);
        Assert.Equal(0, reader.SkippedRows);
    }

    [Fact]
    public void Read_WithoutHeaderOrLabel_HasNoNamesAndNullLabels()
    {
        using CsvRowReader reader = CsvRowReader.Open(new StringReader("1,2,3\n"), new CsvOptions());

        Assert.Equal(3, reader.Columns);
        Assert.Null(reader.ColumnNames);
        Assert.False(reader.HasLabel);
        float[] row = new float[3];
        Assert.True(reader.Read(row, out string? label));
        Assert.Null(label);
        Assert.Equal([1f, 2f, 3f], row);
    }

    [Fact]
    public void Read_Skip_CountsSkippedRowsAsItGoes()
    {
        using CsvRowReader reader = CsvRowReader.Open(new StringReader("1\nx\n\n2\ny\n"), new CsvOptions { InvalidRows = CsvInvalidRows.Skip });
        float[] row = new float[1];

        Assert.True(reader.Read(row, out _));
        Assert.Equal((0L, 1L), (reader.SkippedRows, reader.LineNumber));
        Assert.True(reader.Read(row, out _));
        Assert.Equal((1L, 4L, 2f), (reader.SkippedRows, reader.LineNumber, row[0]));
        Assert.False(reader.Read(row, out _));
        Assert.Equal(2, reader.SkippedRows);
    }

    [Fact]
    public void Read_LineBreakInQuotes_IsAnErrorOnTheLineTheRowStarts()
    {
        using CsvRowReader reader = CsvRowReader.Open(new StringReader("0,0\n1,\"a\nb\"\n2,x\n"), new CsvOptions { ColumnIndices = [0] });
        float[] row = new float[1];

        Assert.True(reader.Read(row, out _));
        var ex = Assert.Throws<InvalidDataException>(() => reader.Read(row, out _));
        Assert.Contains("Line 2, column 2: expected text without control characters but found the control character U+000A", ex.Message);
    }

    [Fact]
    public void Read_LineNumbersFollowMultiLineRowsAndCarriageReturns()
    {
        using CsvRowReader reader = CsvRowReader.Open(new StringReader("1\r\n2\r3\n\n4"), new CsvOptions());
        float[] row = new float[1];
        var lines = new List<long>();
        while (reader.Read(row, out _))
        {
            lines.Add(reader.LineNumber);
        }

        Assert.Equal([1L, 2L, 3L, 5L], lines);
    }

    [Fact]
    public void Read_SpanOfTheWrongLength_Throws()
    {
        using CsvRowReader reader = CsvRowReader.Open(new StringReader("1,2\n"), new CsvOptions());

        var ex = Assert.Throws<ArgumentException>(() => reader.Read(new float[3], out _));
        Assert.Equal("features", ex.ParamName);
        Assert.Contains("the 2 features of a row; got 3 values", ex.Message);
    }

    [Fact]
    public void Dispose_ClosesTheFile_ThenReadThrows()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "rows.csv");
        File.WriteAllText(path, "1\n2\n");

        CsvRowReader reader = CsvRowReader.Open(path, new CsvOptions());
        reader.Dispose();
        reader.Dispose();

        using (File.Open(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            // The file can be opened exclusively: the reader no longer holds it.
        }

        Assert.Throws<ObjectDisposedException>(() => reader.Read(new float[1], out _));
    }

    [Fact]
    public void Dispose_LeavesTheCallersTextReaderOpen()
    {
        using var text = new StringReader("1\n2\n");
        CsvRowReader reader = CsvRowReader.Open(text, new CsvOptions());
        reader.Dispose();

        _ = text.Peek();   // a disposed StringReader would throw
    }

    [Fact]
    public void Read_ManyRows_StreamsWithoutKeepingTheText()
    {
        const int Rows = 200_000;
        using var source = new GeneratedRows(Rows);
        using CsvRowReader reader = CsvRowReader.Open(source, new CsvOptions());
        float[] row = new float[reader.Columns];
        double sum = 0;
        long read = 0;

        long before = GC.GetAllocatedBytesForCurrentThread();
        while (reader.Read(row, out _))
        {
            sum += row[0];
            read++;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(Rows, read);
        Assert.Equal((double)Rows * (Rows - 1) / 2, sum);
        // The text is about 9 MB (18 MB as chars); reading it allocates nothing per row.
        Assert.True(allocated < 1_000_000, $"reading {Rows} rows allocated {allocated} bytes");
    }

    /// <summary>Rows <c>i,0.5,-1e-3,7,i</c> written as they are read, into one small buffer, so no copy of the whole text exists.</summary>
    private sealed class GeneratedRows(int rows) : TextReader
    {
        private readonly char[] _line = new char[64];
        private int _next;
        private int _length;
        private int _position;

        public override int Read(Span<char> buffer)
        {
            if (_position == _length)
            {
                if (_next == rows)
                {
                    return 0;
                }

                Span<char> line = _line;
                _next.TryFormat(line, out int n, provider: CultureInfo.InvariantCulture);
                ",0.5,-1e-3,7,".CopyTo(line[n..]);
                n += 13;
                _next.TryFormat(line[n..], out int m, provider: CultureInfo.InvariantCulture);
                n += m;
                line[n++] = '\n';
                _length = n;
                _position = 0;
                _next++;
            }

            int count = Math.Min(buffer.Length, _length - _position);
            _line.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));
    }
}

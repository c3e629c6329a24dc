namespace Autoencoder.Samples.Tests;

/// <summary>Options and inputs the samples cannot use: one line on stderr, a non-zero exit code, no stack trace.</summary>
public sealed class BadOptionTests
{
    [Fact]
    public void MissingDataFolder_OneLineError()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid().ToString("N"));

        SampleRun run = SampleRun.Start("compress", "--quick", "--data", missing);

        run.AssertFailedWithOneLine("not found");
        Assert.Equal(1, run.ExitCode);
    }

    [Fact]
    public void CorruptIdxFile_OneLineErrorNamingTheFile()
    {
        string folder = Directory.CreateTempSubdirectory("corrupt-idx-").FullName;
        File.WriteAllBytes(Path.Combine(folder, "t10k-images-idx3-ubyte"), [0x00, 0x00, 0x08, 0x03, 0x13, 0x37, 0xFF]);
        File.WriteAllBytes(Path.Combine(folder, "t10k-labels-idx1-ubyte"), [0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07]);

        SampleRun run = SampleRun.Start("denoise", "--quick", "--data", folder);

        run.AssertFailedWithOneLine("t10k-images-idx3-ubyte");
    }

    [Fact]
    public void FolderWithoutIdxFiles_OneLineError()
    {
        string folder = Directory.CreateTempSubdirectory("empty-idx-").FullName;

        SampleRun run = SampleRun.Start("embed", "--quick", "--data", folder);

        run.AssertFailedWithOneLine("t10k-images-idx3-ubyte");
    }

    [Theory]
    [InlineData("--latent", "0", "--latent must be at least 1")]
    [InlineData("--epochs", "-3", "--epochs must be at least 1")]
    [InlineData("--batch-size", "0", "--batch-size must be at least 1")]
    [InlineData("--epochs", "many", "many")]
    [InlineData("--latent", "2000000000", "--latent must be at most 65536")]
    public void InvalidNumber_OneLineUsageError(string option, string value, string message)
    {
        SampleRun run = SampleRun.Start("compress", "--quick", "--shapes", option, value);

        run.AssertFailedWithOneLine(message);
        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public void TooManyGeneratedImages_OneLineUsageError()
    {
        SampleRun run = SampleRun.Start("generate", "--quick", "--shapes", "--count", "3000000");

        run.AssertFailedWithOneLine("--count must be from 1 to 10000");
        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public void HugeClassRange_OneLineError()
    {
        SampleRun run = SampleRun.Start("anomaly", "--quick", "--shapes", "--normal-classes", "0-2147483647");

        run.AssertFailedWithOneLine("--normal-classes must name classes from 0 to 9999");
        Assert.Equal(1, run.ExitCode);
    }

    [Fact]
    public void SingleImageFolder_OneLineError()
    {
        string folder = Directory.CreateTempSubdirectory("one-image-").FullName;
        var images = new byte[16 + 4];
        images[2] = 0x08;
        images[3] = 0x03;
        images[7] = 1;  // one image
        images[11] = 2; // 2 rows
        images[15] = 2; // 2 columns
        File.WriteAllBytes(Path.Combine(folder, "t10k-images-idx3-ubyte"), images);
        File.WriteAllBytes(Path.Combine(folder, "t10k-labels-idx1-ubyte"), [0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00, 0x01, 0x03]);

        SampleRun run = SampleRun.Start("compress", "--quick", "--data", folder);

        run.AssertFailedWithOneLine("at least 2");
    }

    [Fact]
    public void CancelledBeforeTheFirstEpochEnds_ReportsTheModelAsItIs()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        string folder = Directory.CreateTempSubdirectory("samples-cancel-").FullName;
        using var output = new StringWriter();
        using var error = new StringWriter();

        int code = SamplesApp.Run(["compress", "--quick", "--shapes", "--output", folder], output, error, cancelled.Token);

        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Contains("0 (stopped during the first epoch)", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownCommand_OneLineUsageError()
    {
        SampleRun run = SampleRun.Start(["squash", "--quick"], addOutputFolder: false);

        run.AssertFailedWithOneLine("squash");
    }

    [Fact]
    public void NoCommand_OneLineUsageError()
    {
        SampleRun run = SampleRun.Start([], addOutputFolder: false);

        run.AssertFailedWithOneLine("command");
    }

    [Fact]
    public void UnknownOption_OneLineUsageError()
    {
        SampleRun run = SampleRun.Start("generate", "--quick", "--colour", "blue");

        run.AssertFailedWithOneLine("--colour");
    }

    [Theory]
    [InlineData("denoise", "--noise-level", "0")]
    [InlineData("anomaly", "--fpr", "1.5")]
    [InlineData("anomaly", "--normal-classes", "a-b")]
    public void OutOfRangeSampleOption_OneLineError(string command, string option, string value)
    {
        SampleRun run = SampleRun.Start(command, "--quick", "--shapes", option, value);

        run.AssertFailedWithOneLine(option);
    }

    [Fact]
    public void TwoDataSources_OneLineError()
    {
        SampleRun run = SampleRun.Start("compress", "--quick", "--shapes", "--data", TestData.MnistFolder);

        run.AssertFailedWithOneLine("choose one source");
    }

    [Fact]
    public void AnomalyOnUnlabeledCsv_SaysLabelsAreNeeded()
    {
        string csv = CsvTests.WriteCsv(rows: 60, labelled: false);

        SampleRun run = SampleRun.Start("anomaly", "--quick", "--csv", csv);

        run.AssertFailedWithOneLine("needs class labels");
    }

    [Fact]
    public void MissingCsvFile_OneLineError()
    {
        SampleRun run = SampleRun.Start("compress", "--quick", "--csv", Path.Combine(Path.GetTempPath(), "missing-" + Guid.NewGuid().ToString("N") + ".csv"));

        run.AssertFailedWithOneLine("not found");
    }

    [Theory]
    [InlineData("--columns", "0,1")]
    [InlineData("--label-column", "2")]
    [InlineData("--csv-delimiter", ";")]
    [InlineData("--csv-skip-lines", "1")]
    public void CsvOptionWithoutCsv_OneLineError(string option, string value)
    {
        SampleRun run = SampleRun.Start("compress", "--quick", "--shapes", option, value);

        run.AssertFailedWithOneLine(option + " applies only to --csv input");
        Assert.Equal(1, run.ExitCode);
    }

    [Theory]
    [InlineData("no header", new[] { "--columns", "p0,p1" }, "--columns names a column, so it needs --csv-header")]
    [InlineData("no header", new[] { "--label-column", "class" }, "--label-column names a column, so it needs --csv-header")]
    [InlineData("header", new[] { "--label-column", "kind" }, "LabelColumn names 'kind', which the header on line 1 of")]
    [InlineData("header", new[] { "--columns", "p0,3" }, "--columns must be all header names or all positions from 0")]
    [InlineData("header", new[] { "--columns", "p0,,p1" }, "--columns must be comma-separated header names or positions from 0")]
    [InlineData("header", new[] { "--columns", "0,99" }, "ColumnIndices must hold positions below the 17 columns")]
    [InlineData("header", new[] { "--csv-delimiter", "ab" }, "--csv-delimiter must be one character, 'tab' or 'auto'; got 'ab'.")]
    [InlineData("header", new[] { "--csv-delimiter", "#" }, "Delimiter must be the tab, U+001F or a printable ASCII character")]
    [InlineData("header", new[] { "--label-column", "p3", "--columns", "p3,p4" }, "never a feature")]
    public void UnusableCsvOption_OneLineError(string file, string[] options, string message)
    {
        string csv = CsvTests.WriteCsv(rows: 40, labelled: true, ',', header: file == "header", shapeLine: false, textLabels: false);

        SampleRun run = SampleRun.Start(["compress", "--quick", "--csv", csv, .. file == "header" ? ["--csv-header"] : Array.Empty<string>(), .. options]);

        run.AssertFailedWithOneLine(message);
        Assert.Equal(1, run.ExitCode);
    }

    [Fact]
    public void NegativeCsvSkipLines_OneLineUsageError()
    {
        SampleRun run = SampleRun.Start("compress", "--quick", "--csv", "x.csv", "--csv-skip-lines", "-1");

        run.AssertFailedWithOneLine("--csv-skip-lines must be at least 0; got -1.");
        Assert.Equal(2, run.ExitCode);
    }
}

namespace Autoencoder.Samples.Tests;

/// <summary>
/// <c>--model dense|conv</c> of compress and denoise: parsing, the default per kind of data, the
/// usage errors, and short conv runs on the built-in shapes that draw their pictures and report their figures.
/// </summary>
public sealed class ModelOptionTests
{
    private const string ConvLine = "model: conv, conv2d:";
    private const string DenseImageLine = "model: 784-256-";

    public static TheoryData<string> ImageCommands => new() { "compress", "denoise" };

    [Theory]
    [InlineData("compress", "conv", ConvLine)]
    [InlineData("compress", "dense", DenseImageLine)]
    [InlineData("denoise", "conv", ConvLine)]
    [InlineData("denoise", "dense", DenseImageLine)]
    public void ModelOption_BuildsTheModelAskedFor(string command, string model, string expected)
    {
        SampleRun run = SampleRun.StartUntrained(command, "--quick", "--shapes", "--model", model);

        run.AssertSucceeded();
        Assert.Contains(expected, run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("compress", "shapes")]
    [InlineData("compress", "mnist")]
    [InlineData("denoise", "shapes")]
    [InlineData("denoise", "mnist")]
    public void NoModelOption_OnTwentyEightPixelImages_IsConv(string command, string dataset)
    {
        SampleRun run = SampleRun.StartUntrained([command, "--quick", .. TestData.DataArguments(dataset)]);

        run.AssertSucceeded();
        Assert.Contains(ConvLine, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ConvCompress_CodeIsEightByFourByFour()
    {
        SampleRun run = SampleRun.StartUntrained("compress", "--quick", "--shapes");

        run.AssertSucceeded();
        Assert.Contains("code 8×4×4 = 128 values", run.Output, StringComparison.Ordinal);
        Assert.Equal(128, run.Figure("latent units"));
    }

    [Fact]
    public void ConvDenoise_CodeIsSixteenBySevenBySeven()
    {
        SampleRun run = SampleRun.StartUntrained("denoise", "--quick", "--shapes");

        run.AssertSucceeded();
        Assert.Contains("code 16×7×7 = 784 values", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ImageCommands))]
    public void NoModelOption_WithLatent_IsDense(string command)
    {
        SampleRun run = SampleRun.StartUntrained(command, "--quick", "--shapes", "--latent", "16");

        run.AssertSucceeded();
        Assert.Contains("model: 784-256-16-256-784", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ImageCommands))]
    public void NoModelOption_OnCsv_IsDense(string command)
    {
        string csv = CsvTests.WriteCsv(rows: 60, labelled: false);

        SampleRun run = SampleRun.StartUntrained(command, "--quick", "--csv", csv);

        run.AssertSucceeded();
        Assert.Contains("model: 16-256-", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ImageCommands))]
    public void UnknownModel_OneLineUsageError(string command)
    {
        SampleRun run = SampleRun.Start(command, "--quick", "--shapes", "--model", "bad");

        run.AssertFailedWithOneLine("bad");
        Assert.Equal(2, run.ExitCode);
    }

    [Theory]
    [MemberData(nameof(ImageCommands))]
    public void ConvOnCsv_OneLineUsageError(string command)
    {
        string csv = CsvTests.WriteCsv(rows: 60, labelled: false);

        SampleRun run = SampleRun.Start(command, "--quick", "--csv", csv, "--model", "conv");

        run.AssertFailedWithOneLine("--model conv needs 28×28 images (IDX files or the built-in shapes), not a CSV table; use --model dense with --csv.");
        Assert.Equal(1, run.ExitCode);
    }

    [Theory]
    [MemberData(nameof(ImageCommands))]
    public void ConvOnOtherImageSize_OneLineUsageError(string command)
    {
        string folder = WriteIdxFolder(count: 20, side: 4);

        SampleRun run = SampleRun.Start(command, "--quick", "--data", folder, "--model", "conv");

        run.AssertFailedWithOneLine("--model conv needs 28×28 one-channel images; the data are images of 4×4 pixels. Use --model dense.");
        Assert.Equal(1, run.ExitCode);
    }

    [Theory]
    [MemberData(nameof(ImageCommands))]
    public void NoModelOption_OnOtherImageSize_IsDense(string command)
    {
        string folder = WriteIdxFolder(count: 20, side: 4);

        SampleRun run = SampleRun.StartUntrained(command, "--quick", "--data", folder);

        run.AssertSucceeded();
        Assert.Contains("model: 16-256-", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ImageCommands))]
    public void ConvWithLatent_OneLineUsageError(string command)
    {
        SampleRun run = SampleRun.Start(command, "--quick", "--shapes", "--model", "conv", "--latent", "8");

        run.AssertFailedWithOneLine("--latent sizes the dense model's code");
        Assert.Equal(1, run.ExitCode);
    }

    [Fact]
    public void Compress_QuickConv_WritesGridAndReportsCodeBytesAndPsnr()
    {
        // Two epochs of the quick subset (2,700 training rows): a few seconds on two cores.
        SampleRun run = SampleRun.Start("compress", "--quick", "--epochs", "2", "--shapes");

        run.AssertSucceeded();
        Assert.Contains(ConvLine, run.Output, StringComparison.Ordinal);
        Assert.Contains("epoch 2/2", run.Output, StringComparison.Ordinal);
        CommandTests.AssertPictures(run, ("loss.png", 640, 420), ("reconstructions.png", CommandTests.GridSide(12), CommandTests.GridSide(2)));
        Assert.Equal(128, run.Figure("latent units"));
        Assert.Equal(784 * 4, run.Figure("bytes per image, raw float32"));
        Assert.Equal(128 * 4, run.Figure("bytes per image, float32 code"));
        Assert.Equal(128, run.Figure("bytes per image, 8-bit code"));
        Assert.Equal(6.1, run.Figure("ratio float32 code vs float32 pixels"));   // 3,136 / 512
        Assert.Equal(24.5, run.Figure("ratio 8-bit code vs float32 pixels"));    // 3,136 / 128
        double psnr = CommandTests.Finite(run, "PSNR dB, float32 code");
        Assert.InRange(psnr, 5, 100);
        Assert.InRange(CommandTests.Finite(run, "PSNR dB, 8-bit code"), psnr - 1, psnr + 1);
        Assert.True(PngFile.DistinctColours(Path.Combine(run.OutputFolder, "reconstructions.png")) > 2, "the grid is not blank");
    }

    [Fact]
    public void Denoise_QuickConv_WritesThreeRowGridAndGainsPsnr()
    {
        SampleRun run = SampleRun.Start("denoise", "--quick", "--epochs", "2", "--shapes", "--noise-level", "0.4");

        run.AssertSucceeded();
        Assert.Contains(ConvLine, run.Output, StringComparison.Ordinal);
        CommandTests.AssertPictures(run, ("loss.png", 640, 420), ("denoised.png", CommandTests.GridSide(12), CommandTests.GridSide(3)));
        double noisy = CommandTests.Finite(run, "PSNR dB, noisy");
        double denoised = CommandTests.Finite(run, "PSNR dB, denoised");
        Assert.True(denoised > noisy + 0.5, $"denoised PSNR {denoised} dB is not above the noisy input's {noisy} dB");
        Assert.Equal(Math.Round(denoised - noisy, 2), CommandTests.Finite(run, "PSNR gain dB"), 0.011);
        Assert.True(double.IsFinite(CommandTests.Finite(run, "PSNR dB, clean input reconstructed")));
    }

    /// <summary>A folder holding only a t10k split of <paramref name="count"/> square images of <paramref name="side"/> pixels (bright left half) and their labels.</summary>
    private static string WriteIdxFolder(int count, int side)
    {
        string folder = Directory.CreateTempSubdirectory("small-idx-").FullName;
        var images = new byte[16 + (count * side * side)];
        images[2] = 0x08;
        images[3] = 0x03;
        images[7] = (byte)count;
        images[11] = (byte)side;
        images[15] = (byte)side;
        for (int i = 16; i < images.Length; i++)
        {
            images[i] = (byte)((i - 16) % side < side / 2 ? 200 : 20);
        }

        var labels = new byte[8 + count];
        labels[2] = 0x08;
        labels[3] = 0x01;
        labels[7] = (byte)count;
        File.WriteAllBytes(Path.Combine(folder, "t10k-images-idx3-ubyte"), images);
        File.WriteAllBytes(Path.Combine(folder, "t10k-labels-idx1-ubyte"), labels);
        return folder;
    }
}

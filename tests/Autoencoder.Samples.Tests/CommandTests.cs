namespace Autoencoder.Samples.Tests;

/// <summary>
/// Each sample in <c>--quick</c> mode, on the built-in shapes and on the MNIST test set: it exits 0,
/// writes PNG files that decode to the expected size and prints its figures as finite numbers.
/// </summary>
public sealed class CommandTests
{
    // A grid of 28×28 images drawn at scale 2 with 2-pixel gaps: 2 + n·(56 + 2) pixels.
    internal static int GridSide(int images) => 2 + (images * 58);

    public static TheoryData<string> Datasets => new() { "shapes", "mnist" };

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Compress_QuickDense_WritesGridAndReportsSizesAndPsnr(string dataset)
    {
        // --latent sizes the dense model's code, so the run is dense without --model.
        SampleRun run = SampleRun.Start(["compress", "--quick", "--latent", "8", .. TestData.DataArguments(dataset)]);

        run.AssertSucceeded();
        Assert.Contains("epoch 3/3", run.Output, StringComparison.Ordinal);
        AssertPictures(run, ("loss.png", 640, 420), ("reconstructions.png", GridSide(12), GridSide(2)));
        Assert.Equal(784 * 4, run.Figure("bytes per image, raw float32"));
        Assert.Equal(8 * 4, run.Figure("bytes per image, float32 code"));
        Assert.Equal(8, run.Figure("bytes per image, 8-bit code"));
        Assert.Equal(98.0, run.Figure("ratio float32 code vs float32 pixels"));
        Assert.Equal(392.0, run.Figure("ratio 8-bit code vs float32 pixels"));
        double psnr = Finite(run, "PSNR dB, float32 code");
        double quantized = Finite(run, "PSNR dB, 8-bit code");
        Assert.InRange(psnr, 5, 100);
        Assert.InRange(quantized, psnr - 1, psnr + 1);   // 8-bit codes cost little
        Assert.True(Finite(run, "per-image MSE, worst") >= Finite(run, "per-image MSE, mean"));
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Denoise_QuickDense_WritesThreeRowGridAndReportsPsnr(string dataset)
    {
        SampleRun run = SampleRun.Start(["denoise", "--quick", "--model", "dense", "--noise-level", "0.4", .. TestData.DataArguments(dataset)]);

        run.AssertSucceeded();
        AssertPictures(run, ("loss.png", 640, 420), ("denoised.png", GridSide(12), GridSide(3)));
        double noisy = Finite(run, "PSNR dB, noisy");
        double denoised = Finite(run, "PSNR dB, denoised");
        // Quick mode trains 3 epochs on 3,000 rows: measured +1.1 dB on MNIST at σ 0.4, more on the shapes.
        Assert.True(denoised > noisy + 0.5, $"denoised PSNR {denoised} dB is not above the noisy input's {noisy} dB");
        Assert.Equal(Math.Round(denoised - noisy, 2), Finite(run, "PSNR gain dB"), 0.011);
        Assert.InRange(noisy, 5, 20);   // σ 0.4 noise: about 10·log10(1 / 0.16) = 8 dB before clipping
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Anomaly_Quick_WritesHistogramAndReportsRocAucPrecisionRecall(string dataset)
    {
        // Ten epochs on the quick subset: enough that some novel rows pass the threshold, so
        // precision is defined (no row flagged leaves it undefined).
        SampleRun run = SampleRun.Start(["anomaly", "--quick", "--epochs", "10", .. TestData.DataArguments(dataset)]);

        run.AssertSucceeded();
        AssertPictures(run, ("loss.png", 640, 420), ("scores.png", 640, 420));
        Assert.InRange(Finite(run, "ROC-AUC"), 0.6, 1);   // digits 0–4 or filled shapes vs the rest: clearly better than chance
        Assert.InRange(Finite(run, "precision at threshold"), 0, 1);
        Assert.InRange(Finite(run, "recall at threshold"), 0, 1);
        Assert.Equal(0.05, Finite(run, "target false-positive rate"));
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Embed_Quick_WritesScatterAndReportsNeighbourAccuracy(string dataset)
    {
        SampleRun run = SampleRun.Start(["embed", "--quick", .. TestData.DataArguments(dataset)]);

        run.AssertSucceeded();
        AssertPictures(run, ("loss.png", 640, 420), ("embedding.png", 800, 420));
        Assert.InRange(Finite(run, "5-NN accuracy"), 0, 1);
        Assert.Equal(2, Finite(run, "latent units"));
    }

    [Fact]
    public void Embed_LargerLatent_PlotsPrincipalComponents()
    {
        SampleRun run = SampleRun.Start(["embed", "--quick", "--latent", "6", "--shapes"]);

        run.AssertSucceeded();
        Assert.Contains("first two principal components", run.Output, StringComparison.Ordinal);
        Assert.InRange(Finite(run, "variance explained by PC1 + PC2"), 0, 100);
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Generate_Quick_WritesSampleGridAndReportsElbo(string dataset)
    {
        SampleRun run = SampleRun.Start(["generate", "--quick", "--count", "16", .. TestData.DataArguments(dataset)]);

        run.AssertSucceeded();
        AssertPictures(run, ("loss.png", 640, 420), ("generated.png", GridSide(4), GridSide(4)));
        Assert.True(Finite(run, "held-out ELBO") < 0, "an ELBO of 784 Bernoulli pixels is a negative log-likelihood bound");
        Assert.True(PngFile.DistinctColours(Path.Combine(run.OutputFolder, "generated.png")) > 2, "generated images are not blank");
    }

    [Fact]
    public void Help_ListsEveryCommand()
    {
        SampleRun run = SampleRun.Start(["--help"], addOutputFolder: false);

        run.AssertSucceeded();
        foreach (string command in new[] { "compress", "denoise", "anomaly", "embed", "generate" })
        {
            Assert.Contains(command, run.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("compress")]
    [InlineData("denoise")]
    [InlineData("anomaly")]
    [InlineData("embed")]
    [InlineData("generate")]
    public void CommandHelp_ListsSharedOptions(string command)
    {
        SampleRun run = SampleRun.Start([command, "--help"], addOutputFolder: false);

        run.AssertSucceeded();
        foreach (string option in new[] { "--epochs", "--batch-size", "--latent", "--seed", "--data", "--csv", "--csv-delimiter", "--csv-skip-lines", "--columns", "--label-column", "--output", "--quick" })
        {
            Assert.Contains(option, run.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("compress")]
    [InlineData("denoise")]
    public void ImageCommandHelp_ListsTheModelOption(string command)
    {
        SampleRun run = SampleRun.Start([command, "--help"], addOutputFolder: false);

        run.AssertSucceeded();
        Assert.Contains("--model <dense|conv>", run.Output, StringComparison.Ordinal);
        Assert.Contains("--model conv on 28×28 images", run.Output, StringComparison.Ordinal);
    }

    internal static double Finite(SampleRun run, string name)
    {
        double value = run.Figure(name);
        Assert.True(double.IsFinite(value), $"{name} is {value}");
        return value;
    }

    internal static void AssertPictures(SampleRun run, params (string File, int Width, int Height)[] expected)
    {
        Assert.Equal(expected.Select(e => Path.Combine(run.OutputFolder, e.File)).Order(), run.WrittenFiles.Order());
        foreach ((string file, int width, int height) in expected)
        {
            Assert.Equal((width, height), PngFile.AssertValid(Path.Combine(run.OutputFolder, file)));
        }
    }
}

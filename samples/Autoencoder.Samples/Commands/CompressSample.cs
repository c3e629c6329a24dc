using System.CommandLine;
using Autoencoder.Samples.Data;
using Autoencoder.Samples.Evaluation;
using Autoencoder.Samples.Output;
using Autoencoder.Samples.Rendering;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Samples.Commands;

/// <summary>
/// Compression: trains an autoencoder, then measures what a latent code costs per image (float32
/// and 8-bit min-max quantised) and how faithfully the decoder restores the image from it.
/// </summary>
internal sealed class CompressSample : Sample
{
    /// <summary>Images shown per row of the grid.</summary>
    public const int GridColumns = 12;

    /// <inheritdoc/>
    public override string Name => "compress";

    /// <inheritdoc/>
    public override string Description =>
        "Train an autoencoder and report bytes per image of its codes (float32 and 8-bit), compression ratios and PSNR; draws originals over reconstructions.";

    /// <inheritdoc/>
    public override int DefaultEpochs => 20;

    /// <inheritdoc/>
    public override int DefaultLatent => 32;

    /// <inheritdoc/>
    public override void Run(ParseResult parse, SampleSettings settings, SampleConsole console)
    {
        Dataset data = LoadData(settings, console);
        AutoencoderModel model = new AutoencoderBuilder(data.Features)
            .AddEncoderLayer(256, Activation.Relu)
            .WithLatent(settings.Latent, Activation.Relu)
            .WithOutputActivation(Activation.Sigmoid)
            .WithSeed(settings.Seed)
            .Build();
        DescribeModel(model, console);
        TrainingHistory history = console.Train(model, data.Train, Training(settings, Loss.BinaryCrossEntropy));
        SaveLossCurve(settings, console, history, "binary cross-entropy");

        // 8-bit codes: one min-max range per latent unit, fitted on the training codes.
        CodeQuantizer quantizer = CodeQuantizer.Fit(model.Encode(data.Train));
        Matrix<float> codes = model.Encode(data.Test);
        Matrix<float> reconstructions = model.Decode(codes);
        Matrix<float> fromQuantized = model.Decode(quantizer.RoundTrip(codes));
        double[] errors = ImageQuality.RowErrors(reconstructions, data.Test);
        double[] quantizedErrors = ImageQuality.RowErrors(fromQuantized, data.Test);
        var sizes = new CompressionFigures(data.Features, model.LatentSize);

        string grid = OutputPath(settings, "reconstructions.png");
        ImageGrid.Save(grid, [data.Test, reconstructions], data.Height, data.Width, GridColumns, scale: 2);
        console.Line($"wrote {grid} (top: test images, bottom: their reconstructions)");

        console.Summary("compress: test images", [
            .. TrainingFigures(history),
            ("latent units", model.LatentSize.ToString("N0")),
            ("bytes per image, raw float32", sizes.RawFloatBytes.ToString("N0")),
            ("bytes per image, raw 8-bit pixels", sizes.Raw8BitBytes.ToString("N0")),
            ("bytes per image, float32 code", sizes.CodeFloatBytes.ToString("N0")),
            ("bytes per image, 8-bit code", $"{sizes.Code8BitBytes:N0} (+{quantizer.SideInformationBytes:N0} once for the ranges)"),
            ("ratio float32 code vs float32 pixels", $"{sizes.FloatCodeVsFloatPixels:F1}x"),
            ("ratio float32 code vs 8-bit pixels", $"{sizes.FloatCodeVs8BitPixels:F1}x"),
            ("ratio 8-bit code vs float32 pixels", $"{sizes.QuantizedCodeVsFloatPixels:F1}x"),
            ("ratio 8-bit code vs 8-bit pixels", $"{sizes.QuantizedCodeVs8BitPixels:F1}x"),
            ("PSNR dB, float32 code (mean over images)", errors.Average(e => ImageQuality.Psnr(e)).ToString("F2")),
            ("PSNR dB, 8-bit code (mean over images)", quantizedErrors.Average(e => ImageQuality.Psnr(e)).ToString("F2")),
            ("per-image MSE, mean", errors.Average().ToString("F5")),
            ("per-image MSE, worst", errors.Max().ToString("F5")),
            ("per-image MSE, 8-bit code, mean", quantizedErrors.Average().ToString("F5")),
        ]);
    }
}

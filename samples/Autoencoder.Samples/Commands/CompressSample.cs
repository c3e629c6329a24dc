using System.CommandLine;
using Autoencoder.Samples.Data;
using Autoencoder.Samples.Evaluation;
using Autoencoder.Samples.Output;
using Autoencoder.Samples.Rendering;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Samples.Commands;

/// <summary>
/// Compression: trains an autoencoder, then measures what a latent code costs per image (float32
/// and 8-bit min-max quantised) and how faithfully the decoder restores the image from it. On
/// 28 × 28 images the model is by default the Keras blog's convolutional autoencoder, whose code
/// is 8 × 4 × 4 = 128 values; elsewhere (or with <c>--model dense</c>) one hidden dense layer of 256.
/// </summary>
internal sealed class CompressSample : Sample
{
    /// <summary>Images shown per row of the grid.</summary>
    public const int GridColumns = 12;

    /// <summary>
    /// The Keras blog's convolutional autoencoder: three 3 × 3 convolutions (16, 8, 8 filters, same
    /// padding) each followed by 2 × 2 max pooling down to an 8 × 4 × 4 code, and back up through
    /// convolutions and upsampling (the 16-filter one with valid padding, 16 → 14) to a sigmoid image.
    /// </summary>
    public static readonly ConvArchitecture ConvModel = new(
        [
            LayerDefinition.Conv2D(16, 3, padding: Padding.Same),
            LayerDefinition.MaxPool2D(2, Padding.Same),
            LayerDefinition.Conv2D(8, 3, padding: Padding.Same),
            LayerDefinition.MaxPool2D(2, Padding.Same),
            LayerDefinition.Conv2D(8, 3, padding: Padding.Same),
        ],
        LayerDefinition.MaxPool2D(2, Padding.Same),
        [
            LayerDefinition.Conv2D(8, 3, padding: Padding.Same),
            LayerDefinition.UpSampling2D(2),
            LayerDefinition.Conv2D(8, 3, padding: Padding.Same),
            LayerDefinition.UpSampling2D(2),
            LayerDefinition.Conv2D(16, 3),
            LayerDefinition.UpSampling2D(2),
            LayerDefinition.Conv2D(1, 3, Activation.Sigmoid, Padding.Same),
        ],
        "8×4×4");

    private readonly ModelChoice _model = new("the Keras blog's convolutional autoencoder (3×3 convolutions of 16, 8 and 8 filters, each max-pooled by 2, to a code of 8×4×4 = 128 values, and back through upsampling)");

    /// <inheritdoc/>
    public override string Name => "compress";

    /// <inheritdoc/>
    public override string Description =>
        "Train an autoencoder and report bytes per image of its codes (float32 and 8-bit), compression ratios and PSNR; draws originals over reconstructions.";

    /// <inheritdoc/>
    public override string Defaults =>
        $"--model conv on 28×28 images (code 8×4×4 = 128 values), else dense with latent size {DefaultLatent}; {DefaultEpochs} epochs ({QuickEpochs} with --quick)";

    /// <inheritdoc/>
    public override int DefaultEpochs => 20;

    /// <inheritdoc/>
    public override int DefaultLatent => 32;

    /// <inheritdoc/>
    public override void AddOptions(Command command) => _model.AddTo(command);

    /// <inheritdoc/>
    public override void Run(ParseResult parse, SampleSettings settings, SampleConsole console)
    {
        ModelKind? given = _model.Given(parse);
        ModelChoice.CheckOptions(given, settings, ConvModel.CodeShape);
        Dataset data = LoadData(settings, console);
        AutoencoderModel model;
        if (ModelChoice.Choose(given, data, settings) == ModelKind.Conv)
        {
            model = ConvModel.Build(settings.Seed);
            DescribeModel(model, ConvModel, console);
        }
        else
        {
            model = new AutoencoderBuilder(data.Features)
                .AddEncoderLayer(256, Activation.Relu)
                .WithLatent(settings.Latent, Activation.Relu)
                .WithOutputActivation(Activation.Sigmoid)
                .WithSeed(settings.Seed)
                .Build();
            DescribeModel(model, console);
        }

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

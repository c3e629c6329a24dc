using System.CommandLine;
using Autoencoder.Samples.Data;
using Autoencoder.Samples.Evaluation;
using Autoencoder.Samples.Output;
using Autoencoder.Samples.Rendering;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Samples.Commands;

/// <summary>
/// Denoising: trains with <see cref="TrainingOptions.Corruption"/> (noisy inputs, clean targets),
/// then cleans noisy test images and compares both with the clean ones. On 28 × 28 images the
/// model is by default the Keras blog's denoising convolutional autoencoder; elsewhere (or with
/// <c>--model dense</c>) one hidden dense layer of 256.
/// </summary>
internal sealed class DenoiseSample : Sample
{
    /// <summary>Noise level unless <c>--noise-level</c> is given.</summary>
    public const double DefaultNoiseLevel = 0.3;

    /// <summary>
    /// Filters of every hidden convolution of the conv model: half the Keras blog's 32, which on two
    /// cores took 25 s per epoch of 18,000 SyntheticShapes images against 12 s with 16 filters, for
    /// 0.75 dB less PSNR after one epoch.
    /// </summary>
    public const int ConvFilters = 16;

    /// <summary>
    /// The Keras blog's denoising autoencoder at half its width: two 3 × 3 convolutions of
    /// <see cref="ConvFilters"/> filters (same padding), each max-pooled by 2, to a code of
    /// 16 × 7 × 7 values, then two convolutions each upsampled by 2 and a sigmoid convolution to the image.
    /// </summary>
    public static readonly ConvArchitecture ConvModel = new(
        [
            LayerDefinition.Conv2D(ConvFilters, 3, padding: Padding.Same),
            LayerDefinition.MaxPool2D(2, Padding.Same),
            LayerDefinition.Conv2D(ConvFilters, 3, padding: Padding.Same),
        ],
        LayerDefinition.MaxPool2D(2, Padding.Same),
        [
            LayerDefinition.Conv2D(ConvFilters, 3, padding: Padding.Same),
            LayerDefinition.UpSampling2D(2),
            LayerDefinition.Conv2D(ConvFilters, 3, padding: Padding.Same),
            LayerDefinition.UpSampling2D(2),
            LayerDefinition.Conv2D(1, 3, Activation.Sigmoid, Padding.Same),
        ],
        $"{ConvFilters}×7×7");

    private readonly ModelChoice _model = new($"the Keras blog's denoising convolutional autoencoder at half width: two 3×3 convolutions of {ConvFilters} filters (the blog has 32), each max-pooled by 2, to a code of {ConvFilters}×7×7 values, and back through two convolutions and upsampling; on 2 cores 16 filters took 12 s per epoch of 18,000 images, 32 filters 25 s");

    private readonly Option<NoiseKind> _noise = new("--noise")
    {
        Description = "Kind of noise: Gaussian (additive, level = σ), Masking (values set to 0) or SaltAndPepper (values set to 0 or 1)",
        DefaultValueFactory = _ => NoiseKind.Gaussian,
    };

    private readonly Option<double> _level = new("--noise-level")
    {
        Description = "σ of Gaussian noise, or the fraction of values replaced for Masking and SaltAndPepper",
        DefaultValueFactory = _ => DefaultNoiseLevel,
    };

    /// <inheritdoc/>
    public override string Name => "denoise";

    /// <inheritdoc/>
    public override string Description =>
        "Train a denoising autoencoder (noisy inputs, clean targets) and report the PSNR of noisy and denoised test images; draws noisy / denoised / clean rows.";

    /// <inheritdoc/>
    public override int DefaultEpochs => 20;

    /// <inheritdoc/>
    public override int DefaultLatent => 64;

    /// <inheritdoc/>
    public override string Defaults =>
        $"--model conv on 28×28 images (code {ConvFilters}×7×7 values), else dense with latent size {DefaultLatent}; {DefaultEpochs} epochs ({QuickEpochs} with --quick)";

    /// <inheritdoc/>
    public override void AddOptions(Command command)
    {
        _model.AddTo(command);
        command.Add(_noise);
        command.Add(_level);
    }

    /// <inheritdoc/>
    public override void Run(ParseResult parse, SampleSettings settings, SampleConsole console)
    {
        NoiseKind kind = parse.GetValue(_noise);
        double level = parse.GetValue(_level);
        InputCorruption corruption = Noise.Corruption(kind, level);
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

        console.Line($"noise: {kind} at level {level} on every training batch");
        TrainingHistory history = console.Train(model, data.Train, Training(settings, Loss.BinaryCrossEntropy) with { Corruption = corruption });
        SaveLossCurve(settings, console, history, "binary cross-entropy (noisy input vs clean target)");

        // The model sees the noise as it was trained (Gaussian unclipped); the picture and the
        // noisy PSNR use the noisy images clipped to [0, 1], as they would be stored.
        Matrix<float> noisy = Noise.Apply(data.Test, kind, level, settings.Seed + 1);
        Matrix<float> denoised = model.Reconstruct(noisy);
        Matrix<float> noisyImages = ImageQuality.Clip(noisy);
        double noisyPsnr = ImageQuality.MeanPsnr(noisyImages, data.Test);
        double denoisedPsnr = ImageQuality.MeanPsnr(denoised, data.Test);
        double cleanPsnr = ImageQuality.MeanPsnr(model.Reconstruct(data.Test), data.Test);

        string grid = OutputPath(settings, "denoised.png");
        ImageGrid.Save(grid, [noisyImages, denoised, data.Test], data.Height, data.Width, CompressSample.GridColumns, scale: 2);
        console.Line($"wrote {grid} (rows: noisy, denoised, clean)");

        console.Summary("denoise: test images against the clean originals", [
            .. TrainingFigures(history),
            ("noise", $"{kind}, level {level}"),
            ("PSNR dB, noisy (mean over images)", noisyPsnr.ToString("F2")),
            ("PSNR dB, denoised (mean over images)", denoisedPsnr.ToString("F2")),
            ("PSNR gain dB", (denoisedPsnr - noisyPsnr).ToString("F2")),
            ("PSNR dB, clean input reconstructed", cleanPsnr.ToString("F2")),
        ]);
    }
}

using System.CommandLine;
using Autoencoder.Samples.Data;

namespace Autoencoder.Samples.Commands;

/// <summary>The kind of autoencoder an image sample trains.</summary>
internal enum ModelKind
{
    /// <summary>Fully connected layers on the image as a row of pixels.</summary>
    Dense,

    /// <summary>Convolutions, max pooling and upsampling on the 28 × 28 image.</summary>
    Conv,
}

/// <summary>
/// A convolutional model as layer definitions: the encoder layers, the layer that makes the code and
/// the decoder layers, with the shape of the code for the report.
/// </summary>
/// <param name="Encoder">The encoder layers before the code.</param>
/// <param name="Latent">The layer whose output is the code.</param>
/// <param name="Decoder">The decoder layers, the last of which outputs the image.</param>
/// <param name="CodeShape">The code as channels × height × width, e.g. <c>8×4×4</c>.</param>
internal sealed record ConvArchitecture(IReadOnlyList<LayerDefinition> Encoder, LayerDefinition Latent, IReadOnlyList<LayerDefinition> Decoder, string CodeShape)
{
    /// <summary>Builds the model for one-channel images of <see cref="ModelChoice.ImageSide"/> × <see cref="ModelChoice.ImageSide"/> pixels.</summary>
    public AutoencoderModel Build(int seed)
    {
        var builder = new AutoencoderBuilder(channels: 1, ModelChoice.ImageSide, ModelChoice.ImageSide);
        foreach (LayerDefinition layer in Encoder)
        {
            builder.AddEncoderLayer(layer);
        }

        builder.WithLatent(Latent);
        foreach (LayerDefinition layer in Decoder)
        {
            builder.AddDecoderLayer(layer);
        }

        return builder.WithSeed(seed).Build();
    }

    /// <summary>The layers in the model file's words, in order.</summary>
    public string Layers => string.Join(", ", Encoder.Append(Latent).Concat(Decoder).Select(l => l.ToString()));
}

/// <summary>
/// The <c>--model dense|conv</c> option of the image samples and the rule for a run's model:
/// <c>conv</c> by default on 28 × 28 images (IDX files or SyntheticShapes), <c>dense</c> on CSV
/// tables, images of other sizes (where <c>--model conv</c> is a usage error) and when <c>--latent</c>
/// is given (it sizes the dense model's code).
/// </summary>
internal sealed class ModelChoice
{
    /// <summary>The image side the convolutional models are made for.</summary>
    public const int ImageSide = 28;

    private readonly Option<string?> _option;

    /// <summary>The option, its help text ending with <paramref name="convDescription"/>.</summary>
    public ModelChoice(string convDescription)
    {
        _option = new Option<string?>("--model")
        {
            Description = $"dense: fully connected layers; conv: {convDescription}. Default: conv on 28×28 images (IDX files or the built-in shapes) unless --latent is given; dense with --latent, on CSV tables and on other image sizes, where conv is refused",
            HelpName = "dense|conv",
        };
        _option.AcceptOnlyFromAmong("dense", "conv");
    }

    /// <summary>Adds the option to <paramref name="command"/>.</summary>
    public void AddTo(Command command) => command.Add(_option);

    /// <summary>The model asked for, or null when <c>--model</c> is not given.</summary>
    public ModelKind? Given(ParseResult parse) => parse.GetValue(_option) switch
    {
        null => null,
        "conv" => ModelKind.Conv,
        _ => ModelKind.Dense,
    };

    /// <summary>The options that contradict <c>--model conv</c> before any data is read.</summary>
    /// <exception cref="UsageException"><c>--model conv</c> with <c>--csv</c> or <c>--latent</c>.</exception>
    public static void CheckOptions(ModelKind? given, SampleSettings settings, string codeShape)
    {
        if (given != ModelKind.Conv)
        {
            return;
        }

        if (settings.CsvFile is not null)
        {
            throw new UsageException($"--model conv needs {ImageSide}×{ImageSide} images (IDX files or the built-in shapes), not a CSV table; use --model dense with --csv.");
        }

        if (settings.LatentGiven)
        {
            throw new UsageException($"--latent sizes the dense model's code; the conv model's code is {codeShape} values. Use --model dense to choose a latent size.");
        }
    }

    /// <summary>The model of a run on <paramref name="data"/>: the one asked for, else conv on 28 × 28 images and dense on everything else.</summary>
    /// <exception cref="UsageException"><c>--model conv</c> on data that are not 28 × 28 images.</exception>
    public static ModelKind Choose(ModelKind? given, Dataset data, SampleSettings settings)
    {
        bool fits = data.IsImages && data.Height == ImageSide && data.Width == ImageSide && data.Features == ImageSide * ImageSide;
        if (given == ModelKind.Conv && !fits)
        {
            string what = data.IsImages ? $"images of {data.Height}×{data.Width} pixels" : "a table";
            throw new UsageException($"--model conv needs {ImageSide}×{ImageSide} one-channel images; the data are {what}. Use --model dense.");
        }

        // The default follows the data, but --latent belongs to the dense model.
        return given ?? (fits && !settings.LatentGiven ? ModelKind.Conv : ModelKind.Dense);
    }
}

using Autoencoder;

namespace Autoencoder.Benchmarks.Peers;

/// <summary>
/// One benchmark architecture, built identically on both sides. A dense model (M1–M3) has ReLU on
/// every hidden layer (the latent layer included), a sigmoid output, and the decoder mirroring the
/// encoder. A convolutional model (M4) takes each 784-pixel row as a 1×28×28 image and lists its
/// encoder and decoder layers (<see cref="ImageEncoder"/>, <see cref="ImageDecoder"/>).
/// </summary>
/// <param name="Name">Short name used on the command line and in tables (M1, M2, M3, M4).</param>
/// <param name="Encoder">Encoder widths after the input, the last one being the latent size (dense models; empty for a convolutional one).</param>
/// <param name="Loss">The training loss.</param>
internal sealed record ModelSpec(string Name, int[] Encoder, Loss Loss)
{
    public const int InputSize = 784;

    /// <summary>The image a row is to a convolutional model: 1 channel of 28 × 28 pixels.</summary>
    public static ImageShape InputImage { get; } = new(1, 28, 28);

    public static IReadOnlyList<ModelSpec> All { get; } =
    [
        new("M1", [32], Loss.BinaryCrossEntropy),
        new("M2", [128, 64, 32], Loss.BinaryCrossEntropy),
        new("M3", [1000, 500, 250, 30], Loss.MeanSquaredError),
        new("M4", [], Loss.BinaryCrossEntropy)
        {
            // The convolutional autoencoder of the Keras blog: code 8×4×4, the last pooling 'same' (7 → 4).
            ImageEncoder =
            [
                ImageLayer.Conv(16), ImageLayer.MaxPool(),
                ImageLayer.Conv(8), ImageLayer.MaxPool(),
                ImageLayer.Conv(8), ImageLayer.MaxPool(),
            ],
            ImageDecoder =
            [
                ImageLayer.Conv(8), ImageLayer.UpSampling(),
                ImageLayer.Conv(8), ImageLayer.UpSampling(),
                ImageLayer.Conv(16, Padding.Valid), ImageLayer.UpSampling(),
                ImageLayer.Conv(1, Padding.Same, Activation.Sigmoid),
            ],
        },
    ];

    /// <summary>A convolutional model's encoder, its last layer the latent one; null for a dense model.</summary>
    public ImageLayer[]? ImageEncoder { get; init; }

    /// <summary>A convolutional model's decoder, its last layer a sigmoid convolution to one channel; null for a dense model.</summary>
    public ImageLayer[]? ImageDecoder { get; init; }

    public bool IsConvolutional => ImageEncoder is not null;

    /// <summary>Every layer width from input to output, e.g. 784-32-784 (dense models).</summary>
    public int[] Widths =>
        [InputSize, .. Encoder, .. Encoder[..^1].Reverse(), InputSize];

    /// <summary>
    /// The layers for tables: 784-32-784, or a convolutional model's layers with the code's shape,
    /// e.g. <c>1×28×28: conv16-pool-… → 8×4×4 → conv8-up-… </c>.
    /// </summary>
    public string Shape => IsConvolutional
        ? $"{InputImage}: {string.Join('-', ImageEncoder!.Select(l => l.Text))} → {CodeShape} → {string.Join('-', ImageDecoder!.Select(l => l.Text))}"
        : string.Join('-', Widths);

    /// <summary>A convolutional model's latent image.</summary>
    public ImageShape CodeShape => ImageEncoder!.Aggregate(InputImage, (shape, layer) => layer.OutputShape(shape));

    /// <summary>Weights and biases of a dense model.</summary>
    public long Parameters => Widths.Zip(Widths.Skip(1), (inputs, units) => ((long)inputs * units) + units).Sum();

    /// <summary>
    /// Flops of the products of one training sample, the numerator of the share of the FMA peak:
    /// a dense model's 6 flops per weight and bias (forward, input gradient, weight gradient);
    /// a convolutional model's 2 flops per multiply-add of every convolution's forward pass
    /// (<c>Ho·Wo·kh·kw·cin·cout</c>), times 3 for the same two gradients.
    /// </summary>
    public double TrainingFlopsPerSample => IsConvolutional ? 3.0 * 2.0 * ForwardMultiplyAdds : 6.0 * Parameters;

    /// <summary>Multiply-adds of one sample's forward pass through a convolutional model's convolutions.</summary>
    public long ForwardMultiplyAdds
    {
        get
        {
            long total = 0;
            foreach ((ImageLayer layer, _, _, ImageShape input) in ImageLayers())
            {
                total += layer.MultiplyAdds(input);
            }

            return total;
        }
    }

    public string LossName => Loss == Loss.BinaryCrossEntropy ? "BCE" : "MSE";

    public static ModelSpec Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown model '{name}'; expected one of {string.Join(", ", All.Select(m => m.Name))}.");

    /// <summary>
    /// A convolutional model's layers in order with their place in the model file
    /// (<c>encoder.{i}</c> or <c>decoder.{i}</c>) and the shape each one takes in.
    /// </summary>
    public IEnumerable<(ImageLayer Layer, string Stack, int Index, ImageShape Input)> ImageLayers()
    {
        ImageShape shape = InputImage;
        foreach (var (stack, layers) in new[] { ("encoder", ImageEncoder!), ("decoder", ImageDecoder!) })
        {
            for (int i = 0; i < layers.Length; i++)
            {
                yield return (layers[i], stack, i, shape);
                shape = layers[i].OutputShape(shape);
            }
        }
    }

    /// <summary>Builds our model with the library's default initialisation from <paramref name="seed"/>.</summary>
    public AutoencoderModel BuildOurs(int seed) => IsConvolutional ? BuildConvolutional(seed) : BuildDense(seed);

    private AutoencoderModel BuildDense(int seed)
    {
        var builder = new AutoencoderBuilder(InputSize);
        foreach (int units in Encoder[..^1])
        {
            builder.AddEncoderLayer(units, Activation.Relu);
        }

        return builder
            .WithLatent(Encoder[^1], Activation.Relu)
            .WithOutputActivation(Activation.Sigmoid)
            .WithSeed(seed)
            .Build();
    }

    private AutoencoderModel BuildConvolutional(int seed)
    {
        var builder = new AutoencoderBuilder(InputImage.Channels, InputImage.Height, InputImage.Width);
        foreach (ImageLayer layer in ImageEncoder![..^1])
        {
            builder.AddEncoderLayer(layer.Definition());
        }

        builder.WithLatent(ImageEncoder[^1].Definition());
        foreach (ImageLayer layer in ImageDecoder!)
        {
            builder.AddDecoderLayer(layer.Definition());
        }

        return builder.WithSeed(seed).Build();
    }
}

using System.Globalization;
using Autoencoder;

namespace Autoencoder.Benchmarks.Peers;

/// <summary>What an <see cref="ImageLayer"/> does.</summary>
internal enum ImageLayerKind
{
    /// <summary>A square convolution of stride 1 with a bias per filter.</summary>
    Conv,

    /// <summary>Max pooling over square windows, moving by the window size.</summary>
    MaxPool,

    /// <summary>Nearest-neighbour upsampling by the same factor along both axes.</summary>
    UpSampling,
}

/// <summary>An image's channels, height and width.</summary>
internal readonly record struct ImageShape(int Channels, int Height, int Width)
{
    public int Size => Channels * Height * Width;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Channels}×{Height}×{Width}");
}

/// <summary>
/// One layer of a convolutional benchmark model, described once and built alike on both sides:
/// ours through <see cref="LayerDefinition"/>, TorchSharp's through <c>torch.nn</c> (see <c>TorchSide</c>).
/// </summary>
/// <param name="Kind">The layer's kind.</param>
/// <param name="Size">The kernel size, the pooling window or the upsampling factor.</param>
/// <param name="Filters">Output channels of a convolution; 0 otherwise.</param>
/// <param name="Padding">Padding of a convolution or a pooling; <see cref="Padding.Same"/> pads a pooling's extra row and column at the bottom and right, as Keras does.</param>
/// <param name="Activation">A convolution's activation.</param>
internal sealed record ImageLayer(ImageLayerKind Kind, int Size, int Filters = 0, Padding Padding = Padding.Same, Activation Activation = Activation.Identity)
{
    public static ImageLayer Conv(int filters, Padding padding = Padding.Same, Activation activation = Activation.Relu) =>
        new(ImageLayerKind.Conv, 3, filters, padding, activation);

    public static ImageLayer MaxPool(Padding padding = Padding.Same) => new(ImageLayerKind.MaxPool, 2, Padding: padding);

    public static ImageLayer UpSampling() => new(ImageLayerKind.UpSampling, 2);

    public bool HasWeights => Kind == ImageLayerKind.Conv;

    /// <summary>The layer in our library's terms.</summary>
    public LayerDefinition Definition() => Kind switch
    {
        ImageLayerKind.Conv => LayerDefinition.Conv2D(Filters, Size, Activation, Padding),
        ImageLayerKind.MaxPool => LayerDefinition.MaxPool2D(Size, Padding),
        _ => LayerDefinition.UpSampling2D(Size),
    };

    /// <summary>The shape this layer makes of <paramref name="input"/>.</summary>
    public ImageShape OutputShape(ImageShape input) => Kind switch
    {
        ImageLayerKind.Conv => Padding == Padding.Same
            ? input with { Channels = Filters }
            : new ImageShape(Filters, input.Height - Size + 1, input.Width - Size + 1),
        ImageLayerKind.MaxPool => Padding == Padding.Same
            ? input with { Height = (input.Height + Size - 1) / Size, Width = (input.Width + Size - 1) / Size }
            : input with { Height = ((input.Height - Size) / Size) + 1, Width = ((input.Width - Size) / Size) + 1 },
        _ => input with { Height = input.Height * Size, Width = input.Width * Size },
    };

    /// <summary>
    /// Multiply-adds of one sample's forward pass through this layer from <paramref name="input"/>:
    /// <c>Ho·Wo·kh·kw·cin·cout</c> for a convolution, none for pooling and upsampling.
    /// </summary>
    public long MultiplyAdds(ImageShape input)
    {
        if (Kind != ImageLayerKind.Conv)
        {
            return 0;
        }

        ImageShape output = OutputShape(input);
        return (long)output.Height * output.Width * Size * Size * input.Channels * Filters;
    }

    /// <summary>A short name for tables: <c>conv16</c> (3×3, 'same'), <c>conv16v</c> ('valid'), <c>pool</c>, <c>up</c>.</summary>
    public string Text => Kind switch
    {
        ImageLayerKind.Conv => string.Create(CultureInfo.InvariantCulture, $"conv{Filters}{(Padding == Padding.Valid ? "v" : "")}"),
        ImageLayerKind.MaxPool => Padding == Padding.Valid ? "poolv" : "pool",
        _ => "up",
    };
}

using Autoencoder.Activations;
using Autoencoder.Layers;
using Autoencoder.Model;

namespace Autoencoder;

/// <summary>
/// One layer of a model as <see cref="AutoencoderBuilder"/> takes it: dense, convolution, transposed
/// convolution, 1-D convolution, max pooling, upsampling, flatten or reshape, made by the static
/// factories here (Keras' layer names and arguments). Images are channels-last: a sample's values are
/// row-major height × width × channels, as in Keras.
/// </summary>
/// <example>
/// The convolutional autoencoder of the Keras blog, with its 8 × 4 × 4 code:
/// <code>
/// AutoencoderModel model = new AutoencoderBuilder(channels: 1, height: 28, width: 28)
///     .AddEncoderLayer(LayerDefinition.Conv2D(16, 3, padding: Padding.Same))
///     .AddEncoderLayer(LayerDefinition.MaxPool2D(2, Padding.Same))
///     .AddEncoderLayer(LayerDefinition.Conv2D(8, 3, padding: Padding.Same))
///     .AddEncoderLayer(LayerDefinition.MaxPool2D(2, Padding.Same))
///     .AddEncoderLayer(LayerDefinition.Conv2D(8, 3, padding: Padding.Same))
///     .WithLatent(LayerDefinition.MaxPool2D(2, Padding.Same))
///     .AddDecoderLayer(LayerDefinition.Conv2D(8, 3, padding: Padding.Same))
///     .AddDecoderLayer(LayerDefinition.UpSampling2D(2))
///     .AddDecoderLayer(LayerDefinition.Conv2D(8, 3, padding: Padding.Same))
///     .AddDecoderLayer(LayerDefinition.UpSampling2D(2))
///     .AddDecoderLayer(LayerDefinition.Conv2D(16, 3))
///     .AddDecoderLayer(LayerDefinition.UpSampling2D(2))
///     .AddDecoderLayer(LayerDefinition.Conv2D(1, 3, Activation.Sigmoid, Padding.Same))
///     .WithSeed(42)
///     .Build();
/// </code>
/// </example>
public sealed class LayerDefinition
{
    private LayerDefinition(LayerSpec spec) => Spec = spec;

    internal LayerSpec Spec { get; }

    /// <summary>A fully connected layer of <paramref name="units"/> outputs (its input must be a vector: flatten an image first).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is not positive, <paramref name="activation"/> is undefined, or an option is out of range.</exception>
    public static LayerDefinition Dense(int units, Activation activation = Activation.Relu, LayerOptions? options = null)
    {
        Guard.Positive(units);
        return new(new LayerSpec(units, Checked(activation), CheckedOptions(options)));
    }

    /// <summary>
    /// A 2-D convolution (Keras' <c>Conv2D</c>) of <paramref name="filters"/> output channels with a
    /// square <paramref name="kernelSize"/> window and <paramref name="stride"/>. Weights are
    /// <c>[kernel, kernel, in channels, filters]</c> (Keras' layout), plus a bias per filter; with
    /// <see cref="LayerOptions.BatchNormalization"/> the normalization is per channel, before the activation.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size or stride is not positive, or an enum or option is out of range.</exception>
    public static LayerDefinition Conv2D(int filters, int kernelSize, Activation activation = Activation.Relu, Padding padding = Padding.Valid, int stride = 1, LayerOptions? options = null) =>
        Conv2D(filters, (kernelSize, kernelSize), (stride, stride), padding, activation, options);

    /// <summary>A 2-D convolution with a rectangular window and stride (rows, columns); see <see cref="Conv2D(int, int, Activation, Padding, int, LayerOptions?)"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size or stride is not positive, or an enum or option is out of range.</exception>
    public static LayerDefinition Conv2D(int filters, (int Height, int Width) kernelSize, (int Height, int Width) stride, Padding padding, Activation activation = Activation.Relu, LayerOptions? options = null)
    {
        Guard.Positive(filters);
        return new(Windowed(LayerKind.Conv2D, filters, kernelSize, stride, padding, Checked(activation), CheckedOptions(options)));
    }

    /// <summary>
    /// A 2-D transposed convolution (Keras' <c>Conv2DTranspose</c>), the adjoint of a convolution: it
    /// maps each input pixel to a window of the output, so stride 2 doubles the height and width
    /// (<see cref="Padding.Same"/>: output <c>input × stride</c>). <paramref name="outputPadding"/>,
    /// below the stride, adds rows and columns at the bottom and right as in Keras; null keeps Keras'
    /// default. Weights are <c>[kernel, kernel, filters, in channels]</c> (Keras' layout), plus a bias per filter.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size or stride is not positive, the output padding is negative, or an enum or option is out of range.</exception>
    public static LayerDefinition Conv2DTranspose(int filters, int kernelSize, Activation activation = Activation.Relu, Padding padding = Padding.Valid, int stride = 1, int? outputPadding = null, LayerOptions? options = null)
    {
        Guard.Positive(filters);
        if (outputPadding is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(outputPadding), Invariant($"{nameof(outputPadding)} must be null or non-negative; got {outputPadding}."));
        }

        LayerSpec spec = Windowed(LayerKind.Conv2DTranspose, filters, (kernelSize, kernelSize), (stride, stride), padding, Checked(activation), CheckedOptions(options));
        return new(spec with { OutputPadding = outputPadding is int p ? (p, p) : null });
    }

    /// <summary>
    /// A 1-D convolution (Keras' <c>Conv1D</c>) over a signal: the input is an image of height 1 (a
    /// window of <c>width</c> steps with <c>channels</c> values each, see
    /// <see cref="AutoencoderBuilder(int, int, int)"/>). Weights are <c>[kernel, in channels, filters]</c>, plus a bias per filter.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size or stride is not positive, or an enum or option is out of range.</exception>
    public static LayerDefinition Conv1D(int filters, int kernelSize, Activation activation = Activation.Relu, Padding padding = Padding.Valid, int stride = 1, LayerOptions? options = null)
    {
        Guard.Positive(filters);
        return new(Windowed(LayerKind.Conv1D, filters, (1, kernelSize), (1, stride), padding, Checked(activation), CheckedOptions(options)));
    }

    /// <summary>
    /// 2-D max pooling (Keras' <c>MaxPooling2D</c>) over square windows of <paramref name="poolSize"/>,
    /// moving by <paramref name="stride"/> (the pool size when null). With <see cref="Padding.Same"/>
    /// a 7 × 7 input pooled by 2 gives 4 × 4; the padding is never the maximum.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size or stride is not positive, or <paramref name="padding"/> is undefined.</exception>
    public static LayerDefinition MaxPool2D(int poolSize = 2, Padding padding = Padding.Valid, int? stride = null)
    {
        int step = stride ?? poolSize;
        return new(Windowed(LayerKind.MaxPool2D, 0, (poolSize, poolSize), (step, step), padding, Activation.Identity, LayerOptions.None));
    }

    /// <summary>Nearest-neighbour upsampling (Keras' <c>UpSampling2D</c>): each pixel repeated <paramref name="size"/> × <paramref name="size"/> times.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is not positive.</exception>
    public static LayerDefinition UpSampling2D(int size = 2) => UpSampling2D((size, size));

    /// <summary>Nearest-neighbour upsampling by (rows, columns).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A factor is not positive.</exception>
    public static LayerDefinition UpSampling2D((int Height, int Width) size)
    {
        Guard.Positive(size.Height, "size.Height");
        Guard.Positive(size.Width, "size.Width");
        return new(new LayerSpec(0, Activation.Identity) { Kind = LayerKind.UpSampling2D, KernelHeight = size.Height, KernelWidth = size.Width });
    }

    /// <summary>An image to a vector of the same values in the same (channels-last) order, as Keras' <c>Flatten</c>; put one before a dense layer.</summary>
    public static LayerDefinition Flatten() => new(new LayerSpec(0, Activation.Identity) { Kind = LayerKind.Flatten });

    /// <summary>A vector (or image) to an image of <paramref name="channels"/> × <paramref name="height"/> × <paramref name="width"/> values, the same values in channels-last order (Keras' <c>Reshape((height, width, channels))</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive.</exception>
    /// <exception cref="ArgumentException">The shape holds more than <see cref="int.MaxValue"/> values.</exception>
    public static LayerDefinition Reshape(int channels, int height, int width)
    {
        Guard.Positive(channels);
        Guard.Positive(height);
        Guard.Positive(width);
        return new(new LayerSpec(0, Activation.Identity) { Kind = LayerKind.Reshape, Target = LayerShape.Image(height, width, channels) });
    }

    /// <summary>The layer in the model file's words, e.g. <c>conv2d:16:3x3:1x1:same:relu</c> or <c>128:relu</c>.</summary>
    public override string ToString() => Serialization.LayerText.Format(Spec);

    private static LayerSpec Windowed(LayerKind kind, int units, (int Height, int Width) window, (int Height, int Width) stride, Padding padding, Activation activation, LayerOptions options)
    {
        Guard.Positive(window.Height, "kernelSize.Height");
        Guard.Positive(window.Width, "kernelSize.Width");
        Guard.Positive(stride.Height, "stride.Height");
        Guard.Positive(stride.Width, "stride.Width");
        Guard.Defined(padding);
        return new LayerSpec(units, activation, options)
        {
            Kind = kind,
            KernelHeight = window.Height,
            KernelWidth = window.Width,
            StrideHeight = stride.Height,
            StrideWidth = stride.Width,
            Padding = padding,
        };
    }

    private static Activation Checked(Activation activation)
    {
        Guard.Defined(activation);
        return activation;
    }

    private static LayerOptions CheckedOptions(LayerOptions? options)
    {
        options ??= LayerOptions.None;
        options.Validate("options");
        return options;
    }
}

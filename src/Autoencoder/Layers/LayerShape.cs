namespace Autoencoder.Layers;

/// <summary>
/// The shape of one sample as it flows between layers: a vector of <see cref="Channels"/> features
/// (<see cref="Height"/> = <see cref="Width"/> = 1), or an image of <c>Height × Width</c> pixels
/// with <see cref="Channels"/> values each.
/// </summary>
/// <remarks>
/// Images are stored channels-last (row-major <c>height × width × channels</c>, Keras' default and
/// ONNX Runtime's fast CPU layout). The reason is the kernels: a batch of <c>B</c> images is then a
/// row-major <c>(B·H·W) × C</c> matrix, so a convolution's output is one GEMM result and every
/// per-channel operation after it (bias, batch normalization, activation) is the same
/// per-feature kernel a dense layer uses, with <c>B·H·W</c> rows instead of <c>B</c>.
/// </remarks>
internal readonly record struct LayerShape
{
    public LayerShape(int height, int width, int channels)
    {
        if (height < 1 || width < 1 || channels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), Invariant($"A shape needs positive height, width and channels; got ({height}, {width}, {channels})."));
        }

        if ((long)height * width * channels > int.MaxValue)
        {
            throw new ArgumentException(Invariant($"A sample holds at most {int.MaxValue} values; got {height} × {width} × {channels}."), nameof(channels));
        }

        Height = height;
        Width = width;
        Channels = channels;
    }

    /// <summary>Pixel rows of an image; 1 for a vector.</summary>
    public int Height { get; }

    /// <summary>Pixel columns of an image; 1 for a vector.</summary>
    public int Width { get; }

    /// <summary>Values per pixel of an image, or the features of a vector.</summary>
    public int Channels { get; }

    /// <summary>Floats per sample.</summary>
    public int Size => Height * Width * Channels;

    /// <summary>True for a plain feature vector.</summary>
    public bool IsVector => Height == 1 && Width == 1;

    /// <summary>A vector of <paramref name="features"/> values.</summary>
    public static LayerShape Vector(int features) => new(1, 1, features);

    /// <summary>An image, channels-last.</summary>
    public static LayerShape Image(int height, int width, int channels) => new(height, width, channels);

    /// <summary>Keras' notation without the batch axis: <c>(128)</c> or <c>(28, 28, 1)</c>.</summary>
    public override string ToString() =>
        IsVector ? Invariant($"({Channels})") : Invariant($"({Height}, {Width}, {Channels})");
}

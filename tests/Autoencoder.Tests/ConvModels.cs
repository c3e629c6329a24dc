namespace Autoencoder.Tests;

/// <summary>Convolutional models the tests share, built with the public API.</summary>
internal static class ConvModels
{
    /// <summary>
    /// M4 of the design card, the Keras blog's convolutional autoencoder: 1 × 28 × 28 images, three
    /// 3 × 3 convolutions with 2 × 2 max pooling down to an 8 × 4 × 4 code, mirrored with upsampling,
    /// a sigmoid output.
    /// </summary>
    public static AutoencoderBuilder KerasBlog(int seed) =>
        new AutoencoderBuilder(channels: 1, height: 28, width: 28)
            .AddEncoderLayer(LayerDefinition.Conv2D(16, 3, padding: Padding.Same))
            .AddEncoderLayer(LayerDefinition.MaxPool2D(2, Padding.Same))
            .AddEncoderLayer(LayerDefinition.Conv2D(8, 3, padding: Padding.Same))
            .AddEncoderLayer(LayerDefinition.MaxPool2D(2, Padding.Same))
            .AddEncoderLayer(LayerDefinition.Conv2D(8, 3, padding: Padding.Same))
            .WithLatent(LayerDefinition.MaxPool2D(2, Padding.Same))
            .AddDecoderLayer(LayerDefinition.Conv2D(8, 3, padding: Padding.Same))
            .AddDecoderLayer(LayerDefinition.UpSampling2D(2))
            .AddDecoderLayer(LayerDefinition.Conv2D(8, 3, padding: Padding.Same))
            .AddDecoderLayer(LayerDefinition.UpSampling2D(2))
            .AddDecoderLayer(LayerDefinition.Conv2D(16, 3))
            .AddDecoderLayer(LayerDefinition.UpSampling2D(2))
            .AddDecoderLayer(LayerDefinition.Conv2D(1, 3, Activation.Sigmoid, Padding.Same))
            .WithSeed(seed);

    /// <summary>
    /// A small model with every image layer kind: 2 × 6 × 5 images, a strided convolution with batch
    /// normalization, pooling, a dense code, a transposed convolution and upsampling back.
    /// </summary>
    public static AutoencoderBuilder EveryKind(int seed) =>
        new AutoencoderBuilder(channels: 2, height: 6, width: 5)
            .AddEncoderLayer(LayerDefinition.Conv2D(4, 3, Activation.Tanh, Padding.Same, options: new LayerOptions { BatchNormalization = true }))
            .AddEncoderLayer(LayerDefinition.MaxPool2D(2, Padding.Same))
            .AddEncoderLayer(LayerDefinition.Flatten())
            .WithLatent(LayerDefinition.Dense(5, Activation.Tanh))
            .AddDecoderLayer(LayerDefinition.Dense(4 * 3 * 3, Activation.Relu))
            .AddDecoderLayer(LayerDefinition.Reshape(4, 3, 3))
            .AddDecoderLayer(LayerDefinition.Conv2DTranspose(3, 3, Activation.Elu, Padding.Same, stride: 2))
            .AddDecoderLayer(LayerDefinition.Conv2D(2, (1, 2), (1, 1), Padding.Valid, Activation.Sigmoid))
            .WithSeed(seed);
}

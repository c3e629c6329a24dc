using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Benchmarks.Peers;

/// <summary>The training images both sides use: pixels in [0, 1], one 784-pixel image per row.</summary>
internal static class BenchmarkData
{
    public static (Matrix<float> Images, string Description) Load(BenchmarkOptions options)
    {
        string? path = options.DataPath ?? (File.Exists(BenchmarkOptions.DefaultFashionMnist) ? BenchmarkOptions.DefaultFashionMnist : null);
        Matrix<float> images;
        string description;
        if (path is not null)
        {
            images = IdxReader.ReadImages(path);
            description = $"{path}";
        }
        else
        {
            images = SyntheticShapes.Generate(options.Samples, 1).Images;
            description = "SyntheticShapes.Generate(seed 1) (Fashion-MNIST not installed)";
        }

        if (images.ColumnCount != ModelSpec.InputSize)
        {
            throw new InvalidDataException($"The models need {ModelSpec.InputSize} pixels per image; {description} has {images.ColumnCount}.");
        }

        if (images.RowCount < options.Samples)
        {
            throw new InvalidDataException($"{description} holds {images.RowCount} images; --samples asks for {options.Samples}.");
        }

        if (images.RowCount > options.Samples)
        {
            images = images.SubMatrix(0, options.Samples, 0, images.ColumnCount);
        }

        return (images, $"{description}, {images.RowCount} × {images.ColumnCount}");
    }
}

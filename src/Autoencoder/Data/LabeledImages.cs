using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Data;

/// <summary>
/// A set of equally sized grayscale images, one image per row of <see cref="Images"/>, with an
/// optional class label per image.
/// </summary>
/// <remarks>
/// Row <c>i</c> of <see cref="Images"/> holds image <c>i</c> with its pixels in row-major order:
/// the pixel at column <c>x</c> and line <c>y</c> is at column index <c>y·Width + x</c>. Readers in
/// this namespace scale pixel values to [0, 1]; the constructor checks shapes only, not values.
/// The matrix and the label array are stored as given, not copied.
/// </remarks>
public sealed class LabeledImages
{
    /// <summary>Creates a set of images from a matrix with one image per row.</summary>
    /// <param name="images">The pixels: <c>Count</c> rows of <c>height·width</c> columns.</param>
    /// <param name="labels">One label per row of <paramref name="images"/>, or <see langword="null"/> when the images are unlabeled.</param>
    /// <param name="height">Number of pixel lines per image; at least 1.</param>
    /// <param name="width">Number of pixels per line; at least 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="images"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="height"/> or <paramref name="width"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">
    /// The column count of <paramref name="images"/> is not <c>height·width</c>, or
    /// <paramref name="labels"/> does not have one entry per row of <paramref name="images"/>.
    /// </exception>
    public LabeledImages(Matrix<float> images, int[]? labels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (height < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(height), Invariant($"Image height must be at least 1; got {height}."));
        }

        if (width < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(width), Invariant($"Image width must be at least 1; got {width}."));
        }

        long pixels = (long)height * width;
        if (images.ColumnCount != pixels)
        {
            throw new ArgumentException(
                string.Format(
                    CultureInfo.InvariantCulture,
                    "Images must have one column per pixel: expected {0} columns ({1}x{2} pixels) but the matrix has {3}.",
                    pixels,
                    height,
                    width,
                    images.ColumnCount),
                nameof(images));
        }

        if (labels is not null && labels.Length != images.RowCount)
        {
            throw new ArgumentException(
                string.Format(
                    CultureInfo.InvariantCulture,
                    "Labels must have one entry per image: expected {0} labels but got {1}.",
                    images.RowCount,
                    labels.Length),
                nameof(labels));
        }

        Images = images;
        Labels = labels;
        Height = height;
        Width = width;
    }

    /// <summary>The pixels, one image per row, <c>Height·Width</c> columns in row-major pixel order.</summary>
    public Matrix<float> Images { get; }

    /// <summary>The class label of each image (same order as the rows of <see cref="Images"/>), or <see langword="null"/> when unlabeled.</summary>
    public int[]? Labels { get; }

    /// <summary>Number of pixel lines per image.</summary>
    public int Height { get; }

    /// <summary>Number of pixels per line.</summary>
    public int Width { get; }

    /// <summary>Number of images (rows of <see cref="Images"/>).</summary>
    public int Count => Images.RowCount;
}

using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Samples.Evaluation;

/// <summary>Per-image error and peak signal-to-noise ratio of images with values in [0, 1].</summary>
internal static class ImageQuality
{
    /// <summary>
    /// The smallest mean squared error used by <see cref="Psnr(double, double)"/>: an exact copy
    /// would have an infinite PSNR, so it is reported as 100 dB (at peak 1).
    /// </summary>
    public const double MinMeanSquaredError = 1e-10;

    /// <summary>Mean squared error of one image against its reference: <c>Σ (a − b)² / n</c>.</summary>
    /// <exception cref="ArgumentException">The lengths differ or are zero.</exception>
    public static double MeanSquaredError(ReadOnlySpan<float> image, ReadOnlySpan<float> reference)
    {
        if (image.Length != reference.Length || image.Length == 0)
        {
            throw new ArgumentException($"Images must have the same, non-zero length; got {image.Length} and {reference.Length}.", nameof(image));
        }

        double sum = 0;
        for (int i = 0; i < image.Length; i++)
        {
            double d = (double)image[i] - reference[i];
            sum += d * d;
        }

        return sum / image.Length;
    }

    /// <summary>PSNR in decibels: <c>10·log10(peak² / mse)</c>, with mse at least <see cref="MinMeanSquaredError"/>.</summary>
    public static double Psnr(double meanSquaredError, double peak = 1.0) =>
        10.0 * Math.Log10(peak * peak / Math.Max(meanSquaredError, MinMeanSquaredError));

    /// <summary>The mean squared error of each row of <paramref name="images"/> against the same row of <paramref name="references"/>.</summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static double[] RowErrors(Matrix<float> images, Matrix<float> references)
    {
        if (images.RowCount != references.RowCount || images.ColumnCount != references.ColumnCount)
        {
            throw new ArgumentException(
                $"Shapes must match; got {images.RowCount}×{images.ColumnCount} and {references.RowCount}×{references.ColumnCount}.",
                nameof(images));
        }

        float[] a = images.ToRowMajorArray(), b = references.ToRowMajorArray();
        int n = images.ColumnCount;
        var errors = new double[images.RowCount];
        for (int r = 0; r < errors.Length; r++)
        {
            errors[r] = MeanSquaredError(a.AsSpan(r * n, n), b.AsSpan(r * n, n));
        }

        return errors;
    }

    /// <summary>PSNR of each image against its reference (peak 1), averaged over the images, in decibels.</summary>
    public static double MeanPsnr(Matrix<float> images, Matrix<float> references) =>
        RowErrors(images, references).Average(e => Psnr(e));

    /// <summary>A copy with every value clipped to [0, 1].</summary>
    public static Matrix<float> Clip(Matrix<float> x) => x.Map(v => Math.Clamp(v, 0f, 1f));
}

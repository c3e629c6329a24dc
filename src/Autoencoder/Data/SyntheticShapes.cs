using System.Globalization;
using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Data;

/// <summary>
/// The library's built-in dataset: procedurally drawn 28×28 grayscale images of ten classes of
/// simple figures, in the layout of MNIST, for examples and tests that need image data without a
/// download.
/// </summary>
/// <remarks>
/// <para>
/// The classes (label: figure) are 0 disc, 1 ring, 2 filled square, 3 square outline,
/// 4 filled triangle (any rotation), 5 horizontal bar, 6 vertical bar, 7 plus, 8 diagonal line,
/// 9 two dots; <see cref="ClassNames"/> lists them. Each image has a random position, size,
/// stroke width and intensity (0.55 to 1 at full coverage) and anti-aliased edges, so pixel
/// values in [0, 1] include intermediate values. The classes are balanced (their counts differ
/// by at most one) and shuffled.
/// </para>
/// <para>
/// The output depends only on the arguments: it uses <see cref="Random"/> with the given seed,
/// whose seeded sequence is fixed, and only exactly rounded floating-point operations, so it is
/// the same on every machine. The figures depend on <c>count</c> and <c>seed</c> but not on the
/// noise level, so the same seed with and without noise gives clean/noisy pairs.
/// </para>
/// </remarks>
public static class SyntheticShapes
{
    /// <summary>Height and width of every image, in pixels.</summary>
    public const int ImageSize = 28;

    /// <summary>Number of classes; labels are 0 to <c>ClassCount - 1</c>.</summary>
    public const int ClassCount = 10;

    /// <summary>The largest noise level accepted by <see cref="Generate(int, int, double)"/>.</summary>
    public const double MaxNoise = 0.5;

    // Decorrelates the noise generator from the figure generator of the same seed.
    private const int NoiseSeedSalt = 0x2545F491;

    // Number of images drawn before they are copied into the matrix storage.
    private const int BlockImages = 64;

    /// <summary>The name of each class, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = Array.AsReadOnly(new[]
    {
        "disc", "ring", "square", "square outline", "triangle",
        "horizontal bar", "vertical bar", "plus", "diagonal line", "two dots",
    });

    /// <summary>Generates <paramref name="count"/> noise-free labeled images.</summary>
    /// <param name="count">Number of images; at least 1.</param>
    /// <param name="seed">Seed of the random generator; the same seed gives the same images.</param>
    /// <returns><paramref name="count"/> images of 28×28 pixels in [0, 1], labeled with their class.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1, or so large that the pixels exceed <see cref="Array.MaxLength"/>.</exception>
    public static LabeledImages Generate(int count, int seed) => Generate(count, seed, 0);

    /// <summary>
    /// Generates <paramref name="count"/> labeled images, adding to every pixel independent uniform
    /// noise in [−<paramref name="noise"/>, +<paramref name="noise"/>] and clamping to [0, 1].
    /// </summary>
    /// <param name="count">Number of images; at least 1.</param>
    /// <param name="seed">Seed of the random generator; the same seed gives the same images.</param>
    /// <param name="noise">Noise amplitude, from 0 (none) to <see cref="MaxNoise"/>; 0.02 to 0.05 is faint.</param>
    /// <returns><paramref name="count"/> images of 28×28 pixels in [0, 1], labeled with their class.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="count"/> is less than 1 or so large that the pixels exceed <see cref="Array.MaxLength"/>,
    /// or <paramref name="noise"/> is not between 0 and <see cref="MaxNoise"/>.
    /// </exception>
    public static LabeledImages Generate(int count, int seed, double noise)
    {
        const int Pixels = ImageSize * ImageSize;
        int maxCount = Array.MaxLength / Pixels;
        if (count < 1 || count > maxCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(count),
                string.Format(CultureInfo.InvariantCulture, "Image count must be between 1 and {0}; got {1}.", maxCount, count));
        }

        if (!(noise >= 0 && noise <= MaxNoise))
        {
            throw new ArgumentOutOfRangeException(
                nameof(noise),
                string.Format(CultureInfo.InvariantCulture, "Noise must be between 0 and {0}; got {1}.", MaxNoise, noise));
        }

        var rng = new Random(seed);
        int[] labels = BalancedShuffledLabels(count, rng);
        Random? noiseRng = noise > 0 ? new Random(seed ^ NoiseSeedSalt) : null;

        // Images are drawn row-major into a small block buffer and then copied into the
        // column-major matrix storage, so that the writes run along contiguous memory.
        var columnMajor = new float[count * Pixels];
        var block = new float[BlockImages * Pixels];
        for (int first = 0; first < count; first += BlockImages)
        {
            int blockCount = Math.Min(BlockImages, count - first);
            for (int b = 0; b < blockCount; b++)
            {
                Shape shape = Shape.Random(labels[first + b], rng, ImageSize);
                double intensity = 0.55 + (0.45 * rng.NextDouble());
                Draw(shape, intensity, block.AsSpan(b * Pixels, Pixels), noise, noiseRng);
            }

            for (int p = 0; p < Pixels; p++)
            {
                int destination = (p * count) + first;
                for (int b = 0; b < blockCount; b++)
                {
                    columnMajor[destination + b] = block[(b * Pixels) + p];
                }
            }
        }

        return new LabeledImages(Matrix<float>.Build.Dense(count, Pixels, columnMajor), labels, ImageSize, ImageSize);
    }

    /// <summary>Draws one image row-major into <paramref name="pixels"/>, adding noise when <paramref name="noiseRng"/> is given.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Draw(in Shape shape, double intensity, Span<float> pixels, double noise, Random? noiseRng)
    {
        for (int y = 0, p = 0; y < ImageSize; y++)
        {
            double cy = y + 0.5;
            for (int x = 0; x < ImageSize; x++, p++)
            {
                double value = intensity * SignedDistance.Coverage(shape.Distance(x + 0.5, cy));
                if (noiseRng is not null)
                {
                    value = Math.Clamp(value + (noise * ((2 * noiseRng.NextDouble()) - 1)), 0, 1);
                }

                pixels[p] = (float)value;
            }
        }
    }

    /// <summary>Labels 0, 1, …, 9, 0, 1, … (balanced to within one) in a random order.</summary>
    private static int[] BalancedShuffledLabels(int count, Random rng)
    {
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % ClassCount;
        }

        for (int i = count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (labels[i], labels[j]) = (labels[j], labels[i]);
        }

        return labels;
    }
}

using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Data;

public class SyntheticShapesTests
{
    private const int Size = SyntheticShapes.ImageSize;
    private const int Pixels = Size * Size;

    // FNV-1a fingerprint of SyntheticShapes.Generate(20, 123), recorded when the generator was written.
    private const ulong RecordedFingerprint = 0xCA9ED2FEA7EDCEDEUL;

    private static readonly LabeledImages Thousand = SyntheticShapes.Generate(1_000, 2024);

    [Fact]
    public void Generate_Gives28x28LabeledImages()
    {
        Assert.Equal((1_000, 28, 28), (Thousand.Count, Thousand.Height, Thousand.Width));
        Assert.Equal(Pixels, Thousand.Images.ColumnCount);
        Assert.NotNull(Thousand.Labels);
        Assert.Equal(1_000, Thousand.Labels.Length);
        Assert.Equal(SyntheticShapes.ClassCount, SyntheticShapes.ClassNames.Count);
    }

    [Fact]
    public void Generate_SameSeed_GivesIdenticalImagesAndLabels()
    {
        LabeledImages a = SyntheticShapes.Generate(300, 7);
        LabeledImages b = SyntheticShapes.Generate(300, 7);

        Assert.Equal(a.Labels, b.Labels);
        Assert.Equal(a.Images.AsColumnMajorArray(), b.Images.AsColumnMajorArray());
    }

    [Fact]
    public void Generate_DifferentSeeds_GiveDifferentImages()
    {
        LabeledImages a = SyntheticShapes.Generate(50, 7);
        LabeledImages b = SyntheticShapes.Generate(50, 8);

        Assert.NotEqual(a.Images.AsColumnMajorArray(), b.Images.AsColumnMajorArray());
        int identicalImages = Enumerable.Range(0, 50).Count(i => a.Images.Row(i).Equals(b.Images.Row(i)));
        Assert.Equal(0, identicalImages);
    }

    [Fact]
    public void Generate_MatchesTheRecordedOutput()
    {
        // Guards determinism across machines and releases: a fingerprint of the exact float bits.
        // A deliberate change to the drawing must update this value (it changes the dataset).
        LabeledImages set = SyntheticShapes.Generate(20, 123);
        Assert.Equal(new[] { 7, 0, 5, 5, 8, 6, 3, 2, 4, 9, 6, 2, 1, 4, 0, 1, 8, 3, 7, 9 }, set.Labels);
        Assert.Equal(RecordedFingerprint, Fingerprint(set.Images));
    }

    [Fact]
    public void Generate_ValuesAreInUnitRangeWithAntialiasedEdges()
    {
        float[] values = Thousand.Images.AsColumnMajorArray();

        Assert.All(values, v => Assert.InRange(v, 0f, 1f));
        int intermediate = values.Count(v => v > 0 && v < 1);
        Assert.True(intermediate > 10_000, $"Only {intermediate} pixels with values strictly between 0 and 1.");

        // Every image has soft edges: pixels between the background and the figure's full intensity.
        for (int i = 0; i < Thousand.Count; i++)
        {
            float[] image = Thousand.Images.Row(i).ToArray();
            float full = image.Max();
            int edgePixels = image.Count(v => v > 0 && v < full);
            Assert.True(edgePixels >= 4, $"Image {i} has only {edgePixels} edge pixels.");
        }
    }

    [Fact]
    public void Generate_EveryImageShowsAFigureFullyInsideTheFrame()
    {
        for (int i = 0; i < Thousand.Count; i++)
        {
            Vector<float> image = Thousand.Images.Row(i);
            Assert.True(image.Maximum() >= 0.4f, $"Image {i} (class {Thousand.Labels![i]}) is nearly blank: max {image.Maximum()}.");
            for (int k = 0; k < Size; k++)
            {
                Assert.Equal(0f, image[k]); // top line
                Assert.Equal(0f, image[((Size - 1) * Size) + k]); // bottom line
                Assert.Equal(0f, image[k * Size]); // left column
                Assert.Equal(0f, image[(k * Size) + Size - 1]); // right column
            }
        }
    }

    [Fact]
    public void Generate_ClassesAreBalancedAndAllPresent()
    {
        int[] histogram = new int[SyntheticShapes.ClassCount];
        foreach (int label in Thousand.Labels!)
        {
            histogram[label]++;
        }

        Assert.All(histogram, n => Assert.Equal(100, n));

        // Counts that do not divide evenly differ by at most one.
        int[] small = new int[SyntheticShapes.ClassCount];
        foreach (int label in SyntheticShapes.Generate(23, 1).Labels!)
        {
            small[label]++;
        }

        Assert.InRange(small.Max() - small.Min(), 0, 1);
    }

    [Fact]
    public void Generate_LabelsAreShuffled()
    {
        int[] labels = Thousand.Labels!;
        int inCyclicOrder = Enumerable.Range(0, labels.Length).Count(i => labels[i] == i % SyntheticShapes.ClassCount);
        Assert.InRange(inCyclicOrder, 0, 200); // about 100 expected by chance
    }

    [Fact]
    public void Generate_ClassMeanImagesArePairwiseDistinct()
    {
        float[][] means = ClassMeans(Thousand);
        for (int a = 0; a < means.Length; a++)
        {
            for (int b = a + 1; b < means.Length; b++)
            {
                double distance = Math.Sqrt(SquaredDistance(means[a], means[b]));
                Assert.True(distance > 0.5, $"Mean images of {SyntheticShapes.ClassNames[a]} and {SyntheticShapes.ClassNames[b]} are only {distance:F3} apart.");
            }
        }
    }

    [Fact]
    public void Generate_NearestClassMean_ClassifiesFreshImagesFarAboveChance()
    {
        // Class means from one seed label images of another seed: the classes differ in a way
        // that even this crude classifier sees (chance is 10%).
        float[][] means = ClassMeans(Thousand);
        LabeledImages fresh = SyntheticShapes.Generate(1_000, 5);
        int correct = 0;
        for (int i = 0; i < fresh.Count; i++)
        {
            float[] image = fresh.Images.Row(i).ToArray();
            int nearest = Enumerable.Range(0, means.Length).MinBy(c => SquaredDistance(image, means[c]));
            correct += nearest == fresh.Labels![i] ? 1 : 0;
        }

        Assert.True(correct > 300, $"Nearest class mean labeled only {correct} of 1000 images correctly.");
    }

    [Fact]
    public void Generate_BarsHaveTheirOrientation()
    {
        for (int i = 0; i < Thousand.Count; i++)
        {
            int label = Thousand.Labels![i];
            if (label is 5 or 6)
            {
                (int width, int height) = InkExtent(Thousand.Images.Row(i));
                Assert.True(label == 5 ? width > height : height > width, $"Image {i}, a {SyntheticShapes.ClassNames[label]}, spans {width}x{height} pixels.");
            }
        }
    }

    [Fact]
    public void Generate_WithNoise_KeepsTheFiguresAndStaysInRange()
    {
        const double Noise = 0.05;
        LabeledImages clean = SyntheticShapes.Generate(200, 99);
        LabeledImages noisy = SyntheticShapes.Generate(200, 99, Noise);

        Assert.Equal(clean.Labels, noisy.Labels);
        float[] c = clean.Images.AsColumnMajorArray(), n = noisy.Images.AsColumnMajorArray();
        Assert.All(n, v => Assert.InRange(v, 0f, 1f));
        Assert.All(c.Zip(n), pair => Assert.InRange(Math.Abs(pair.First - pair.Second), 0, Noise + 1e-6));
        Assert.True(c.Zip(n).Count(pair => pair.First != pair.Second) > c.Length / 3, "Noise changed too few pixels.");
        Assert.Equal(n, SyntheticShapes.Generate(200, 99, Noise).Images.AsColumnMajorArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(int.MaxValue)]
    public void Generate_BadCount_ThrowsNamingValueAndRule(int count)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticShapes.Generate(count, 1));
        Assert.Equal("count", ex.ParamName);
        Assert.Contains("between 1 and", ex.Message);
        Assert.Contains($"got {count}", ex.Message);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(0.51)]
    [InlineData(double.NaN)]
    public void Generate_BadNoise_Throws(double noise)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticShapes.Generate(1, 1, noise));
        Assert.Equal("noise", ex.ParamName);
        Assert.Contains("between 0 and 0.5", ex.Message);
    }

    private static double SquaredDistance(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }

    private static float[][] ClassMeans(LabeledImages set)
    {
        var sums = new float[SyntheticShapes.ClassCount][];
        var counts = new int[SyntheticShapes.ClassCount];
        for (int c = 0; c < sums.Length; c++)
        {
            sums[c] = new float[Pixels];
        }

        for (int i = 0; i < set.Count; i++)
        {
            int label = set.Labels![i];
            counts[label]++;
            for (int p = 0; p < Pixels; p++)
            {
                sums[label][p] += set.Images[i, p];
            }
        }

        for (int c = 0; c < sums.Length; c++)
        {
            for (int p = 0; p < Pixels; p++)
            {
                sums[c][p] /= counts[c];
            }
        }

        return sums;
    }

    /// <summary>Width and height of the bounding box of the pixels at least half as bright as the brightest.</summary>
    private static (int Width, int Height) InkExtent(Vector<float> image)
    {
        float threshold = image.Maximum() / 2;
        int minX = Size, maxX = -1, minY = Size, maxY = -1;
        for (int p = 0; p < Pixels; p++)
        {
            if (image[p] >= threshold)
            {
                int x = p % Size, y = p / Size;
                (minX, maxX, minY, maxY) = (Math.Min(minX, x), Math.Max(maxX, x), Math.Min(minY, y), Math.Max(maxY, y));
            }
        }

        return (maxX - minX + 1, maxY - minY + 1);
    }

    /// <summary>FNV-1a over the bit patterns of the values in storage order.</summary>
    private static ulong Fingerprint(Matrix<float> images)
    {
        ulong hash = 14695981039346656037UL;
        foreach (float v in images.AsColumnMajorArray())
        {
            hash = (hash ^ BitConverter.SingleToUInt32Bits(v)) * 1099511628211UL;
        }

        return hash;
    }
}

using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Data;

/// <summary>Reads the real MNIST test split. Expected facts were taken from the files themselves.</summary>
public class MnistT10kTests
{
    [Fact]
    public void ReadImages_Has10000ImagesOf784PixelsInUnitRange()
    {
        Matrix<float> images = IdxReader.ReadImages(Path.Combine(TestData.MnistFolder, "t10k-images-idx3-ubyte.gz"));

        Assert.Equal(10_000, images.RowCount);
        Assert.Equal(784, images.ColumnCount);
        float[] values = images.AsColumnMajorArray();
        Assert.Equal(0f, values.Min());
        Assert.Equal(1f, values.Max());

        // Byte sum of the first image (a 7) is 18454; corner pixels are background.
        Assert.Equal(18454 / 255.0, images.Row(0).Sum(), 3);
        Assert.Equal(0f, images[0, 0]);
        Assert.Equal(0f, images[0, 783]);
    }

    [Fact]
    public void ReadLabels_HasTheKnownFirstLabelsAndHistogram()
    {
        int[] labels = IdxReader.ReadLabels(Path.Combine(TestData.MnistFolder, "t10k-labels-idx1-ubyte.gz"));

        Assert.Equal(10_000, labels.Length);
        Assert.Equal(new[] { 7, 2, 1, 0, 4, 1, 4, 9, 5, 9 }, labels[..10]);
        int[] histogram = new int[10];
        foreach (int label in labels)
        {
            histogram[label]++;
        }

        Assert.Equal(new[] { 980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009 }, histogram);
        Assert.Equal(10_000, histogram.Sum());
    }

    [Fact]
    public void LoadFolder_T10k_GivesLabeled28x28Images()
    {
        LabeledImages set = IdxReader.LoadFolder(TestData.MnistFolder, "t10k");

        Assert.Equal((10_000, 28, 28), (set.Count, set.Height, set.Width));
        Assert.NotNull(set.Labels);
        Assert.Equal(7, set.Labels[0]);
    }
}

using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Data;

public class LabeledImagesTests
{
    [Fact]
    public void Constructor_KeepsImagesLabelsAndSize()
    {
        Matrix<float> images = Matrix<float>.Build.Dense(2, 12);
        int[] labels = [3, 4];

        var set = new LabeledImages(images, labels, 3, 4);

        Assert.Same(images, set.Images);
        Assert.Same(labels, set.Labels);
        Assert.Equal((2, 3, 4), (set.Count, set.Height, set.Width));
    }

    [Fact]
    public void Constructor_NullLabels_MeansUnlabeled()
    {
        var set = new LabeledImages(Matrix<float>.Build.Dense(2, 6), null, 2, 3);
        Assert.Null(set.Labels);
        Assert.Equal(2, set.Count);
    }

    [Fact]
    public void Constructor_ColumnCountNotHeightTimesWidth_ThrowsNamingExpectedAndGiven()
    {
        var ex = Assert.Throws<ArgumentException>(() => new LabeledImages(Matrix<float>.Build.Dense(2, 10), null, 3, 4));
        Assert.Equal("images", ex.ParamName);
        Assert.Contains("expected 12 columns (3x4 pixels) but the matrix has 10", ex.Message);
    }

    [Fact]
    public void Constructor_LabelCountNotRowCount_ThrowsNamingExpectedAndGiven()
    {
        var ex = Assert.Throws<ArgumentException>(() => new LabeledImages(Matrix<float>.Build.Dense(2, 4), [1, 2, 3], 2, 2));
        Assert.Equal("labels", ex.ParamName);
        Assert.Contains("expected 2 labels but got 3", ex.Message);
    }

    [Theory]
    [InlineData(0, 4, "height")]
    [InlineData(-1, 4, "height")]
    [InlineData(4, 0, "width")]
    public void Constructor_NonPositiveSize_Throws(int height, int width, string parameter)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LabeledImages(Matrix<float>.Build.Dense(1, 4), null, height, width));
        Assert.Equal(parameter, ex.ParamName);
        Assert.Contains("at least 1", ex.Message);
    }

    [Fact]
    public void Constructor_NullImages_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new LabeledImages(null!, null, 1, 1));
    }
}

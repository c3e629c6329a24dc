using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Data;

public class IdxReaderTests
{
    private const int Count = 5, Height = 3, Width = 4;

    private static byte[] SampleImages() => IdxBytes.Images(Count, Height, Width, IdxBytes.Pattern);

    private static void AssertSampleImages(Matrix<float> images)
    {
        Assert.Equal(Count, images.RowCount);
        Assert.Equal(Height * Width, images.ColumnCount);
        for (int i = 0; i < Count; i++)
        {
            for (int p = 0; p < Height * Width; p++)
            {
                Assert.Equal(IdxBytes.Pattern(i, p) / 255f, images[i, p]);
            }
        }
    }

    [Fact]
    public void ReadImages_RawStream_GivesEveryPixelDividedBy255()
    {
        AssertSampleImages(IdxReader.ReadImages(new MemoryStream(SampleImages())));
    }

    [Fact]
    public void ReadImages_GzipStream_GivesSamePixels()
    {
        AssertSampleImages(IdxReader.ReadImages(new MemoryStream(IdxBytes.Gzip(SampleImages()))));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_NonSeekableStreamWithShortReads_GivesSamePixels(bool gzip)
    {
        byte[] bytes = gzip ? IdxBytes.Gzip(SampleImages()) : SampleImages();
        AssertSampleImages(IdxReader.ReadImages(new NonSeekableStream(bytes)));
    }

    [Fact]
    public void ReadImages_KeepsRowMajorPixelOrderWithinARow()
    {
        // One 2x3 image whose bytes are 0..5: pixel (x, y) must land in column y*3 + x.
        byte[] bytes = IdxBytes.Images(1, 2, 3, (_, p) => (byte)(p * 50));
        Matrix<float> images = IdxReader.ReadImages(new MemoryStream(bytes));
        Assert.Equal(new[] { 0f, 50 / 255f, 100 / 255f, 150 / 255f, 200 / 255f, 250 / 255f }, images.Row(0).ToArray());
    }

    [Fact]
    public void ReadImages_ExtremeBytes_MapToZeroAndOne()
    {
        byte[] bytes = IdxBytes.Images(2, 1, 2, (i, p) => (byte)(i == 0 ? 0 : 255));
        Matrix<float> images = IdxReader.ReadImages(new MemoryStream(bytes));
        Assert.Equal(0f, images[0, 0]);
        Assert.Equal(1f, images[1, 1]);
    }

    [Fact]
    public void ReadImages_ZeroImages_GivesEmptyMatrixWithPixelColumns()
    {
        Matrix<float> images = IdxReader.ReadImages(new MemoryStream(IdxBytes.Images(0, 28, 28, IdxBytes.Pattern)));
        Assert.Equal(0, images.RowCount);
        Assert.Equal(784, images.ColumnCount);
    }

    [Fact]
    public void ReadImages_LeavesStreamOpen()
    {
        var stream = new MemoryStream(IdxBytes.Gzip(SampleImages()));
        IdxReader.ReadImages(stream);
        Assert.True(stream.CanRead);
    }

    [Fact]
    public void ReadLabels_RawAndGzip_GiveTheLabels()
    {
        byte[] raw = IdxBytes.Labels(7, 2, 1, 0, 255);
        Assert.Equal(new[] { 7, 2, 1, 0, 255 }, IdxReader.ReadLabels(new MemoryStream(raw)));
        Assert.Equal(new[] { 7, 2, 1, 0, 255 }, IdxReader.ReadLabels(new MemoryStream(IdxBytes.Gzip(raw))));
        Assert.Equal(new[] { 7, 2, 1, 0, 255 }, IdxReader.ReadLabels(new NonSeekableStream(IdxBytes.Gzip(raw), 3)));
    }

    [Fact]
    public void ReadFromPath_DetectsGzipByContentNotByName()
    {
        using var folder = new TempFolder();
        string gzipWithoutSuffix = folder.Write("images-compressed", IdxBytes.Gzip(SampleImages()));
        string rawWithGzSuffix = folder.Write("images-raw.gz", SampleImages());
        string labels = folder.Write("labels.bin", IdxBytes.Gzip(IdxBytes.Labels(1, 2, 3, 4, 5)));

        AssertSampleImages(IdxReader.ReadImages(gzipWithoutSuffix));
        AssertSampleImages(IdxReader.ReadImages(rawWithGzSuffix));
        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, IdxReader.ReadLabels(labels));
    }

    [Fact]
    public void Read_WithLabels_GivesImagesSizeAndLabels()
    {
        using var folder = new TempFolder();
        string images = folder.Write("i", SampleImages());
        string labels = folder.Write("l", IdxBytes.Labels(9, 8, 7, 6, 5));

        LabeledImages set = IdxReader.Read(images, labels);

        AssertSampleImages(set.Images);
        Assert.Equal(new[] { 9, 8, 7, 6, 5 }, set.Labels);
        Assert.Equal(Height, set.Height);
        Assert.Equal(Width, set.Width);
        Assert.Equal(Count, set.Count);
    }

    [Fact]
    public void Read_WithoutLabels_HasNullLabels()
    {
        using var folder = new TempFolder();
        LabeledImages set = IdxReader.Read(folder.Write("i", SampleImages()), null);
        Assert.Null(set.Labels);
        Assert.Equal(Count, set.Count);
    }

    [Fact]
    public void LoadFolder_FindsRawAndGzipStandardNames()
    {
        using var folder = new TempFolder();
        folder.Write("train-images-idx3-ubyte", SampleImages());
        folder.Write("train-labels-idx1-ubyte.gz", IdxBytes.Gzip(IdxBytes.Labels(0, 1, 2, 3, 4)));
        folder.Write("t10k-images-idx3-ubyte.gz", IdxBytes.Gzip(IdxBytes.Images(2, 2, 2, IdxBytes.Pattern)));
        folder.Write("t10k-labels-idx1-ubyte", IdxBytes.Labels(5, 6));

        LabeledImages train = IdxReader.LoadFolder(folder.Path, "train");
        LabeledImages test = IdxReader.LoadFolder(folder.Path, "t10k");

        AssertSampleImages(train.Images);
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, train.Labels);
        Assert.Equal((2, 2, 2), (test.Count, test.Height, test.Width));
        Assert.Equal(new[] { 5, 6 }, test.Labels);
    }

    [Fact]
    public void LoadFolder_MissingLabelFile_ThrowsFileNotFoundNamingTheCandidates()
    {
        using var folder = new TempFolder();
        folder.Write("train-images-idx3-ubyte", SampleImages());

        var ex = Assert.Throws<FileNotFoundException>(() => IdxReader.LoadFolder(folder.Path, "train"));

        Assert.Contains(Path.Combine(folder.Path, "train-labels-idx1-ubyte"), ex.Message);
        Assert.Contains("train-labels-idx1-ubyte.gz", ex.Message);
    }

    [Theory]
    [InlineData("test")]
    [InlineData("TRAIN")]
    [InlineData("")]
    public void LoadFolder_UnknownSplit_ThrowsArgumentException(string split)
    {
        using var folder = new TempFolder();
        var ex = Assert.Throws<ArgumentException>(() => IdxReader.LoadFolder(folder.Path, split));
        Assert.Equal("split", ex.ParamName);
        Assert.Contains($"\"{split}\"", ex.Message);
    }

    [Fact]
    public void LoadFolder_MissingFolder_ThrowsDirectoryNotFound()
    {
        string missing = Path.Combine(Path.GetTempPath(), "autoencoder-missing-" + Guid.NewGuid().ToString("N"));
        var ex = Assert.Throws<DirectoryNotFoundException>(() => IdxReader.LoadFolder(missing, "train"));
        Assert.Contains(missing, ex.Message);
    }

    [Fact]
    public void ReadFromPath_MissingFile_ThrowsFileNotFoundWithThePath()
    {
        string missing = Path.Combine(Path.GetTempPath(), "autoencoder-missing-" + Guid.NewGuid().ToString("N"), "x.idx");

        var images = Assert.Throws<FileNotFoundException>(() => IdxReader.ReadImages(missing));
        var labels = Assert.Throws<FileNotFoundException>(() => IdxReader.ReadLabels(missing));
        var both = Assert.Throws<FileNotFoundException>(() => IdxReader.Read(missing, null));

        Assert.All(new[] { images, labels, both }, ex =>
        {
            Assert.Equal(missing, ex.FileName);
            Assert.Contains(missing, ex.Message);
        });
    }

    [Fact]
    public void ReadFromPath_Directory_ThrowsArgumentSayingItIsADirectory()
    {
        using var folder = new TempFolder();
        string images = folder.Write("images", SampleImages());

        var readImages = Assert.Throws<ArgumentException>(() => IdxReader.ReadImages(folder.Path));
        var readLabels = Assert.Throws<ArgumentException>(() => IdxReader.ReadLabels(folder.Path));
        var imagesOfRead = Assert.Throws<ArgumentException>(() => IdxReader.Read(folder.Path, null));
        var labelsOfRead = Assert.Throws<ArgumentException>(() => IdxReader.Read(images, folder.Path));

        Assert.Equal(("path", "path", "imagesPath", "labelsPath"), (readImages.ParamName, readLabels.ParamName, imagesOfRead.ParamName, labelsOfRead.ParamName));
        Assert.All(new[] { readImages, readLabels, imagesOfRead, labelsOfRead }, ex =>
        {
            Assert.Contains($"Expected an IDX file but '{folder.Path}' is a directory", ex.Message);
        });
    }

    [Fact]
    public void LoadFolder_File_ThrowsArgumentSayingItIsAFile()
    {
        using var folder = new TempFolder();
        string file = folder.Write("train-images-idx3-ubyte", SampleImages());

        var ex = Assert.Throws<ArgumentException>(() => IdxReader.LoadFolder(file, "train"));

        Assert.Equal("folder", ex.ParamName);
        Assert.Contains($"Expected a dataset folder but '{file}' is a file", ex.Message);
    }

    [Fact]
    public void NullAndEmptyArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => IdxReader.ReadImages((string)null!));
        Assert.Throws<ArgumentNullException>(() => IdxReader.ReadImages((Stream)null!));
        Assert.Throws<ArgumentNullException>(() => IdxReader.ReadLabels((string)null!));
        Assert.Throws<ArgumentNullException>(() => IdxReader.ReadLabels((Stream)null!));
        Assert.Throws<ArgumentException>(() => IdxReader.ReadImages(string.Empty));
        Assert.Throws<ArgumentException>(() => IdxReader.Read("x", string.Empty));
        Assert.Throws<ArgumentNullException>(() => IdxReader.LoadFolder(null!, "train"));
        Assert.Throws<ArgumentNullException>(() => IdxReader.LoadFolder(".", null!));
    }
}

using Autoencoder.Data;

namespace Autoencoder.Tests.Data;

public class IdxReaderInvalidDataTests
{
    private static readonly byte[] ValidImages = IdxBytes.Images(3, 4, 5, IdxBytes.Pattern); // 16 + 60 bytes
    private static readonly byte[] ValidLabels = IdxBytes.Labels(1, 2, 3, 4); // 8 + 4 bytes

    private static InvalidDataException ReadImagesFails(byte[] bytes) =>
        Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(bytes)));

    private static InvalidDataException ReadLabelsFails(byte[] bytes) =>
        Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(new MemoryStream(bytes)));

    [Fact]
    public void ReadImages_LabelFile_ReportsExpectedAndFoundMagic()
    {
        var ex = ReadImagesFails(ValidLabels);
        Assert.Contains("expected 0x00000803", ex.Message);
        Assert.Contains("found 0x00000801", ex.Message);
        Assert.Contains("label file", ex.Message);
    }

    [Fact]
    public void ReadLabels_ImageFile_ReportsExpectedAndFoundMagic()
    {
        var ex = ReadLabelsFails(ValidImages);
        Assert.Contains("expected 0x00000801", ex.Message);
        Assert.Contains("found 0x00000803", ex.Message);
    }

    [Theory]
    [InlineData(0x00000C03u, "32-bit integers")]
    [InlineData(0x00000804u, "4 dimensions")]
    [InlineData(0x89504E47u, "not an IDX header")]
    public void ReadImages_OtherMagic_IsDescribed(uint magic, string description)
    {
        byte[] bytes = IdxBytes.Build(magic, [1, 1, 1], [0]);
        var ex = ReadImagesFails(bytes);
        Assert.Contains($"found 0x{magic:X8}", ex.Message);
        Assert.Contains(description, ex.Message);
    }

    [Theory]
    [InlineData(0, "magic number")]
    [InlineData(1, "magic number")]
    [InlineData(3, "magic number")]
    [InlineData(4, "header")]
    [InlineData(11, "header")]
    [InlineData(15, "header")]
    [InlineData(16, "expected 60 pixel bytes (3 images of 4x5) after the 16-byte header but the data ended after 0")]
    [InlineData(17, "the data ended after 1")]
    [InlineData(50, "the data ended after 34")]
    [InlineData(75, "the data ended after 59")]
    public void ReadImages_Truncated_ThrowsSayingWhereItEnded(int length, string message)
    {
        byte[] truncated = ValidImages[..length];

        var raw = ReadImagesFails(truncated);
        var gzip = ReadImagesFails(IdxBytes.Gzip(truncated));

        Assert.Contains("Truncated", raw.Message);
        Assert.Contains(message, raw.Message);
        Assert.Equal(raw.Message, gzip.Message);
    }

    [Theory]
    [InlineData(3, "expected a 4-byte magic number 0x00000801")]
    [InlineData(7, "expected 1 dimension size(s) (8 header bytes) but the data ended after 7")]
    [InlineData(8, "expected 4 label bytes (4 labels) after the 8-byte header but the data ended after 0")]
    [InlineData(11, "the data ended after 3")]
    public void ReadLabels_Truncated_ThrowsSayingWhereItEnded(int length, string message)
    {
        var ex = ReadLabelsFails(ValidLabels[..length]);
        Assert.Contains("Truncated", ex.Message);
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void ReadImages_CompressedStreamCutShort_Throws()
    {
        byte[] gzip = IdxBytes.Gzip(IdxBytes.Images(20, 28, 28, IdxBytes.Pattern));
        Assert.ThrowsAny<InvalidDataException>(() => IdxReader.ReadImages(new MemoryStream(gzip[..(gzip.Length / 2)])));
    }

    /// <summary>A gzip IDX file with one pixel changed, so that only the CRC-32 of its trailer can tell.</summary>
    private static byte[] GzipWithChangedPixel()
    {
        byte[] gzip = IdxBytes.Gzip(ValidImages);
        byte[] changed = IdxBytes.Gzip([.. ValidImages[..20], (byte)(ValidImages[20] ^ 1), .. ValidImages[21..]]);
        // The changed file's deflate data with the original trailer: a corruption the trailer catches.
        return [.. changed[..^8], .. gzip[^8..]];
    }

    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    [InlineData(1)]
    public void ReadImages_GzipTrailerCut_ThrowsNamingTheTrailer(int cut)
    {
        byte[] gzip = IdxBytes.Gzip(ValidImages);
        var ex = ReadImagesFails(gzip[..^cut]);
        Assert.Contains("gzip trailer", ex.Message);
        Assert.Contains((gzip.Length - cut).ToString(System.Globalization.CultureInfo.InvariantCulture) + "-byte input", ex.Message);

        // With the CRC-32 still there (4 bytes cut) the decompressor itself may catch the change first.
        byte[] changed = GzipWithChangedPixel();
        var changedEx = ReadImagesFails(changed[..^cut]);
        Assert.Contains("gzip", changedEx.Message);
        Assert.Contains("CRC-32", changedEx.Message);
    }

    [Fact]
    public void ReadImages_GzipWithChangedPixel_ThrowsForTheCrc()
    {
        var ex = ReadImagesFails(GzipWithChangedPixel());
        Assert.Contains("gzip", ex.Message);
        Assert.Contains("CRC-32", ex.Message);
    }

    [Fact]
    public void ReadImages_GzipSizeFieldWrong_Throws()
    {
        byte[] gzip = IdxBytes.Gzip(ValidImages);
        gzip[^1] ^= 0x40;
        Assert.Contains("gzip", ReadImagesFails(gzip).Message);
    }

    [Fact]
    public void ReadImages_BytesAfterTheGzipMember_Throw()
    {
        byte[] gzip = IdxBytes.Gzip(ValidImages);
        foreach (byte[] extra in (byte[][])[[0], [1, 2, 3], [0x1F, 0x8B], [.. new byte[100]]])
        {
            var ex = ReadImagesFails([.. gzip, .. extra]);
            Assert.Contains("gzip", ex.Message);
        }
    }

    [Fact]
    public void ReadImages_TwoGzipMembers_ThrowsSayingOnlyOneIsRead()
    {
        // Valid gzip (the format allows concatenated members), but IDX files are one member; refused, not half-read.
        byte[] bytes = [.. IdxBytes.Gzip(ValidImages[..30]), .. IdxBytes.Gzip(ValidImages[30..])];
        var ex = ReadImagesFails(bytes);
        Assert.Contains("one gzip member", ex.Message);
    }

    [Fact]
    public void ReadLabels_GzipTrailerCut_Throws()
    {
        byte[] gzip = IdxBytes.Gzip(ValidLabels);
        Assert.Contains("gzip trailer", ReadLabelsFails(gzip[..^8]).Message);
    }

    [Fact]
    public void ReadImages_TrailingGarbage_ThrowsCountingTheExtraBytes()
    {
        byte[] bytes = [.. ValidImages, 1, 2, 3];

        var raw = ReadImagesFails(bytes);
        var gzip = ReadImagesFails(IdxBytes.Gzip(bytes));

        Assert.Contains("expected exactly 60 pixel bytes (3 images of 4x5)", raw.Message);
        Assert.Contains("found 3 more byte(s)", raw.Message);
        Assert.Equal(raw.Message, gzip.Message);
    }

    [Fact]
    public void ReadLabels_TrailingGarbage_Throws()
    {
        var ex = ReadLabelsFails([.. ValidLabels, 0]);
        Assert.Contains("expected exactly 4 label bytes", ex.Message);
        Assert.Contains("found 1 more byte(s)", ex.Message);
    }

    [Theory]
    [InlineData(0x7FFFFFFFu, 28u, 28u, "at most 2147483591 pixels in total")]
    [InlineData(70_000u, 70_000u, 1u, "expected 1 to 65536 but the header declares 70000")]
    [InlineData(1u, 0u, 28u, "image height: expected 1 to 65536 but the header declares 0")]
    [InlineData(1u, 28u, 0u, "image width: expected 1 to 65536 but the header declares 0")]
    [InlineData(0xFFFFFFFFu, 28u, 28u, "expected size 0 to be at most 2147483647 but found 4294967295")]
    [InlineData(1u, 0x80000000u, 1u, "expected size 1 to be at most 2147483647 but found 2147483648")]
    [InlineData(65_536u, 65_536u, 65_536u, "at most 2147483591 pixels in total")]
    public void ReadImages_AbsurdSizes_ThrowBeforeAllocating(uint count, uint height, uint width, string message)
    {
        // Only a few data bytes follow the header: the reader must refuse (or run out of data) without allocating the declared size.
        var ex = ReadImagesFails(IdxBytes.Build(IdxBytes.ImageMagic, [count, height, width], new byte[10]));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void ReadImages_LargeButAllowedDeclaredSize_ReportsTruncationWithoutHugeAllocation()
    {
        // 2,000,000,000 declared pixels but only 10 present.
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = ReadImagesFails(IdxBytes.Build(IdxBytes.ImageMagic, [2_000u, 1_000u, 1_000u], new byte[10]));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("expected 2000000000 pixel bytes", ex.Message);
        Assert.Contains("ended after 10", ex.Message);
        Assert.True(allocated < 16 << 20, $"Allocated {allocated} bytes for a 10-byte payload.");
    }

    [Fact]
    public void ReadLabels_HugeCount_ReportsTruncation()
    {
        var ex = ReadLabelsFails(IdxBytes.Build(IdxBytes.LabelMagic, [0x7FFFFFFFu], [1, 2]));
        Assert.Contains("expected at most 2147483591 labels but the header declares 2147483647", ex.Message);
    }

    [Fact]
    public void Read_CountMismatch_NamesBothFilesAndCounts()
    {
        using var folder = new TempFolder();
        string images = folder.Write("imgs", ValidImages);
        string labels = folder.Write("lbls", IdxBytes.Labels(1, 2));

        var ex = Assert.Throws<InvalidDataException>(() => IdxReader.Read(images, labels));

        Assert.Contains("expected 3 labels", ex.Message);
        Assert.Contains("found 2", ex.Message);
        Assert.Contains(images, ex.Message);
        Assert.Contains(labels, ex.Message);
    }

    [Fact]
    public void ReadFromPath_InvalidFile_MessageNamesTheFile()
    {
        using var folder = new TempFolder();
        string path = folder.Write("broken.gz", IdxBytes.Gzip(ValidImages[..20]));

        var ex = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, ex.Message);
        Assert.Contains("Truncated", ex.Message);
        Assert.IsType<InvalidDataException>(ex.InnerException);
    }

    [Fact]
    public void LoadFolder_LabelFileInPlaceOfImages_NamesTheFile()
    {
        using var folder = new TempFolder();
        string images = folder.Write("t10k-images-idx3-ubyte", ValidLabels);
        folder.Write("t10k-labels-idx1-ubyte", ValidLabels);

        var ex = Assert.Throws<InvalidDataException>(() => IdxReader.LoadFolder(folder.Path, "t10k"));

        Assert.Contains(images, ex.Message);
        Assert.Contains("expected 0x00000803", ex.Message);
    }
}

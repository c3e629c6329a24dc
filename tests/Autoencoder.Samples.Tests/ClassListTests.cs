using Autoencoder.Samples.Commands;

namespace Autoencoder.Samples.Tests;

public sealed class ClassListTests
{
    [Theory]
    [InlineData("0-4", new[] { 0, 1, 2, 3, 4 })]
    [InlineData("1,3,5", new[] { 1, 3, 5 })]
    [InlineData("0-2, 7", new[] { 0, 1, 2, 7 })]
    [InlineData("9", new[] { 9 })]
    public void Parse_ListsAndRanges(string text, int[] expected)
    {
        Assert.Equal(expected, ClassList.Parse(text).Order());
    }

    [Theory]
    [InlineData("")]
    [InlineData("4-2")]
    [InlineData("x")]
    [InlineData("-1")]
    [InlineData("1-2-3")]
    public void Parse_Invalid_ThrowsUsageException(string text)
    {
        Assert.Throws<UsageException>(() => ClassList.Parse(text));
    }
}

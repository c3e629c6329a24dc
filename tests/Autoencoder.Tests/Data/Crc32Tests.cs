using System.Text;
using Autoencoder.Data;

namespace Autoencoder.Tests.Data;

public class Crc32Tests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xE8B7BE43u)]
    [InlineData("abc", 0x352441C2u)]
    [InlineData("123456789", 0xCBF43926u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    public void Compute_KnownVectors(string text, uint expected)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        Assert.Equal(expected, Crc32.Compute(bytes));
        Assert.Equal(expected, Crc32.Reference(bytes));
    }

    [Fact]
    public void Compute_MatchesTheBytewiseReference_AtEverySizeAndAlignment()
    {
        byte[] data = new byte[3000];
        new Random(41).NextBytes(data);
        foreach (int start in (int[])[0, 1, 3, 7])
        {
            for (int length = 0; length + start <= data.Length; length += length < 40 ? 1 : 97)
            {
                ReadOnlySpan<byte> slice = data.AsSpan(start, length);
                Assert.Equal(Crc32.Reference(slice), Crc32.Compute(slice));
            }
        }
    }

    [Fact]
    public void Append_InPieces_EqualsOneCall()
    {
        byte[] data = new byte[10_000];
        new Random(43).NextBytes(data);
        uint crc = Crc32.Initial;
        int position = 0;
        foreach (int piece in (int[])[1, 2, 3, 5, 8, 13, 21, 34, 1000, 3333])
        {
            crc = Crc32.Append(crc, data.AsSpan(position, piece));
            position += piece;
        }

        crc = Crc32.Append(crc, data.AsSpan(position));
        Assert.Equal(Crc32.Compute(data), Crc32.Finish(crc));
    }
}

using Autoencoder.Kernels;
using static System.FormattableString;

namespace Autoencoder.Tests.Kernels;

public class TransposeTests
{
    public static TheoryData<int, int> Sizes()
    {
        int[] sizes = [1, 3, 7, 8, 9, 15, 17, 33, 255, 257];
        var data = new TheoryData<int, int>();
        foreach (int rows in sizes)
        {
            foreach (int columns in sizes)
            {
                data.Add(rows, columns);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Block_EqualsTheScalarReferenceBitForBit_AndLeavesTheGapsAlone(int rows, int columns)
    {
        // Strides past the block's width (the gaps must stay untouched), values with NaN payloads and
        // negative zero planted (a copy keeps every bit).
        int sourceStride = columns + 3, destinationStride = rows + 5;
        float[] source = KernelCheck.Inputs(((rows - 1) * sourceStride) + columns, seed: (rows * 1000) + columns, low: -4f, high: 4f, extremes: true);
        source[source.Length / 2] = BitConverter.Int32BitsToSingle(0x7FC0_1234);
        source[0] = -0f;
        var expected = new float[((columns - 1) * destinationStride) + rows + 7];
        var actual = new float[expected.Length];
        Array.Fill(expected, 42f);
        Array.Fill(actual, 42f);

        Transpose.Reference(source, sourceStride, rows, columns, expected, destinationStride);
        Transpose.Block(source, sourceStride, rows, columns, actual, destinationStride);

        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                Invariant($"{rows} × {columns}, destination index {i}: reference {expected[i]:R}, kernel {actual[i]:R}"));
        }

        Assert.Equal(source[(2 % rows * sourceStride) + (5 % columns)], actual[(5 % columns * destinationStride) + (2 % rows)]);
    }

    [Fact]
    public void Block_SpansTooShortOrStridesTooSmall_SayWhatWasNeeded()
    {
        var tooShort = Assert.Throws<ArgumentException>(() => Transpose.Block(new float[10], 4, 3, 4, new float[12], 3));
        Assert.Contains("needs 12 source and 12 destination values; got 10 and 12", tooShort.Message);
        var stride = Assert.Throws<ArgumentException>(() => Transpose.Block(new float[12], 3, 3, 4, new float[12], 3));
        Assert.Contains("source stride of at least 4", stride.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Transpose.Block(new float[12], 4, -1, 4, new float[12], 3));
    }

    [Fact]
    public void Block_EmptyBlock_DoesNothing()
    {
        var destination = new float[] { 1f, 2f };
        Transpose.Block([], 0, 0, 5, destination, 0);
        Assert.Equal([1f, 2f], destination);
    }
}

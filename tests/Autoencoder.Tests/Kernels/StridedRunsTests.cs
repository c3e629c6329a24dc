using Autoencoder.Kernels;

namespace Autoencoder.Tests.Kernels;

/// <summary>
/// <see cref="StridedRuns.CopyFinite"/> gathers runs lying at a stride into one block and says whether
/// every value copied was finite: the same block and answer as its scalar reference, a bad value at
/// any position of any run found, values between the runs neither read into the block nor judged.
/// </summary>
public class StridedRunsTests
{
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, 1 }, { 3, 7, 9 }, { 6, 17, 40 }, { 9, 33, 33 }, { 2, 256, 300 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void CopyFinite_GathersTheRuns_AndFindsABadValueAnywhereInThem(int runs, int length, int stride)
    {
        float[] source = TestData.Uniform(((runs - 1) * stride) + length, seed: (runs * 1000) + length, low: -1e30f, high: 1e30f);
        for (int i = 0; i < runs; i++)
        {
            for (int j = length; j < stride && (i * stride) + j < source.Length; j++)
            {
                source[(i * stride) + j] = float.NaN; // between runs: never copied, never judged
            }
        }

        var block = new float[runs * length];
        var reference = new float[runs * length];
        Assert.True(StridedRuns.CopyFinite(source, stride, runs, length, block));
        Assert.True(StridedRuns.CopyFiniteReference(source, stride, runs, length, reference));
        Assert.Equal(reference, block);
        for (int i = 0; i < runs; i++)
        {
            Assert.Equal(source.AsSpan(i * stride, length).ToArray(), block.AsSpan(i * length, length).ToArray());
        }

        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            for (int i = 0; i < runs; i++)
            {
                for (int j = 0; j < length; j++)
                {
                    int at = (i * stride) + j;
                    float saved = source[at];
                    source[at] = bad;
                    Assert.False(StridedRuns.CopyFinite(source, stride, runs, length, block), $"{bad} in run {i} at {j} not found");
                    Assert.False(StridedRuns.CopyFiniteReference(source, stride, runs, length, reference));
                    source[at] = saved;
                }
            }
        }
    }

    [Fact]
    public void CopyFinite_RefusesShortSpansAndStridesWithAMessage()
    {
        var source = new float[(2 * 10) + 4];
        var shortSource = Assert.Throws<ArgumentException>(() => StridedRuns.CopyFinite(source, 10, 3, 5, new float[15]));
        Assert.Equal("source must hold 3 runs of 5 values at a stride of 10, 25 values; got 24.", shortSource.Message.Split(" (Parameter")[0]);
        Assert.Equal("source", shortSource.ParamName);
        var shortDestination = Assert.Throws<ArgumentException>(() => StridedRuns.CopyFinite(new float[25], 10, 3, 5, new float[14]));
        Assert.Contains("destination must hold 3 runs of 5 values at a stride of 5, 15 values; got 14.", shortDestination.Message);
        var stride = Assert.Throws<ArgumentOutOfRangeException>(() => StridedRuns.CopyFiniteReference(source, 4, 3, 5, new float[15]));
        Assert.Contains("source: runs of 5 values need a stride of at least 5; got 4.", stride.Message);
        Assert.True(StridedRuns.CopyFinite([], 1, 0, 0, []));
    }
}

using Autoencoder.Kernels;

namespace Autoencoder.Tests.Kernels;

public class FiniteTests
{
    public static TheoryData<int> Sizes() => new(0, 1, 3, 7, 15, 17, 33, 255, 257, 1000);

    [Theory]
    [MemberData(nameof(Sizes))]
    public void All_MatchesReference_WithTheBadValueAtEveryPosition(int size)
    {
        float[] values = TestData.Uniform(size, seed: size, low: -1e30f, high: 1e30f);
        Assert.True(Finite.All(values));
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            // Every position, so both the vector body and the scalar tail see it.
            for (int i = 0; i < size; i++)
            {
                float saved = values[i];
                values[i] = bad;
                Assert.False(Finite.All(values), $"size {size}: {bad} at index {i} not found");
                Assert.Equal(Finite.AllReference(values), Finite.All(values));
                values[i] = saved;
            }
        }

        values = [.. values, float.MaxValue, float.MinValue, float.Epsilon, -0f];
        Assert.True(Finite.All(values));
    }
}

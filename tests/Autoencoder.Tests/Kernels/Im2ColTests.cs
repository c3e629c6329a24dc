using Autoencoder.Kernels;

namespace Autoencoder.Tests.Kernels;

/// <summary>The column kernels against their scalar twins (Im2Col.Reference.cs), bit for bit: both copy, or add the same terms in the same order.</summary>
public class Im2ColTests
{
    /// <summary>Image height, width, channels, kernel height and width, strides, top and left padding, output height and width.</summary>
    public static TheoryData<string> Geometries() => new()
    {
        "1 1 1 1 1 1 1 0 0 1 1",
        "1 1 3 3 3 1 1 1 1 1 1",
        "3 5 1 2 3 1 1 0 0 2 3",
        "3 5 3 3 3 2 2 1 1 2 3",
        "7 7 3 3 3 2 2 1 1 4 4",
        "7 7 2 1 1 2 2 0 0 4 4",
        "8 9 2 3 3 3 3 0 0 3 3",
        "4 4 2 4 4 2 2 2 1 4 4",
        "28 28 1 3 3 2 2 0 0 14 14",
        "28 28 17 5 5 1 1 2 2 28 28",
    };

    private static ConvGeometry Parse(string spec)
    {
        int[] v = spec.Split(' ').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new ConvGeometry(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Gather_MatchesReferenceBitForBit(string spec)
    {
        ConvGeometry g = Parse(spec);
        const int batch = 2;
        float[] images = TestData.Uniform(batch * g.InputSize, seed: 41);
        var fast = Enumerable.Repeat(float.NaN, batch * g.OutputPixels * g.ColumnWidth).ToArray();
        var reference = new float[fast.Length];
        Im2Col.Gather(g, images, batch, fast);
        Im2Col.GatherReference(g, images, batch, reference);
        for (int i = 0; i < fast.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(reference[i]) == BitConverter.SingleToInt32Bits(fast[i]), $"{spec}: column value {i} of {fast.Length}: expected {reference[i]:R}, got {fast[i]:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Scatter_MatchesReferenceBitForBit_AndAccumulates(string spec)
    {
        ConvGeometry g = Parse(spec);
        const int batch = 2;
        float[] columns = TestData.Uniform(batch * g.OutputPixels * g.ColumnWidth, seed: 42);
        float[] start = TestData.Uniform(batch * g.InputSize, seed: 43);
        float[] fast = (float[])start.Clone(), reference = (float[])start.Clone();
        Im2Col.Scatter(g, columns, batch, fast);
        Im2Col.ScatterReference(g, columns, batch, reference);
        for (int i = 0; i < fast.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(reference[i]) == BitConverter.SingleToInt32Bits(fast[i]), $"{spec}: pixel value {i} of {fast.Length}: expected {reference[i]:R}, got {fast[i]:R}");
        }
    }

    /// <summary>⟨Gather(X), C⟩ = ⟨X, Scatter(C)⟩: col2im is the transpose of im2col.</summary>
    [Theory]
    [MemberData(nameof(Geometries))]
    public void Scatter_IsTheTransposeOfGather(string spec)
    {
        ConvGeometry g = Parse(spec);
        float[] images = TestData.Uniform(g.InputSize, seed: 44), columns = TestData.Uniform(g.OutputPixels * g.ColumnWidth, seed: 45);
        var gathered = new float[columns.Length];
        var scattered = new float[images.Length];
        Im2Col.GatherReference(g, images, 1, gathered);
        Im2Col.ScatterReference(g, columns, 1, scattered);
        double left = gathered.Select((v, i) => (double)v * columns[i]).Sum(), right = scattered.Select((v, i) => (double)v * images[i]).Sum();
        Assert.True(Math.Abs(left - right) <= 1e-5 * Math.Max(1, Math.Abs(left)), $"{spec}: {left:R} against {right:R}");
    }
}

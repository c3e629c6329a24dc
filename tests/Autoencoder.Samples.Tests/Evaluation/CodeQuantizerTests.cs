using Autoencoder.Samples.Evaluation;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Samples.Tests.Evaluation;

public sealed class CodeQuantizerTests
{
    [Fact]
    public void Quantize_MapsMinToZeroMaxTo255AndRoundsBetween()
    {
        // Unit 0 spans [-1, 1]: a step is 2/255. Unit 1 spans [0, 255]: a step is 1.
        Matrix<float> fit = Matrix<float>.Build.DenseOfRowArrays([-1f, 0f], [1f, 255f]);
        CodeQuantizer quantizer = CodeQuantizer.Fit(fit);
        Matrix<float> codes = Matrix<float>.Build.DenseOfRowArrays([-1f, 0f], [1f, 255f], [0f, 99.4f], [0f, 99.6f]);

        byte[,] q = quantizer.Quantize(codes);

        Assert.Equal([0, 0, 255, 255, 128, 99, 128, 100], q.Cast<byte>().Select(b => (int)b));   // 0 → 127.5 rounds away from zero
        Assert.Equal(2 * 2 * sizeof(float), quantizer.SideInformationBytes);   // min and max of two units
    }

    [Fact]
    public void RoundTrip_ErrorWithinHalfAStepOfEachUnit()
    {
        var random = new Random(11);   // any values; fixed so a failure can be replayed
        Matrix<float> codes = Matrix<float>.Build.Dense(500, 3, (_, j) => (float)((random.NextDouble() * (j + 1) * 7) - 3));
        CodeQuantizer quantizer = CodeQuantizer.Fit(codes);

        Matrix<float> restored = quantizer.RoundTrip(codes);

        for (int j = 0; j < 3; j++)
        {
            float bound = quantizer.MaxError(j);
            float range = codes.Column(j).Maximum() - codes.Column(j).Minimum();
            Assert.Equal(range / 510f, bound, 6);
            double worst = (codes.Column(j) - restored.Column(j)).AbsoluteMaximum();
            Assert.True(worst <= bound * 1.0001, $"unit {j}: worst error {worst} above the bound {bound}");
            Assert.True(worst > bound * 0.5, $"unit {j}: worst error {worst} suspiciously small for 500 random values (bound {bound})");
        }
    }

    [Fact]
    public void RoundTrip_ValuesOutsideRange_ClippedToIt()
    {
        CodeQuantizer quantizer = CodeQuantizer.Fit(Matrix<float>.Build.DenseOfRowArrays([0f], [1f]));

        Matrix<float> restored = quantizer.RoundTrip(Matrix<float>.Build.DenseOfRowArrays([-5f], [7f]));

        Assert.Equal([0f, 1f], restored.Column(0).ToArray());
    }

    [Fact]
    public void RoundTrip_ConstantUnit_Exact()
    {
        CodeQuantizer quantizer = CodeQuantizer.Fit(Matrix<float>.Build.DenseOfRowArrays([2.5f], [2.5f]));

        Assert.Equal(2.5f, quantizer.RoundTrip(Matrix<float>.Build.DenseOfRowArrays([2.5f]))[0, 0]);
    }
}

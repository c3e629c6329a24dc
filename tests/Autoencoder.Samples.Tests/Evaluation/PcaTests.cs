using Autoencoder.Samples.Evaluation;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Samples.Tests.Evaluation;

public sealed class PcaTests
{
    [Fact]
    public void Project_PointsOnALine_FirstComponentCarriesAllVariance()
    {
        // Points t·(1, 2, 2) + (5, 5, 5): centred, they lie on the unit axis (1, 2, 2)/3, at 3t.
        float[] t = [-2f, -1f, 0f, 1f, 2f];
        Matrix<float> x = Matrix<float>.Build.Dense(5, 3, (i, j) => 5f + (t[i] * (j == 0 ? 1f : 2f)));

        (Matrix<float> projected, double[] explained) = Pca.Project(x, 2);

        Assert.Equal(1.0, explained[0], 9);
        Assert.Equal(0.0, explained[1], 9);
        float sign = Math.Sign(projected[4, 0]);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(3f * t[i] * sign, projected[i, 0], 4);
            Assert.Equal(0f, projected[i, 1], 4);
        }
    }

    [Fact]
    public void Project_MoreComponentsThanColumns_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Pca.Project(Matrix<float>.Build.Dense(4, 2), 3));
    }
}

using Autoencoder.Samples.Evaluation;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Samples.Tests.Evaluation;

public sealed class NeighbourAccuracyTests
{
    [Fact]
    public void LeaveOneOut_TwoSeparatedClusters_AllCorrect()
    {
        Matrix<float> points = Matrix<float>.Build.DenseOfRowArrays(
            [0f, 0f], [0f, 1f], [1f, 0f], [10f, 10f], [10f, 11f], [11f, 10f]);

        Assert.Equal(1.0, NeighbourAccuracy.LeaveOneOut(points, [0, 0, 0, 1, 1, 1], k: 1));
    }

    [Fact]
    public void LeaveOneOut_OneStrayPoint_HandComputed()
    {
        // The class-1 point at (0.5, 0.5) sits among class 0. Nearest neighbours by hand: each
        // class-0 point's is the stray (0.5 or 0.71 away): 3 wrong; the stray's are class 0: wrong;
        // (10, 10) and (10, 11) find each other: 2 right of 6.
        Matrix<float> points = Matrix<float>.Build.DenseOfRowArrays(
            [0f, 0f], [0f, 1f], [1f, 0f], [0.5f, 0.5f], [10f, 10f], [10f, 11f]);

        Assert.Equal(2.0 / 6, NeighbourAccuracy.LeaveOneOut(points, [0, 0, 0, 1, 1, 1], k: 1), 12);
    }

    [Fact]
    public void LeaveOneOut_TooFewPoints_Throws()
    {
        Assert.Throws<ArgumentException>(() => NeighbourAccuracy.LeaveOneOut(Matrix<float>.Build.Dense(2, 2), [0, 1], k: 5));
    }
}

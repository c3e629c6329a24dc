using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Orleans.Tests;

/// <summary>Seeded data: rows in [0, 1] near a low-dimensional subspace, which an autoencoder can learn.</summary>
internal static class TestRows
{
    public static Matrix<float> LowRank(int rows, int columns, int rank, int seed)
    {
        var random = new Random(seed);
        Matrix<float> basis = Matrix<float>.Build.Dense(rank, columns, (_, _) => (float)random.NextDouble());
        Matrix<float> weights = Matrix<float>.Build.Dense(rows, rank, (_, _) => (float)random.NextDouble() / rank);
        return weights * basis;
    }
}

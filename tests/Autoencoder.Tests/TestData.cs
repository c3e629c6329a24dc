using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests;

internal static class TestData
{
    /// <summary>Uniform values in [low, high), reproducible from <paramref name="seed"/>.</summary>
    public static float[] Uniform(int count, int seed, float low = -1f, float high = 1f)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = low + (high - low) * random.NextSingle();
        }

        return values;
    }

    public static Matrix<float> Matrix(int rows, int columns, int seed, float low = 0f, float high = 1f) =>
        Matrix<float>.Build.Dense(rows, columns, Uniform(rows * columns, seed, low, high));

    /// <summary>Low-rank data in [0, 1]: an autoencoder with a code of at least <paramref name="rank"/> can learn it.</summary>
    public static Matrix<float> LowRank(int rows, int columns, int rank, int seed)
    {
        var random = new Random(seed);
        var basis = Matrix<float>.Build.Dense(rank, columns, (_, _) => random.NextSingle());
        var mix = Matrix<float>.Build.Dense(rows, rank, (_, _) => random.NextSingle());
        return (mix * basis / rank).Map(v => Math.Clamp(v, 0f, 1f));
    }

    public static string MnistFolder
    {
        get
        {
            // shared/ sits beside the repository checkout.
            string? dir = AppContext.BaseDirectory;
            while (dir is not null)
            {
                string candidate = Path.Combine(dir, "..", "shared", "data", "mnist-t10k");
                if (Directory.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }

                dir = Path.GetDirectoryName(dir);
            }

            throw new DirectoryNotFoundException(
                $"The MNIST test set (shared/data/mnist-t10k beside the repository) was not found above {AppContext.BaseDirectory}.");
        }
    }
}

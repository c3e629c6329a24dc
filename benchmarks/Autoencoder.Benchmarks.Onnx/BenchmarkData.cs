namespace Autoencoder.Benchmarks.Onnx;

/// <summary>The input both sides score.</summary>
internal static class BenchmarkData
{
    /// <summary>A row-major <paramref name="rows"/> × <paramref name="columns"/> array of uniform values in [0, 1).</summary>
    public static float[] Uniform(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var values = new float[checked(rows * columns)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextSingle();
        }

        return values;
    }
}

using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Samples.Evaluation;

/// <summary>The kinds of noise the denoising sample trains against.</summary>
internal enum NoiseKind
{
    /// <summary>Additive Gaussian noise, level = σ.</summary>
    Gaussian,

    /// <summary>Each value set to 0 with probability level.</summary>
    Masking,

    /// <summary>Each value set to 0 or 1 (one half each) with probability level.</summary>
    SaltAndPepper,
}

/// <summary>
/// Noise for test images, drawn the way the library's training corruption is defined (Gaussian
/// <c>x + σ·ε</c> unclipped; masking to 0; salt and pepper to 0 or 1), from the sample's own seeded
/// generator.
/// </summary>
internal static class Noise
{
    /// <summary>The library's corruption of the same kind and level, for <see cref="TrainingOptions.Corruption"/>.</summary>
    /// <exception cref="UsageException">The level is out of range for the kind.</exception>
    public static InputCorruption Corruption(NoiseKind kind, double level)
    {
        Check(kind, level);
        return kind switch
        {
            NoiseKind.Gaussian => new GaussianNoise(level),
            NoiseKind.Masking => new MaskingNoise(level),
            _ => new SaltAndPepperNoise(level),
        };
    }

    /// <summary>A corrupted copy of <paramref name="x"/>, drawn row by row from <paramref name="seed"/>.</summary>
    public static Matrix<float> Apply(Matrix<float> x, NoiseKind kind, double level, int seed)
    {
        Check(kind, level);
        // One sequential loop: Random is not thread-safe, and MathNet's Map may run in parallel.
        var random = new Random(seed);
        float[] values = x.ToRowMajorArray();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = kind switch
            {
                NoiseKind.Gaussian => (float)(values[i] + (level * StandardNormal(random))),
                NoiseKind.Masking => random.NextDouble() < level ? 0f : values[i],
                _ => random.NextDouble() < level ? (random.Next(2) == 0 ? 0f : 1f) : values[i],
            };
        }

        return Matrix<float>.Build.DenseOfRowMajor(x.RowCount, x.ColumnCount, values);
    }

    private static void Check(NoiseKind kind, double level)
    {
        bool valid = kind == NoiseKind.Gaussian ? level > 0 && double.IsFinite(level) : level > 0 && level < 1;
        if (!valid)
        {
            throw new UsageException(kind == NoiseKind.Gaussian
                ? $"--noise-level (σ of Gaussian noise) must be positive; got {level}."
                : $"--noise-level (fraction of values replaced) must be between 0 and 1 exclusive; got {level}.");
        }
    }

    // Box–Muller; one of the pair is used, which keeps the code short at a small cost.
    private static double StandardNormal(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}

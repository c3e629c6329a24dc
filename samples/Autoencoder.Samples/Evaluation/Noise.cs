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

/// <summary>The noise options of the denoising sample, mapped to the library's corruptions.</summary>
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

    /// <summary>A corrupted copy of <paramref name="x"/>, the same noise training applies, drawn from <paramref name="seed"/>.</summary>
    public static Matrix<float> Apply(Matrix<float> x, NoiseKind kind, double level, int seed) =>
        Corruption(kind, level).Apply(x, seed);

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
}

namespace Autoencoder;

/// <summary>
/// Noise applied to the inputs of every training batch to train a denoising autoencoder: the
/// network sees the corrupted rows, the loss compares its output with the clean rows. The noise is
/// re-drawn for every batch from the training seed, so runs are reproducible; it is never applied
/// by <c>Encode</c>, <c>Reconstruct</c>, <c>Evaluate</c> or validation. Set it with
/// <see cref="TrainingOptions.Corruption"/>.
/// </summary>
public abstract record InputCorruption
{
    private const ulong CorruptionStream = 6;

    private protected InputCorruption()
    {
    }

    /// <summary>
    /// A corrupted copy of <paramref name="x"/> (rows = samples), drawn from <paramref name="seed"/>
    /// with the same noise training applies, e.g. to make noisy test data for a denoising model.
    /// The same seed gives the same copy; <paramref name="x"/> is not changed.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting of this corruption is out of range.</exception>
    public MathNet.Numerics.LinearAlgebra.Matrix<float> Apply(MathNet.Numerics.LinearAlgebra.Matrix<float> x, int seed)
    {
        ArgumentNullException.ThrowIfNull(x);
        Validate();
        float[] clean = Data.RowMajor.ToArray(x);
        var corrupted = new float[clean.Length];
        var random = new Pcg32((ulong)(uint)seed, CorruptionStream);
        Apply(clean, corrupted, ref random);
        return MathNet.Numerics.LinearAlgebra.Matrix<float>.Build.DenseOfRowMajor(x.RowCount, x.ColumnCount, corrupted);
    }

    internal abstract void Validate();

    /// <summary>Overwrites <paramref name="corrupted"/> with a corrupted copy of <paramref name="clean"/>.</summary>
    internal abstract void Apply(ReadOnlySpan<float> clean, Span<float> corrupted, ref Pcg32 random);
}

/// <summary>Additive Gaussian noise: each input becomes <c>x + σ·ε</c>, <c>ε ~ N(0, 1)</c> (values are not clipped).</summary>
/// <param name="StandardDeviation">σ, positive.</param>
public sealed record GaussianNoise(double StandardDeviation) : InputCorruption
{
    internal override void Validate() => Guard.PositiveFloat(StandardDeviation, "options.Corruption.StandardDeviation");

    internal override void Apply(ReadOnlySpan<float> clean, Span<float> corrupted, ref Pcg32 random)
    {
        double sigma = StandardDeviation;
        int i = 0;
        // Box–Muller gives two independent normals per pair of uniforms; both are used.
        for (; i + 1 < clean.Length; i += 2)
        {
            double radius = sigma * Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble()));
            (double sin, double cos) = Math.SinCos(2.0 * Math.PI * random.NextDouble());
            corrupted[i] = (float)(clean[i] + radius * cos);
            corrupted[i + 1] = (float)(clean[i + 1] + radius * sin);
        }

        if (i < clean.Length)
        {
            corrupted[i] = (float)(clean[i] + sigma * random.NextGaussian());
        }
    }
}

/// <summary>Masking noise: each input is set to 0 with probability <c>Fraction</c>, independently (no rescaling).</summary>
/// <param name="Fraction">Probability in (0, 1) of zeroing an input.</param>
public sealed record MaskingNoise(double Fraction) : InputCorruption
{
    internal override void Validate() => ValidateFraction(Fraction);

    internal override void Apply(ReadOnlySpan<float> clean, Span<float> corrupted, ref Pcg32 random)
    {
        uint threshold = ThresholdOf(Fraction);
        for (int i = 0; i < clean.Length; i++)
        {
            corrupted[i] = random.NextUInt32() < threshold ? 0f : clean[i];
        }
    }

    internal static void ValidateFraction(double fraction)
    {
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException("options.Corruption.Fraction", Invariant($"options.Corruption.Fraction must be in (0, 1); got {fraction}."));
        }
    }

    /// <summary>A 32-bit draw below this value happens with probability <paramref name="fraction"/>.</summary>
    internal static uint ThresholdOf(double fraction) => (uint)Math.Round(fraction * 4294967296.0);
}

/// <summary>
/// Salt-and-pepper noise: each input is replaced with probability <c>Fraction</c> by <c>Low</c> or
/// <c>High</c> (each with probability ½), independently.
/// </summary>
/// <param name="Fraction">Probability in (0, 1) of replacing an input.</param>
/// <param name="Low">The "pepper" value. Default 0.</param>
/// <param name="High">The "salt" value. Default 1.</param>
public sealed record SaltAndPepperNoise(double Fraction, float Low = 0f, float High = 1f) : InputCorruption
{
    internal override void Validate()
    {
        MaskingNoise.ValidateFraction(Fraction);
        if (!float.IsFinite(Low) || !float.IsFinite(High) || !(Low < High))
        {
            throw new ArgumentException(Invariant($"options.Corruption must have finite Low < High; got Low {Low}, High {High}."), "options.Corruption");
        }
    }

    internal override void Apply(ReadOnlySpan<float> clean, Span<float> corrupted, ref Pcg32 random)
    {
        uint threshold = MaskingNoise.ThresholdOf(Fraction);
        for (int i = 0; i < clean.Length; i++)
        {
            uint draw = random.NextUInt32();
            // One draw decides both whether and how: below the threshold, its lowest bit picks salt or pepper.
            corrupted[i] = draw < threshold ? ((draw & 1) == 0 ? Low : High) : clean[i];
        }
    }
}

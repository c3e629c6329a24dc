namespace Autoencoder;

/// <summary>
/// PCG32 (XSH-RR variant of O'Neill's permuted congruential generator): small, fast and with a
/// state of two integers, so runs are reproducible from a seed on every platform.
/// </summary>
internal struct Pcg32
{
    private const ulong Multiplier = 6364136223846793005UL;

    private ulong _state;
    private ulong _increment;

    /// <summary>Seeds a generator; different <paramref name="stream"/> values give independent sequences.</summary>
    public Pcg32(ulong seed, ulong stream)
    {
        _increment = (stream << 1) | 1UL;
        _state = 0;
        NextUInt32();
        _state += seed;
        NextUInt32();
    }

    /// <summary>The generator's raw state, for checkpoints; <see cref="FromState"/> restores it exactly.</summary>
    public readonly (ulong State, ulong Increment) RawState => (_state, _increment);

    /// <summary>A generator continuing exactly where the one that gave <paramref name="state"/> and <paramref name="increment"/> was.</summary>
    public static Pcg32 FromState(ulong state, ulong increment)
    {
        if ((increment & 1) == 0)
        {
            throw new ArgumentException(Invariant($"A PCG32 increment must be odd; got {increment}."), nameof(increment));
        }

        return new Pcg32 { _state = state, _increment = increment };
    }

    public uint NextUInt32()
    {
        ulong old = _state;
        _state = unchecked(old * Multiplier + _increment);
        uint xorShifted = (uint)(((old >> 18) ^ old) >> 27);
        int rotation = (int)(old >> 59);
        return (xorShifted >> rotation) | (xorShifted << (-rotation & 31));
    }

    /// <summary>Uniform integer in [0, <paramref name="bound"/>), without modulo bias (Lemire's method).</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bound), Invariant($"bound must be positive; got {bound}."));
        }

        ulong product = (ulong)NextUInt32() * (uint)bound;
        uint low = (uint)product;
        if (low < (uint)bound)
        {
            uint threshold = (uint)-bound % (uint)bound;
            while (low < threshold)
            {
                product = (ulong)NextUInt32() * (uint)bound;
                low = (uint)product;
            }
        }

        return (int)(product >> 32);
    }

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble()
    {
        ulong bits = ((ulong)NextUInt32() << 21) ^ (NextUInt32() >> 11);
        return bits * (1.0 / (1UL << 53));
    }

    /// <summary>Standard normal sample by the Box–Muller transform.</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]: the logarithm stays finite
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fisher–Yates shuffle of <paramref name="values"/> in place.</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}

using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Samples.Evaluation;

/// <summary>
/// 8-bit min-max quantisation of latent codes, one range per latent unit: the unit's minimum
/// and maximum over the fitted codes map to 0 and 255, <c>q = round((z − min) / (max − min) · 255)</c>,
/// and a code is restored as <c>min + q · (max − min) / 255</c>. Values outside the fitted range
/// are clipped to it first. Within the range the round trip is off by at most half a step,
/// <c>(max − min) / 510</c>. The ranges (two float32 per unit) are stored once for the whole set.
/// </summary>
internal sealed class CodeQuantizer
{
    private readonly float[] _min;
    private readonly float[] _max;

    private CodeQuantizer(float[] min, float[] max)
    {
        _min = min;
        _max = max;
    }

    /// <summary>Latent units.</summary>
    public int Units => _min.Length;

    /// <summary>Bytes of the ranges stored once beside the codes: two float32 per unit.</summary>
    public int SideInformationBytes => Units * 2 * sizeof(float);

    /// <summary>Fits one range per column of <paramref name="codes"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="codes"/> has no rows.</exception>
    public static CodeQuantizer Fit(Matrix<float> codes)
    {
        if (codes.RowCount == 0)
        {
            throw new ArgumentException("Need at least one code to fit the ranges.", nameof(codes));
        }

        var min = new float[codes.ColumnCount];
        var max = new float[codes.ColumnCount];
        for (int j = 0; j < min.Length; j++)
        {
            min[j] = codes.Column(j).Minimum();
            max[j] = codes.Column(j).Maximum();
        }

        return new CodeQuantizer(min, max);
    }

    /// <summary>The largest round-trip error of unit <paramref name="unit"/> for values inside its range: half a step.</summary>
    public float MaxError(int unit) => (_max[unit] - _min[unit]) / 510f;

    /// <summary>The 8-bit code of every value, row by row.</summary>
    public byte[,] Quantize(Matrix<float> codes)
    {
        CheckUnits(codes);
        var q = new byte[codes.RowCount, codes.ColumnCount];
        for (int j = 0; j < codes.ColumnCount; j++)
        {
            float range = _max[j] - _min[j];
            for (int i = 0; i < codes.RowCount; i++)
            {
                float z = Math.Clamp(codes[i, j], _min[j], _max[j]);
                q[i, j] = range > 0 ? (byte)Math.Round((z - _min[j]) / range * 255f, MidpointRounding.AwayFromZero) : (byte)0;
            }
        }

        return q;
    }

    /// <summary>The codes restored from their 8-bit values.</summary>
    public Matrix<float> Dequantize(byte[,] q)
    {
        if (q.GetLength(1) != Units)
        {
            throw new ArgumentException($"Expected {Units} units per code; got {q.GetLength(1)}.", nameof(q));
        }

        return Matrix<float>.Build.Dense(q.GetLength(0), Units, (i, j) => _min[j] + (q[i, j] * ((_max[j] - _min[j]) / 255f)));
    }

    /// <summary>Quantises and restores in one step.</summary>
    public Matrix<float> RoundTrip(Matrix<float> codes) => Dequantize(Quantize(codes));

    private void CheckUnits(Matrix<float> codes)
    {
        if (codes.ColumnCount != Units)
        {
            throw new ArgumentException($"Expected {Units} units per code; got {codes.ColumnCount}.", nameof(codes));
        }
    }
}

using System.Numerics;
using System.Runtime.InteropServices;

namespace Autoencoder.Kernels;

/// <summary>Checks spans for NaN and infinities.</summary>
internal static class Finite
{
    /// <summary>
    /// True when every element is finite. Uses <c>x − x</c>, which is 0 for finite values and NaN
    /// for NaN and ±∞, so one vector compare covers both. TensorPrimitives has no "all finite" test.
    /// </summary>
    public static bool All(ReadOnlySpan<float> values)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            ReadOnlySpan<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            Vector<float> accumulator = Vector<float>.Zero;
            foreach (Vector<float> v in vectors)
            {
                accumulator += v - v;
            }

            if (!Vector.EqualsAll(accumulator, Vector<float>.Zero))
            {
                return false;
            }

            i = vectors.Length * Vector<float>.Count;
        }

        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Scalar reference for <see cref="All"/>.</summary>
    public static bool AllReference(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            if (!float.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }
}

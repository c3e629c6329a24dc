using System.Globalization;
using Autoencoder.Kernels;

namespace Autoencoder.Tests.Kernels;

/// <summary>
/// Shared machinery of the kernel tests: the sizes and instruction paths every kernel runs on,
/// inputs with extremes planted among ordinary values, and an element-by-element comparison that
/// reports index, input, expected and actual. It collects failures instead of asserting, so the
/// same checks run under xunit and in the child processes of <c>ElementwiseDriverTests</c>.
/// </summary>
internal static class KernelCheck
{
    /// <summary>Below, at and around every vector width, so each path runs its narrower steps and the scalar tail too.</summary>
    public static readonly int[] Sizes = [0, 1, 3, 7, 15, 17, 33, 255, 257, 1000];

    /// <summary>Every value <see cref="ElementwiseDriver.MaxVectorWidth"/> accepts: 512, 256, 128 bits and scalar.</summary>
    public static readonly int[] Widths = [512, 256, 128, 0];

    /// <summary>
    /// Planted among ordinary values: signed zeros, subnormals, values that overflow or underflow
    /// exponentials, the float range's ends, infinities and NaN. Kernels must match their
    /// references on these too (NaN for NaN, the same infinity for an infinity).
    /// </summary>
    public static readonly float[] Extremes =
    [
        0f, -0f, 1e-40f, -1e-40f, float.Epsilon, 1e-30f, -1e-30f, 1e-7f, -1e-7f, 20f, -20f, 88.8f, -88.8f, 104f, -104f,
        1e30f, -1e30f, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, float.NaN,
    ];

    /// <summary>Most to compare-print per call, so a broken kernel gives a readable message.</summary>
    private const int MaxReported = 8;

    /// <summary>
    /// Uniform values in [low, high), with every third element (from index 1) replaced by the next
    /// entry of <see cref="Extremes"/> when <paramref name="extremes"/> is set: the stride of 3 puts
    /// them in every lane position of the vector bodies and in the scalar tails.
    /// </summary>
    public static float[] Inputs(int count, int seed, float low, float high, bool extremes)
    {
        float[] values = TestData.Uniform(count, seed, low, high);
        if (extremes)
        {
            for (int i = 1; i < count; i += 3)
            {
                values[i] = Extremes[(i / 3) % Extremes.Length];
            }
        }

        return values;
    }

    /// <summary>Runs <paramref name="check"/> with kernels limited to <paramref name="width"/>-bit vectors on this thread.</summary>
    public static void OnPath(int width, Action check)
    {
        int previous = ElementwiseDriver.MaxVectorWidth;
        ElementwiseDriver.MaxVectorWidth = width;
        try
        {
            check();
        }
        finally
        {
            ElementwiseDriver.MaxVectorWidth = previous;
        }
    }

    /// <summary>
    /// Appends a message to <paramref name="failures"/> for every index where <paramref name="actual"/>
    /// differs from <paramref name="expected"/> by more than <paramref name="tolerance"/>; NaN must
    /// meet NaN, and an infinity the same infinity.
    /// </summary>
    public static void Compare(
        string what, ReadOnlySpan<float> input, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, Tolerance tolerance, List<string> failures)
    {
        int reported = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (!tolerance.Accepts(expected[i], actual[i]) && reported++ < MaxReported)
            {
                failures.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{what} (path {ElementwiseDriver.VectorWidth} bits, length {expected.Length}): index {i}, input {input[i]:R}, expected {expected[i]:R}, actual {actual[i]:R}"));
            }
        }
    }

    /// <summary>The double-result form of <see cref="Compare(string, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Tolerance, List{string})"/>, for sums.</summary>
    public static void Compare(string what, double expected, double actual, Tolerance tolerance, List<string> failures)
    {
        if (!tolerance.Accepts(expected, actual))
        {
            failures.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{what} (path {ElementwiseDriver.VectorWidth} bits): expected {expected:R}, actual {actual:R}"));
        }
    }
}

/// <summary>
/// Accepts <c>|actual − expected| ≤ Relative·|expected| + Absolute</c>; NaN only for NaN, and an
/// infinity only for the same infinity.
/// </summary>
internal readonly record struct Tolerance(double Relative, double Absolute)
{
    /// <summary>Bit-for-bit arithmetic (the same operations in the same order); ±0 count as equal.</summary>
    public static readonly Tolerance Exact = new(0, 0);

    /// <summary>
    /// Float results carry no relative precision below the smallest normal float (1.2e-38): a kernel
    /// that flushes a 1e-44 result to 0, or rounds a subnormal differently, is still right.
    /// </summary>
    public const double SubnormalFloor = 1.2e-38;

    /// <summary>One unit in the last place of a float, relative: 2⁻²³.</summary>
    public const double Ulp = 1.1920928955078125e-7;

    public bool Accepts(double expected, double actual)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            return double.IsNaN(expected) && double.IsNaN(actual);
        }

        if (double.IsInfinity(expected) || double.IsInfinity(actual))
        {
            return expected == actual;
        }

        return Math.Abs(actual - expected) <= Relative * Math.Abs(expected) + Absolute;
    }
}

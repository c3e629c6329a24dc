using System.Numerics.Tensors;
using Autoencoder.Kernels;

namespace Autoencoder.Data;

/// <summary>
/// What a row's values must be besides finite: within [<see cref="Min"/>, <see cref="Max"/>]
/// (checked vectorised), and accepted by <see cref="Accepts"/> when given (a loss's own rule,
/// checked value by value); a refused value's message ends with <see cref="Rejection"/>.
/// </summary>
internal sealed record ValueRule(float Min, float Max, Func<float, bool>? Accepts, string Rejection)
{
    /// <summary>Any finite value.</summary>
    public static ValueRule AnyFinite { get; } = new(float.NegativeInfinity, float.PositiveInfinity, null, ".");
}

/// <summary>The checks every row read for training or scoring passes: its values finite and allowed by a <see cref="ValueRule"/>.</summary>
internal static class RowChecks
{
    /// <summary>Throws when a value of <paramref name="row"/> (row <paramref name="index"/> of <paramref name="name"/>, described further by <paramref name="rowNote"/>) is not finite or not allowed by <paramref name="rule"/>.</summary>
    /// <exception cref="ArgumentException">A value is not finite or not allowed.</exception>
    public static void Check(ReadOnlySpan<float> row, long index, string name, ValueRule rule, string rowNote = "")
    {
        if (Allowed(row, rule))
        {
            return;
        }

        for (int c = 0; c < row.Length; c++)
        {
            float v = row[c];
            if (!float.IsFinite(v))
            {
                throw new ArgumentException(Invariant($"{name} must contain only finite values; got {v} at row {index}{rowNote}, column {c}."), name);
            }

            if (!(v >= rule.Min && v <= rule.Max) || (rule.Accepts is { } accepts && !accepts(v)))
            {
                throw new ArgumentException(Invariant($"{name} holds {v} at row {index}{rowNote}, column {c}{rule.Rejection}"), name);
            }
        }
    }

    /// <summary>Checks <paramref name="rows"/> rows of <paramref name="block"/> (row-major), the first being row <paramref name="firstIndex"/>.</summary>
    /// <exception cref="ArgumentException">A value is not finite or not allowed.</exception>
    public static void CheckBlock(ReadOnlySpan<float> block, int rows, int columns, long firstIndex, string name, ValueRule rule, string rowNote = "")
    {
        if (Allowed(block[..(rows * columns)], rule))
        {
            return;
        }

        for (int r = 0; r < rows; r++)
        {
            Check(block.Slice(r * columns, columns), firstIndex + r, name, rule, rowNote);
        }
    }

    /// <summary>Whether every value of <paramref name="values"/> is finite and allowed by <paramref name="rule"/> (vectorised where the rule allows).</summary>
    public static bool Allowed(ReadOnlySpan<float> values, ValueRule rule)
    {
        if (values.IsEmpty)
        {
            return true;
        }

        if (!Finite.All(values))
        {
            return false;
        }

        if ((rule.Min > float.NegativeInfinity || rule.Max < float.PositiveInfinity)
            && (TensorPrimitives.Min(values) < rule.Min || TensorPrimitives.Max(values) > rule.Max))
        {
            return false;
        }

        if (rule.Accepts is { } accepts)
        {
            foreach (float v in values)
            {
                if (!accepts(v))
                {
                    return false;
                }
            }
        }

        return true;
    }
}

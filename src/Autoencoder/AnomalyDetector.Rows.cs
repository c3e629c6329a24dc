using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder;

public sealed partial class AnomalyDetector
{
    private const string RowWhat = "one per input feature of the model";

    /// <summary>
    /// One score per row of <paramref name="x"/> (original units; scaled here when there is a
    /// <see cref="Scaler"/>), equal to <see cref="Scores(Matrix{float})"/> bit for bit.
    /// </summary>
    /// <param name="x">One array of <see cref="InputSize"/> values per row.</param>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="x"/> is empty, holds a null row or a row of other than <see cref="InputSize"/>
    /// values (the message names the first), holds NaN or infinity, or a scaled value is outside the
    /// score's domain (binary cross-entropy: [0, 1]), named by row and column.
    /// </exception>
    public float[] Scores(float[][] x)
    {
        RowGuard.Jagged(x, InputSize, RowWhat, nameof(x));
        var scores = new float[x.Length];
        ScoreJagged(x, scores, float.NaN, default);
        return scores;
    }

    /// <summary>
    /// Writes one score per row of row-major <paramref name="x"/> (<c>rows × InputSize</c>, original
    /// units) into <paramref name="scores"/> (<paramref name="rows"/> values) without allocating on
    /// the managed heap: the input is read in place, and with a <see cref="Scaler"/> each block of
    /// rows is scaled into pooled scratch. Equal to <see cref="Scores(Matrix{float})"/> bit for bit.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is not positive.</exception>
    /// <exception cref="ArgumentException">
    /// A span's length is wrong, <paramref name="x"/> holds NaN or infinity, or a scaled value is
    /// outside the score's domain (named by row and column).
    /// </exception>
    public void Scores(ReadOnlySpan<float> x, int rows, Span<float> scores)
    {
        RowGuard.Input(x, rows, InputSize, RowWhat, nameof(x));
        RowGuard.Length(scores.Length, rows, 1, "one score per row", nameof(scores));
        ScoreRows(x, rows, scores, float.NaN, default);
    }

    /// <summary>
    /// For each row of <paramref name="x"/>, whether its score is strictly above <see cref="Threshold"/>,
    /// as <see cref="Predict(Matrix{float})"/>.
    /// </summary>
    /// <param name="x">One array of <see cref="InputSize"/> values per row.</param>
    /// <exception cref="InvalidOperationException">No threshold is set.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="Scores(float[][])"/>.</exception>
    public bool[] Predict(float[][] x)
    {
        float threshold = RequireThreshold();
        RowGuard.Jagged(x, InputSize, RowWhat, nameof(x));
        var flags = new bool[x.Length];
        ScoreJagged(x, default, threshold, flags);
        return flags;
    }

    /// <summary>
    /// Writes, for each row of row-major <paramref name="x"/> (<c>rows × InputSize</c>), whether its
    /// score is strictly above <see cref="Threshold"/> into <paramref name="anomalies"/>
    /// (<paramref name="rows"/> values), without allocating on the managed heap. The threshold is
    /// read once for all rows.
    /// </summary>
    /// <exception cref="InvalidOperationException">No threshold is set.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is not positive.</exception>
    /// <exception cref="ArgumentException">As <see cref="Scores(ReadOnlySpan{float}, int, Span{float})"/>.</exception>
    public void Predict(ReadOnlySpan<float> x, int rows, Span<bool> anomalies)
    {
        float threshold = RequireThreshold();
        RowGuard.Input(x, rows, InputSize, RowWhat, nameof(x));
        RowGuard.Length(anomalies.Length, rows, 1, "one flag per row", nameof(anomalies));
        ScoreRows(x, rows, default, threshold, anomalies);
    }

    /// <summary>
    /// Scores checked row-major rows in blocks of <see cref="BlockRows"/> (the matrix call's blocks)
    /// into <paramref name="scores"/>, or, when it is empty, compares them with
    /// <paramref name="threshold"/> into <paramref name="flags"/>.
    /// </summary>
    private void ScoreRows(ReadOnlySpan<float> x, int rows, Span<float> scores, float threshold, Span<bool> flags)
    {
        int width = InputSize;
        int block = Math.Min(rows, BlockRows);
        float[] scaled = Scaler is null ? [] : Model.Network.Scratch.Floats.Rent(block * width);
        float[] blockScores = scores.IsEmpty ? Model.Network.Scratch.Floats.Rent(block) : [];
        try
        {
            for (int start = 0; start < rows; start += block)
            {
                int count = Math.Min(block, rows - start);
                Span<float> target = scores.IsEmpty ? blockScores.AsSpan(0, count) : scores.Slice(start, count);
                ScoreBlock(x.Slice(start * width, count * width), count, start, scaled, target);
                if (scores.IsEmpty)
                {
                    Flag(target, threshold, flags.Slice(start, count));
                }
            }
        }
        finally
        {
            Return(scaled);
            Return(blockScores);
        }
    }

    /// <summary><see cref="ScoreRows"/> on checked jagged rows, gathered block by block into pooled scratch.</summary>
    private void ScoreJagged(float[][] x, Span<float> scores, float threshold, Span<bool> flags)
    {
        int width = InputSize, rows = x.Length;
        int block = Math.Min(rows, BlockRows);
        float[] gathered = Model.Network.Scratch.Floats.Rent(block * width);
        float[] scaled = Scaler is null ? [] : Model.Network.Scratch.Floats.Rent(block * width);
        float[] blockScores = scores.IsEmpty ? Model.Network.Scratch.Floats.Rent(block) : [];
        try
        {
            for (int start = 0; start < rows; start += block)
            {
                int count = Math.Min(block, rows - start);
                RowGuard.Gather(x, start, count, gathered);
                Span<float> target = scores.IsEmpty ? blockScores.AsSpan(0, count) : scores.Slice(start, count);
                ScoreBlock(gathered.AsSpan(0, count * width), count, start, scaled, target);
                if (scores.IsEmpty)
                {
                    Flag(target, threshold, flags.Slice(start, count));
                }
            }
        }
        finally
        {
            Return(gathered);
            Return(scaled);
            Return(blockScores);
        }
    }

    /// <summary>
    /// Scales one block of finite rows into <paramref name="scaled"/> (when there is a scaler; else
    /// the rows are scored where they are), checks every value against the score's domain (naming
    /// row <c>firstRow + r</c>) and writes the rows' scores.
    /// </summary>
    private void ScoreBlock(ReadOnlySpan<float> rows, int count, int firstRow, float[] scaled, Span<float> scores)
    {
        int width = InputSize;
        ReadOnlySpan<float> prepared = rows;
        if (Scaler is not null)
        {
            for (int r = 0; r < count; r++)
            {
                Scaler.Transform(rows.Slice(r * width, width), scaled.AsSpan(r * width, width));
            }

            prepared = scaled.AsSpan(0, count * width);
        }

        for (int i = 0; i < prepared.Length; i++)
        {
            if (!_scorer.Accepts(prepared[i]))
            {
                throw OutsideDomain("x", Invariant($"row {firstRow + (i / width)}, column {i % width}"), rows[i], prepared[i]);
            }
        }

        _scorer.Scores(prepared, count, scores);
    }

    private static void Flag(ReadOnlySpan<float> scores, float threshold, Span<bool> flags)
    {
        for (int i = 0; i < scores.Length; i++)
        {
            flags[i] = scores[i] > threshold;
        }
    }

    private void Return(float[] rented)
    {
        if (rented.Length > 0)
        {
            Model.Network.Scratch.Floats.Return(rented);
        }
    }
}

using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder;

/// <summary>
/// The batch calls on MathNet matrices writing into results the caller allocated once, as MathNet's
/// own <c>Multiply(other, result)</c> does: scoring a stream of batches then allocates nothing per
/// batch (a new 8,192 × 784 result is 25 MB, on the large-object heap, for the collector to reclaim).
/// </summary>
public sealed partial class AutoencoderModel
{
    /// <summary>
    /// Encodes every row of <paramref name="x"/> into <paramref name="codes"/>, a dense
    /// <c>N × LatentSize</c> matrix the caller allocated (<c>Matrix&lt;float&gt;.Build.Dense</c>); the
    /// same values as <see cref="Encode(Matrix{float})"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException">A matrix is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="x"/> is empty, has other than <see cref="InputSize"/> columns or holds NaN or
    /// infinity; or <paramref name="codes"/> is not dense, not <c>x.RowCount × LatentSize</c>, or
    /// shares its storage with <paramref name="x"/>. When <paramref name="x"/> is refused, what
    /// <paramref name="codes"/> holds afterwards is not defined.
    /// </exception>
    public void Encode(Matrix<float> x, Matrix<float> codes)
    {
        Guard.DataShape(x, InputSize, "one per input feature of the model");
        float[] result = Guard.Result(codes, x, LatentSize, "one code per row of x");
        ApplyInto(x, result, 0, _network.EncoderEnd);
    }

    /// <summary>
    /// Decodes every row of <paramref name="codes"/> into <paramref name="reconstructions"/>, a dense
    /// <c>N × InputSize</c> matrix the caller allocated; the same values as <see cref="Decode(Matrix{float})"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException">A matrix is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="codes"/> is empty, has other than <see cref="LatentSize"/> columns or holds NaN
    /// or infinity; or <paramref name="reconstructions"/> is not dense, not <c>codes.RowCount × InputSize</c>,
    /// or shares its storage with <paramref name="codes"/>.
    /// </exception>
    public void Decode(Matrix<float> codes, Matrix<float> reconstructions)
    {
        Guard.DataShape(codes, LatentSize, "one per latent unit of the model");
        float[] result = Guard.Result(reconstructions, codes, InputSize, "one reconstruction per row of codes");
        ApplyInto(codes, result, _network.EncoderEnd, _network.Layers.Count);
    }

    /// <summary>
    /// Encodes then decodes every row of <paramref name="x"/> into <paramref name="reconstructions"/>,
    /// a dense <c>N × InputSize</c> matrix the caller allocated; the same values as <see cref="Reconstruct(Matrix{float})"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException">A matrix is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="x"/> is empty, has other than <see cref="InputSize"/> columns or holds NaN or
    /// infinity; or <paramref name="reconstructions"/> is not dense, not <c>x.RowCount × InputSize</c>,
    /// or shares its storage with <paramref name="x"/>.
    /// </exception>
    public void Reconstruct(Matrix<float> x, Matrix<float> reconstructions)
    {
        Guard.DataShape(x, InputSize, "one per input feature of the model");
        float[] result = Guard.Result(reconstructions, x, InputSize, "one reconstruction per row of x");
        ApplyInto(x, result, 0, _network.Layers.Count);
    }

    /// <summary>
    /// One anomaly score per row of <paramref name="x"/> into <paramref name="errors"/> (a dense vector
    /// of <c>x.RowCount</c> entries the caller allocated); the same values as
    /// <see cref="ReconstructionErrors(Matrix{float}, Loss)"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="x"/> is empty, has the wrong column count, holds NaN or infinity, or (binary
    /// cross-entropy) values outside [0, 1]; or <paramref name="errors"/> is not dense or not
    /// <c>x.RowCount</c> long.
    /// </exception>
    public void ReconstructionErrors(Matrix<float> x, Loss loss, Vector<float> errors)
    {
        ArgumentNullException.ThrowIfNull(loss);
        Guard.DataShape(x, InputSize, "one per input feature of the model");
        float[] scores = Guard.Result(errors, x.RowCount, "one score per row of x");
        double[] sums = _network.Scratch.Doubles.Rent(x.RowCount);
        try
        {
            RowLossSums(x, loss, sums.AsSpan(0, x.RowCount));
            for (int i = 0; i < x.RowCount; i++)
            {
                scores[i] = (float)(sums[i] / InputSize);
            }
        }
        finally
        {
            _network.Scratch.Doubles.Return(sums);
        }
    }
}

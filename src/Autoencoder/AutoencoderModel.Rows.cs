using Autoencoder.Losses;
using Autoencoder.Model;
using Autoencoder.Training;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder;

public sealed partial class AutoencoderModel
{
    private const string InputWhat = "one per input feature of the model";
    private const string LatentWhat = "one per latent unit of the model";

    /// <summary>Encodes every row of <paramref name="x"/>: one code of <see cref="LatentSize"/> values per row, as <see cref="Encode(Matrix{float})"/>.</summary>
    /// <param name="x">One array of <see cref="InputSize"/> values per sample.</param>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="x"/> is empty, holds a null row or a row of other than <see cref="InputSize"/>
    /// values (the message names the first), or holds NaN or infinity (named by row and column).
    /// </exception>
    public float[][] Encode(float[][] x)
    {
        RowGuard.Jagged(x, InputSize, InputWhat, nameof(x));
        return RunJagged(x, 0, _network.EncoderEnd, LatentSize);
    }

    /// <summary>Decodes every row of <paramref name="codes"/>: one reconstruction of <see cref="InputSize"/> values per row, as <see cref="Decode(Matrix{float})"/>.</summary>
    /// <param name="codes">One array of <see cref="LatentSize"/> values per code.</param>
    /// <exception cref="ArgumentNullException"><paramref name="codes"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="codes"/> is empty, holds a null row or a row of other than <see cref="LatentSize"/>
    /// values, or holds NaN or infinity.
    /// </exception>
    public float[][] Decode(float[][] codes)
    {
        RowGuard.Jagged(codes, LatentSize, LatentWhat, nameof(codes));
        return RunJagged(codes, _network.EncoderEnd, _network.Layers.Count, InputSize);
    }

    /// <summary>Encodes then decodes every row of <paramref name="x"/>: one reconstruction per row, as <see cref="Reconstruct(Matrix{float})"/>.</summary>
    /// <param name="x">One array of <see cref="InputSize"/> values per sample.</param>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="x"/> is empty, holds a null row or a row of other than <see cref="InputSize"/>
    /// values, or holds NaN or infinity.
    /// </exception>
    public float[][] Reconstruct(float[][] x)
    {
        RowGuard.Jagged(x, InputSize, InputWhat, nameof(x));
        return RunJagged(x, 0, _network.Layers.Count, InputSize);
    }

    /// <summary>
    /// One anomaly score per row of <paramref name="x"/>: the mean element loss of reconstructing
    /// that row under <paramref name="loss"/>, as <see cref="ReconstructionErrors(Matrix{float}, Loss)"/>.
    /// </summary>
    /// <param name="x">One array of <see cref="InputSize"/> values per sample.</param>
    /// <param name="loss">The per-element loss.</param>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> or <paramref name="loss"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="x"/> is empty, holds a null row or a row of other than <see cref="InputSize"/>
    /// values, holds NaN or infinity, or (binary cross-entropy) values outside [0, 1].
    /// </exception>
    public float[] ReconstructionErrors(float[][] x, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        RowGuard.Jagged(x, InputSize, InputWhat, nameof(x));
        for (int r = 0; r < x.Length; r++)
        {
            RowGuard.Targets(x[r], InputSize, r, loss, nameof(x));
        }

        var errors = new float[x.Length];
        int block = Math.Min(x.Length, _network.InferenceBlockRows);
        float[] input = _network.Scratch.Floats.Rent(block * InputSize);
        try
        {
            for (int start = 0, count; start < x.Length; start += count)
            {
                count = RowGuard.NextBlock(x.Length - start, block);
                RowGuard.Gather(x, start, count, input);
                RowErrors(input.AsSpan(0, count * InputSize), count, new LossFunction(loss, _network.OutputActivation), errors.AsSpan(start, count));
            }
        }
        finally
        {
            _network.Scratch.Floats.Return(input);
        }

        return errors;
    }

    /// <summary>
    /// The outputs of layer <paramref name="layer"/> for every row of <paramref name="x"/>, one array
    /// of <c>Layers[layer].Units</c> values per row, as <see cref="Features(Matrix{float}, int)"/>.
    /// </summary>
    /// <param name="x">One array of <see cref="InputSize"/> values per sample.</param>
    /// <param name="layer">An index into <see cref="Layers"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="x"/> is empty, holds a null row or a row of other than <see cref="InputSize"/>
    /// values, or holds NaN or infinity.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not a layer index.</exception>
    public float[][] Features(float[][] x, int layer)
    {
        CheckLayerIndex(layer);
        RowGuard.Jagged(x, InputSize, InputWhat, nameof(x));
        return RunJagged(x, 0, _network.LayerEnds[layer], Layers[layer].Units, fullHead: true);
    }

    /// <summary>
    /// Encodes <paramref name="rows"/> samples stored row-major in <paramref name="x"/>
    /// (<c>rows × InputSize</c>) into <paramref name="codes"/> (<c>rows × LatentSize</c>, row-major),
    /// reading and writing in place, without allocating. For two rows or more each code equals that
    /// row of <see cref="Encode(Matrix{float})"/> bit for bit; one row gives what
    /// <see cref="Encode(ReadOnlySpan{float}, Span{float})"/> gives.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is not positive.</exception>
    /// <exception cref="ArgumentException">A span's length is not <paramref name="rows"/> times its width, or <paramref name="x"/> holds NaN or infinity (named by row and column).</exception>
    public void Encode(ReadOnlySpan<float> x, int rows, Span<float> codes)
    {
        RowGuard.Shape(x, rows, InputSize, InputWhat, nameof(x));
        RowGuard.Length(codes.Length, rows, LatentSize, "one code per row", nameof(codes));
        RunRows(x, rows, 0, _network.EncoderEnd, codes, InputWhat, nameof(x));
    }

    /// <summary>
    /// Decodes <paramref name="rows"/> codes stored row-major in <paramref name="codes"/>
    /// (<c>rows × LatentSize</c>) into <paramref name="reconstructions"/> (<c>rows × InputSize</c>),
    /// without allocating; equal to <see cref="Decode(Matrix{float})"/> as the other span calls are.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is not positive.</exception>
    /// <exception cref="ArgumentException">A span's length is not <paramref name="rows"/> times its width, or <paramref name="codes"/> holds NaN or infinity.</exception>
    public void Decode(ReadOnlySpan<float> codes, int rows, Span<float> reconstructions)
    {
        RowGuard.Shape(codes, rows, LatentSize, LatentWhat, nameof(codes));
        RowGuard.Length(reconstructions.Length, rows, InputSize, "one reconstruction per row", nameof(reconstructions));
        RunRows(codes, rows, _network.EncoderEnd, _network.Layers.Count, reconstructions, LatentWhat, nameof(codes));
    }

    /// <summary>
    /// Reconstructs <paramref name="rows"/> samples stored row-major in <paramref name="x"/>
    /// (<c>rows × InputSize</c>) into <paramref name="reconstructions"/> (<c>rows × InputSize</c>),
    /// without allocating; equal to <see cref="Reconstruct(Matrix{float})"/> as the other span calls are.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is not positive.</exception>
    /// <exception cref="ArgumentException">A span's length is not <paramref name="rows"/> times its width, or <paramref name="x"/> holds NaN or infinity.</exception>
    public void Reconstruct(ReadOnlySpan<float> x, int rows, Span<float> reconstructions)
    {
        RowGuard.Shape(x, rows, InputSize, InputWhat, nameof(x));
        RowGuard.Length(reconstructions.Length, rows, InputSize, "one reconstruction per row", nameof(reconstructions));
        RunRows(x, rows, 0, _network.Layers.Count, reconstructions, InputWhat, nameof(x));
    }

    /// <summary>
    /// Writes one score per row of row-major <paramref name="x"/> (<c>rows × InputSize</c>) into
    /// <paramref name="errors"/> (<paramref name="rows"/> values) without allocating: the mean element
    /// loss of reconstructing that row, equal to <see cref="ReconstructionErrors(Matrix{float}, Loss)"/> bit for bit.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="loss"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is not positive.</exception>
    /// <exception cref="ArgumentException">
    /// A span's length is wrong, or <paramref name="x"/> holds NaN or infinity, or (binary
    /// cross-entropy) values outside [0, 1].
    /// </exception>
    public void ReconstructionErrors(ReadOnlySpan<float> x, int rows, Loss loss, Span<float> errors)
    {
        ArgumentNullException.ThrowIfNull(loss);
        RowGuard.Shape(x, rows, InputSize, InputWhat, nameof(x));
        RowGuard.Length(errors.Length, rows, 1, "one score per row", nameof(errors));
        var lossFunction = new LossFunction(loss, _network.OutputActivation);
        if (!BatchInference.RowErrors(_network, lossFunction, loss.TargetRule, x, rows, errors))
        {
            throw RowGuard.Refused(x, rows, InputSize, InputWhat, nameof(x), loss);
        }
    }

    /// <summary>
    /// Writes the outputs of layer <paramref name="layer"/> for <paramref name="rows"/> row-major
    /// samples of <paramref name="x"/> into <paramref name="features"/> (<c>rows × Layers[layer].Units</c>,
    /// row-major) without allocating; equal to <see cref="Features(Matrix{float}, int)"/> as the other span calls are.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not a layer index, or <paramref name="rows"/> is not positive.</exception>
    /// <exception cref="ArgumentException">A span's length is not <paramref name="rows"/> times its width, or <paramref name="x"/> holds NaN or infinity.</exception>
    public void Features(ReadOnlySpan<float> x, int rows, int layer, Span<float> features)
    {
        CheckLayerIndex(layer);
        RowGuard.Shape(x, rows, InputSize, InputWhat, nameof(x));
        RowGuard.Length(features.Length, rows, Layers[layer].Units, "the layer's outputs per row", nameof(features));
        RunRows(x, rows, 0, _network.LayerEnds[layer], features, InputWhat, nameof(x), fullHead: true);
    }

    private void CheckLayerIndex(int layer)
    {
        if (layer < 0 || layer >= Layers.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), Invariant($"{nameof(layer)} must be a layer index in [0, {Layers.Count - 1}]; got {layer}."));
        }
    }

    /// <summary>
    /// Layers <c>[first, end)</c> on row-major rows, block by block on the pool's threads, read and
    /// written in place; a non-finite input value is named as <see cref="RowGuard.Input"/> names it.
    /// </summary>
    private void RunRows(ReadOnlySpan<float> x, int rows, int first, int end, Span<float> output, string what, string name, bool fullHead = false)
    {
        if (!BatchInference.RunRows(_network, x, rows, first, end, output, fullHead))
        {
            throw RowGuard.Refused(x, rows, x.Length / rows, what, name);
        }
    }

    /// <summary>Layers <c>[first, end)</c> on jagged rows (checked), gathered block by block into pooled scratch.</summary>
    private float[][] RunJagged(float[][] x, int first, int end, int outputWidth, bool fullHead = false)
    {
        int rows = x.Length, inputWidth = x[0].Length;
        var result = new float[rows][];
        int block = Math.Min(rows, _network.InferenceBlockRows);
        float[] input = _network.Scratch.Floats.Rent(block * inputWidth);
        float[] output = _network.Scratch.Floats.Rent(block * outputWidth);
        try
        {
            for (int start = 0, count; start < rows; start += count)
            {
                count = RowGuard.NextBlock(rows - start, block);
                RowGuard.Gather(x, start, count, input);
                _network.Run(first, end, input.AsSpan(0, count * inputWidth), count, output, fullHead: fullHead);
                for (int r = 0; r < count; r++)
                {
                    result[start + r] = output.AsSpan(r * outputWidth, outputWidth).ToArray();
                }
            }
        }
        finally
        {
            _network.Scratch.Floats.Return(input);
            _network.Scratch.Floats.Return(output);
        }

        return result;
    }

    /// <summary>One block's scores (at most <c>InferenceBlockRows</c> rows, the blocks of the matrix call), as the matrix call rounds them.</summary>
    private void RowErrors(ReadOnlySpan<float> x, int count, LossFunction loss, Span<float> errors)
    {
        double[] sums = _network.Scratch.Doubles.Rent(count);
        try
        {
            Scoring.RowLossSums(_network, loss, x, count, sums);
            for (int i = 0; i < count; i++)
            {
                errors[i] = (float)(sums[i] / InputSize);
            }
        }
        finally
        {
            _network.Scratch.Doubles.Return(sums);
        }
    }
}

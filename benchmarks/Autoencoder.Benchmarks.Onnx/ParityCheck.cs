using Autoencoder;
using Autoencoder.Benchmarks.Peers;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Benchmarks.Onnx;

/// <summary>How far ONNX Runtime's outputs are from ours on the first rows of the data, through both inference paths.</summary>
/// <param name="Model">The model's short name.</param>
/// <param name="Rows">Rows compared.</param>
/// <param name="MaxBatchDifference">Largest absolute difference between our <c>Reconstruct(Matrix)</c> and one ONNX Runtime run over all the rows.</param>
/// <param name="MaxSingleRowDifference">Largest absolute difference between our <c>Reconstruct(span, span)</c> and ONNX Runtime runs of one row each.</param>
/// <param name="ModelBytes">Size of the exported ONNX model.</param>
internal sealed record ParityResult(string Model, int Rows, float MaxBatchDifference, float MaxSingleRowDifference, long ModelBytes)
{
    /// <summary>Both differences within <see cref="OnnxBenchmarkOptions.Tolerance"/> (false when either is NaN).</summary>
    public bool Passed =>
        MaxBatchDifference <= OnnxBenchmarkOptions.Tolerance && MaxSingleRowDifference <= OnnxBenchmarkOptions.Tolerance;
}

internal static class ParityCheck
{
    public static ParityResult Run(ModelSpec spec, AutoencoderModel model, OrtSide ort, float[] rowMajor, int rows)
    {
        const int width = ModelSpec.InputSize;
        float[] head = rowMajor[..(rows * width)];

        Matrix<float> ours = model.Reconstruct(Matrix<float>.Build.DenseOfRowMajor(rows, width, head));
        float batchDifference;
        using (OrtSide.Tensors tensors = ort.Allocate(rows, width))
        {
            head.CopyTo(tensors.Input);
            ort.Run(tensors);
            batchDifference = MaxDifference(ours.ToRowMajorArray(), tensors.Output);
        }

        float singleDifference = 0;
        var reconstruction = new float[width];
        using (OrtSide.Tensors tensors = ort.Allocate(1, width))
        {
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> sample = head.AsSpan(r * width, width);
                model.Reconstruct(sample, reconstruction);
                sample.CopyTo(tensors.Input);
                ort.Run(tensors);
                singleDifference = Math.Max(singleDifference, MaxDifference(reconstruction, tensors.Output));
            }
        }

        return new ParityResult(spec.Name, rows, batchDifference, singleDifference, ort.ModelBytes);
    }

    /// <summary>The largest absolute elementwise difference; NaN when any element is NaN.</summary>
    public static float MaxDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Lengths differ: {a.Length} and {b.Length}.");
        }

        float max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }
}

namespace Autoencoder.Benchmarks.Onnx;

/// <summary>How far ONNX Runtime's outputs are from ours on the first rows of the data, for one model at one thread count.</summary>
/// <param name="Model">The model's short name.</param>
/// <param name="Threads">The thread count of both sides.</param>
/// <param name="Rows">Rows compared.</param>
/// <param name="Batch">Per call, the largest difference between our result and one ONNX Runtime run over all the rows, through either API (matrix or span).</param>
/// <param name="SingleRow">The largest difference between our <c>Reconstruct(span, span)</c> and ONNX Runtime runs of one row each.</param>
/// <param name="OnnxBytes">Per call, the size of the ONNX model its session runs.</param>
internal sealed record ParityResult(string Model, int Threads, int Rows, IReadOnlyDictionary<BatchCall, float> Batch, float SingleRow, IReadOnlyDictionary<BatchCall, long> OnnxBytes)
{
    /// <summary>Every difference within <see cref="OnnxBenchmarkOptions.Tolerance"/> (false when any is NaN).</summary>
    public bool Passed =>
        Batch.Values.All(d => d <= OnnxBenchmarkOptions.Tolerance) && SingleRow <= OnnxBenchmarkOptions.Tolerance;
}

/// <summary>Checks that both sides compute the same thing before anything is timed.</summary>
internal static class ParityCheck
{
    /// <summary>
    /// Runs every call through both APIs, whichever are to be timed, on the first
    /// <paramref name="rows"/> rows, once per side, and one-row runs of the autoencoder against our
    /// single-row <c>Reconstruct</c>.
    /// </summary>
    public static ParityResult Run(ModelPair pair, float[] rowMajor, int rows)
    {
        var batch = new Dictionary<BatchCall, float>();
        var bytes = new Dictionary<BatchCall, long>();
        foreach (BatchCall call in Enum.GetValues<BatchCall>())
        {
            float difference = 0;
            foreach (BatchApi api in Enum.GetValues<BatchApi>())
            {
                using BatchCase check = BatchCase.Create(pair, call, api, rowMajor, rows);
                check.Ours();
                check.Ort();
                difference = Math.Max(difference, check.MaxDifference());
            }

            batch[call] = difference;
            bytes[call] = pair.Ort(call).ModelBytes;
        }

        int width = pair.Model.InputSize;
        float singleDifference = 0;
        var reconstruction = new float[width];
        OrtSide ort = pair.Ort(BatchCall.Reconstruct);
        using (OrtSide.Tensors tensors = ort.Allocate(1))
        {
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> sample = rowMajor.AsSpan(r * width, width);
                pair.Model.Reconstruct(sample, reconstruction);
                sample.CopyTo(tensors.Input);
                ort.Run(tensors);
                singleDifference = Math.Max(singleDifference, MaxDifference(reconstruction, tensors.Output));
            }
        }

        return new ParityResult(pair.Spec.Name, pair.Threads, rows, batch, singleDifference, bytes);
    }

    /// <summary>
    /// The largest elementwise <c>|ours − ort| / max(1, |ours|)</c>: the absolute difference for
    /// values within ±1 (reconstructions through a sigmoid, mean squared errors of data in [0, 1]),
    /// the relative one beyond (codes of ReLU units can exceed 1, and float32 rounding grows with the
    /// value). NaN when any element is NaN.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static float MaxDifference(ReadOnlySpan<float> ours, ReadOnlySpan<float> ort)
    {
        if (ours.Length != ort.Length)
        {
            throw new ArgumentException($"Lengths differ: ours {ours.Length}, ORT {ort.Length}.");
        }

        float max = 0;
        for (int i = 0; i < ours.Length; i++)
        {
            // Math.Max returns NaN when either argument is NaN, so a NaN is never hidden.
            max = Math.Max(max, Math.Abs(ours[i] - ort[i]) / Math.Max(1f, Math.Abs(ours[i])));
        }

        return max;
    }
}

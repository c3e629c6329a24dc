using System.Diagnostics;
using Autoencoder;
using Autoencoder.Benchmarks.Peers;

namespace Autoencoder.Benchmarks.Onnx;

/// <summary>Batch scoring through our row-major span calls and ONNX Runtime, every side writing into preallocated memory.</summary>
/// <param name="Rows">Rows scored per repetition.</param>
/// <param name="ReconstructSeconds">Our <c>Reconstruct(ReadOnlySpan&lt;float&gt;, rows, Span&lt;float&gt;)</c>, one entry per repetition.</param>
/// <param name="ErrorsSeconds">Our <c>ReconstructionErrors(ReadOnlySpan&lt;float&gt;, rows, Loss, Span&lt;float&gt;)</c>, one entry per repetition.</param>
/// <param name="OrtSeconds">ONNX Runtime's <c>Run</c> into the preallocated output, one entry per repetition.</param>
/// <param name="MaxDifference">Largest absolute difference between our span reconstruction and ONNX Runtime's output of the last repetition, over all rows.</param>
internal sealed record SpanBatchComparison(int Rows, double[] ReconstructSeconds, double[] ErrorsSeconds, double[] OrtSeconds, float MaxDifference)
{
    public double ReconstructMedianRowsPerSecond => Rows / Statistics.Median(ReconstructSeconds);

    public double ErrorsMedianRowsPerSecond => Rows / Statistics.Median(ErrorsSeconds);

    public double OrtMedianRowsPerSecond => Rows / Statistics.Median(OrtSeconds);

    public double ReconstructBestRowsPerSecond => Rows / ReconstructSeconds.Min();

    public double ErrorsBestRowsPerSecond => Rows / ErrorsSeconds.Min();

    public double OrtBestRowsPerSecond => Rows / OrtSeconds.Min();
}

/// <summary>The timed loop of the span calls.</summary>
internal static class SpanBatch
{
    /// <summary>The loss of the timed <c>ReconstructionErrors</c> call.</summary>
    public static readonly Loss ErrorsLoss = Loss.MeanSquaredError;

    /// <summary>
    /// As <see cref="Measure.Batch"/>, for the span calls: warm-up per call (<see cref="Measure.WarmupSliceCalls"/>
    /// calls on <see cref="Measure.WarmupSliceRows"/> rows, then full-size runs for at least
    /// <see cref="OnnxBenchmarkOptions.WarmupSeconds"/>), then <see cref="OnnxBenchmarkOptions.Reps"/>
    /// repetitions in which the three calls take turns, the first rotating from one repetition to
    /// the next, each after a full garbage collection outside the timing. Ours reads the row-major
    /// data in place and writes into preallocated arrays, as ONNX Runtime does.
    /// </summary>
    public static SpanBatchComparison Run(ModelSpec spec, AutoencoderModel model, OrtSide ort, float[] rowMajor, int rows, OnnxBenchmarkOptions options, Action<string> log)
    {
        const int width = ModelSpec.InputSize;
        using OrtSide.Tensors tensors = ort.Allocate(rows, width);
        rowMajor.AsSpan(0, rows * width).CopyTo(tensors.Input);
        var reconstructions = new float[rows * width];
        var errors = new float[rows];

        int sliceRows = Math.Min(Measure.WarmupSliceRows, rows);
        for (int i = 0; i < Measure.WarmupSliceCalls; i++)
        {
            model.Reconstruct(rowMajor.AsSpan(0, sliceRows * width), sliceRows, reconstructions.AsSpan(0, sliceRows * width));
            model.ReconstructionErrors(rowMajor.AsSpan(0, sliceRows * width), sliceRows, ErrorsLoss, errors.AsSpan(0, sliceRows));
        }

        Action[] calls =
        [
            () => model.Reconstruct(rowMajor.AsSpan(0, rows * width), rows, reconstructions),
            () => model.ReconstructionErrors(rowMajor.AsSpan(0, rows * width), rows, ErrorsLoss, errors),
            () => ort.Run(tensors),
        ];
        string[] names = ["Reconstruct(span)", "ReconstructionErrors(span)", "ORT"];
        for (int c = 0; c < calls.Length; c++)
        {
            (int runs, double seconds) = Measure.WarmUp(calls[c], options.WarmupSeconds);
            log($"span batch {spec.Name}: warm-up {names[c]} {runs} runs in {seconds:F2} s");
        }

        double[][] timings = [new double[options.Reps], new double[options.Reps], new double[options.Reps]];
        for (int rep = 0; rep < options.Reps; rep++)
        {
            for (int turn = 0; turn < calls.Length; turn++)
            {
                int c = (rep + turn) % calls.Length;
                Measure.Collect();
                long start = Stopwatch.GetTimestamp();
                calls[c]();
                timings[c][rep] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }

            log($"span batch {spec.Name}: rep {rep + 1}/{options.Reps} Reconstruct(span) {rows / timings[0][rep]:F0} rows/s, " +
                $"ReconstructionErrors(span) {rows / timings[1][rep]:F0} rows/s, ORT {rows / timings[2][rep]:F0} rows/s");
        }

        float difference = ParityCheck.MaxDifference(reconstructions, tensors.Output);
        return new SpanBatchComparison(rows, timings[0], timings[1], timings[2], difference);
    }
}

namespace Autoencoder.Benchmarks.Onnx;

/// <summary>One batch call measured on both sides: the wall time of each timed repetition.</summary>
/// <param name="Model">The model's short name.</param>
/// <param name="Threads">The thread count of both sides.</param>
/// <param name="Api">How our side took the batch.</param>
/// <param name="Call">The call.</param>
/// <param name="Rows">Rows per call.</param>
/// <param name="OursCalls">Our calls per repetition (set from the warm-up).</param>
/// <param name="OrtCalls">ONNX Runtime's calls per repetition.</param>
/// <param name="OursSeconds">Wall time of our repetitions, one entry each.</param>
/// <param name="OrtSeconds">Wall time of ONNX Runtime's repetitions, one entry each.</param>
/// <param name="MaxDifference">The largest difference between the two sides' outputs of the last call of the last repetition, over all rows (see <see cref="ParityCheck.MaxDifference"/>).</param>
internal sealed record BatchComparison(
    string Model,
    int Threads,
    BatchApi Api,
    BatchCall Call,
    int Rows,
    int OursCalls,
    int OrtCalls,
    double[] OursSeconds,
    double[] OrtSeconds,
    float MaxDifference)
{
    /// <summary>Our rows per second, median over the repetitions.</summary>
    public double OursMedian => Statistics.Median(OursRowsPerSecond);

    /// <summary>ONNX Runtime's rows per second, median over the repetitions.</summary>
    public double OrtMedian => Statistics.Median(OrtRowsPerSecond);

    /// <summary>Our rows per second in the fastest repetition.</summary>
    public double OursBest => OursRowsPerSecond.Max();

    /// <summary>ONNX Runtime's rows per second in the fastest repetition.</summary>
    public double OrtBest => OrtRowsPerSecond.Max();

    /// <summary>Ours over ONNX Runtime's median rows per second: above 1, ours is faster.</summary>
    public double Ratio => OursMedian / OrtMedian;

    /// <summary>Whether the timed outputs agree within <see cref="OnnxBenchmarkOptions.Tolerance"/> (false when NaN).</summary>
    public bool Agrees => MaxDifference <= OnnxBenchmarkOptions.Tolerance;

    private IEnumerable<double> OursRowsPerSecond => OursSeconds.Select(s => (double)Rows * OursCalls / s);

    private IEnumerable<double> OrtRowsPerSecond => OrtSeconds.Select(s => (double)Rows * OrtCalls / s);
}

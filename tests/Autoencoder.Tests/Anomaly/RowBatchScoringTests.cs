using Autoencoder.Data;
using Autoencoder.Tests.Model;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Anomaly;

/// <summary>
/// <see cref="AnomalyDetector"/>'s row-batch calls score as its matrix calls do, bit for bit, with
/// and without a scaler, for every score kind, and refuse what the matrix calls refuse.
/// </summary>
public class RowBatchScoringTests
{
    private const int Width = 12;

    private static AutoencoderModel SmallModel() =>
        new AutoencoderBuilder(Width).AddEncoderLayer(8, Activation.Tanh).WithLatent(3).WithOutputActivation(Activation.Sigmoid).WithSeed(9).Build();

    private static AutoencoderModel Variational() =>
        new AutoencoderBuilder(Width).AddEncoderLayer(8, Activation.Tanh).WithVariationalLatent(3).WithOutputActivation(Activation.Sigmoid).WithSeed(9).Build();

    public static TheoryData<string> Detectors() => new(["mse", "bce, min-max scaler", "mse, standardized", "bernoulli probability", "gaussian probability, standardized"]);

    /// <summary>The named detector and its training rows (raw units: the scalers are fitted on them).</summary>
    private static (AnomalyDetector Detector, float[][] Rows) Build(string name)
    {
        float[][] rows = RowBatchModels.Rows(300, Width, seed: 31); // more rows than one inference block
        Matrix<float> matrix = Matrix<float>.Build.DenseOfRowArrays(rows);
        AnomalyDetector detector = name switch
        {
            "mse" => new AnomalyDetector(SmallModel(), AnomalyScore.MeanSquaredError),
            "bce, min-max scaler" => new AnomalyDetector(SmallModel(), AnomalyScore.BinaryCrossEntropy, FeatureScaler.Fit(matrix, FeatureScaling.MinMax)),
            "mse, standardized" => new AnomalyDetector(SmallModel(), Loss.Huber(0.5), FeatureScaler.Fit(matrix, FeatureScaling.Standardize)),
            "bernoulli probability" => new AnomalyDetector(Variational(), AnomalyScore.BernoulliReconstructionProbability),
            "gaussian probability, standardized" => new AnomalyDetector(
                Variational(), AnomalyScore.GaussianReconstructionProbability, FeatureScaler.Fit(matrix, FeatureScaling.Standardize)),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        return (detector, rows);
    }

    [Theory]
    [MemberData(nameof(Detectors))]
    public void ScoresAndPredict_OnRows_EqualTheMatrixCallsBitForBit(string name)
    {
        (AnomalyDetector detector, float[][] rows) = Build(name);
        Matrix<float> matrix = Matrix<float>.Build.DenseOfRowArrays(rows);
        float[] flat = rows.SelectMany(r => r).ToArray();
        float[] expected = detector.Scores(matrix).ToArray();

        var span = new float[rows.Length];
        detector.Scores(flat, rows.Length, span);
        RowBatchModels.AssertSameBits(expected, detector.Scores(rows), 1, "Scores, jagged");
        RowBatchModels.AssertSameBits(expected, span, 1, "Scores, span");

        detector.Threshold = expected.Order().ElementAt(rows.Length / 2);
        bool[] flags = detector.Predict(matrix);
        var spanFlags = new bool[rows.Length];
        detector.Predict(flat, rows.Length, spanFlags);
        Assert.Equal(flags, detector.Predict(rows));
        Assert.Equal(flags, spanFlags);
        Assert.Contains(true, flags);
        Assert.Contains(false, flags);
    }

    [Fact]
    public void Predict_WithoutThreshold_ThrowsInvalidOperation()
    {
        (AnomalyDetector detector, float[][] rows) = Build("mse");
        Assert.Throws<InvalidOperationException>(() => detector.Predict(rows));
        Assert.Throws<InvalidOperationException>(() => detector.Predict(new float[Width], 1, new bool[1]));
    }

    [Fact]
    public void RowCalls_BadArguments_ThrowWithExpectedAndGiven()
    {
        (AnomalyDetector detector, float[][] rows) = Build("bce, min-max scaler");
        detector.Threshold = 0.5f;
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => detector.Scores((float[][])null!)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => detector.Predict((float[][])null!)).ParamName);

        float[][] ragged = rows.Take(5).ToArray();
        ragged[3] = new float[Width - 1];
        Assert.Contains("row 3 has 11", Assert.Throws<ArgumentException>(() => detector.Scores(ragged)).Message);
        ragged[3] = null!;
        Assert.Contains("row 3 is null", Assert.Throws<ArgumentException>(() => detector.Predict(ragged)).Message);

        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => detector.Scores(ReadOnlySpan<float>.Empty, 0, Span<float>.Empty)).ParamName);
        var ex = Assert.Throws<ArgumentException>(() => detector.Scores(new float[(2 * Width) + 1], 2, new float[2]));
        Assert.Equal("x", ex.ParamName);
        Assert.Contains("must have length 24", ex.Message);
        Assert.Contains("got 25", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => detector.Scores(new float[2 * Width], 2, new float[3]));
        Assert.Equal("scores", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => detector.Predict(new float[2 * Width], 2, new bool[1]));
        Assert.Equal("anomalies", ex.ParamName);
        Assert.Contains("must have length 2", ex.Message);

        float[] nan = new float[3 * Width];
        nan[(2 * Width) + 7] = float.NaN;
        Assert.Contains("got NaN at row 2, column 7", Assert.Throws<ArgumentException>(() => detector.Scores(nan, 3, new float[3])).Message);
    }

    [Fact]
    public void RowCalls_ScaledValueOutsideTheDomain_NameRowColumnAndBothValues()
    {
        // Min-max fitted on [0, 1) data: 3 scales to about 3, outside binary cross-entropy's [0, 1].
        (AnomalyDetector detector, float[][] rows) = Build("bce, min-max scaler");
        rows[280][6] = 3f;
        float[] flat = rows.SelectMany(r => r).ToArray();
        string matrixMessage = Assert.Throws<ArgumentException>(() => detector.Scores(Matrix<float>.Build.DenseOfRowArrays(rows))).Message;
        foreach (Action call in new Action[]
        {
            () => detector.Scores(rows),
            () => detector.Scores(flat, rows.Length, new float[rows.Length]),
        })
        {
            var ex = Assert.Throws<ArgumentException>(call);
            Assert.Equal("x", ex.ParamName);
            Assert.Contains("at row 280, column 6", ex.Message);
            Assert.Contains("got 3, scaled to", ex.Message);
            Assert.Equal(matrixMessage, ex.Message);
        }
    }

    [Fact]
    public void SpanCalls_WithScaler_AfterWarmUp_DoNotAllocate()
    {
        (AnomalyDetector detector, float[][] rows) = Build("bce, min-max scaler");
        detector.Threshold = 0.7f;
        float[] flat = rows.SelectMany(r => r).ToArray();
        var scores = new float[rows.Length];
        var flags = new bool[rows.Length];
        for (int i = 0; i < 2; i++)
        {
            detector.Scores(flat, rows.Length, scores); // warm up: JIT and the array pools
            detector.Predict(flat, rows.Length, flags);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        detector.Scores(flat, rows.Length, scores);
        detector.Predict(flat, rows.Length, flags);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }
}

using Autoencoder.Data;
using Autoencoder.Evaluation;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests;

public class AnomalyDetectorTests
{
    private const int Width = 12;

    /// <summary>An untrained model: scores are still well defined, and tests need no training time.</summary>
    private static AutoencoderModel SmallModel(Activation output = Activation.Sigmoid, int seed = 9) =>
        new AutoencoderBuilder(Width).AddEncoderLayer(8, Activation.Tanh).WithLatent(3).WithOutputActivation(output).WithSeed(seed).Build();

    [Theory]
    [InlineData(AnomalyScore.MeanSquaredError, "MeanSquaredError")]
    [InlineData(AnomalyScore.BinaryCrossEntropy, "BinaryCrossEntropy")]
    public void Scores_WithoutScaler_EqualModelReconstructionErrors(AnomalyScore score, string lossName)
    {
        Loss loss = Losses.LossNames.Get(lossName);
        AutoencoderModel model = SmallModel();
        Matrix<float> x = TestData.Matrix(300, Width, seed: 1); // more rows than one inference block
        var detector = new AnomalyDetector(model, score);

        Assert.Equal(model.ReconstructionErrors(x, loss).ToArray(), detector.Scores(x).ToArray());
        Assert.Equal(loss, detector.ReconstructionLoss);
    }

    [Fact]
    public void Scores_WithScaler_EqualModelErrorsOnScaledRows()
    {
        AutoencoderModel model = SmallModel();
        Matrix<float> raw = TestData.Matrix(40, Width, seed: 2, low: -50f, high: 80f);
        FeatureScaler scaler = FeatureScaler.Fit(raw, FeatureScaling.MinMax);
        var detector = new AnomalyDetector(model, AnomalyScore.BinaryCrossEntropy, scaler);

        Assert.Equal(model.ReconstructionErrors(scaler.Transform(raw), Loss.BinaryCrossEntropy).ToArray(), detector.Scores(raw).ToArray());
    }

    [Theory]
    [InlineData(AnomalyScore.MeanSquaredError)]
    [InlineData(AnomalyScore.BinaryCrossEntropy)]
    public void Score_OfARow_DoesNotDependOnTheOtherRowsOfItsBatch(AnomalyScore kind)
    {
        AutoencoderModel model = SmallModel();
        Matrix<float> x = TestData.Matrix(300, Width, seed: 3);
        Matrix<float> others = TestData.Matrix(77, Width, seed: 4);
        var detector = new AnomalyDetector(model, kind);

        var alone = new float[x.RowCount];
        for (int r = 0; r < x.RowCount; r++)
        {
            alone[r] = detector.Score(x.Row(r).ToArray());
        }

        // The whole set (two inference blocks), reversed, every third row, and mixed with other rows.
        float[] all = detector.Scores(x).ToArray();
        int[] reversedOrder = Enumerable.Range(0, x.RowCount).Reverse().ToArray();
        float[] reversed = detector.Scores(Rows(x, reversedOrder)).ToArray();
        int[] thirds = Enumerable.Range(0, x.RowCount).Where(i => i % 3 == 0).ToArray();
        float[] everyThird = detector.Scores(Rows(x, thirds)).ToArray();
        Matrix<float> mixed = others.Stack(x.SubMatrix(100, 50, 0, Width)).Stack(others);
        float[] mixedScores = detector.Scores(mixed).ToArray();

        // Bit-identical: each row's arithmetic is the same whatever its batch (DESIGN: outputs split, never reductions).
        Assert.Equal(alone, all);
        Assert.Equal(reversedOrder.Select(i => alone[i]).ToArray(), reversed);
        Assert.Equal(thirds.Select(i => alone[i]).ToArray(), everyThird);
        Assert.Equal(alone.Skip(100).Take(50).ToArray(), mixedScores.Skip(others.RowCount).Take(50).ToArray());
    }

    [Theory]
    [InlineData(AnomalyScore.MeanSquaredError, Activation.Sigmoid)]
    [InlineData(AnomalyScore.BinaryCrossEntropy, Activation.Sigmoid)]   // from logits
    [InlineData(AnomalyScore.BinaryCrossEntropy, Activation.Identity)]  // from clamped probabilities
    [InlineData(AnomalyScore.MeanSquaredError, Activation.Identity)]
    public void Contributions_SumToTheScore(AnomalyScore kind, Activation output)
    {
        AutoencoderModel model = SmallModel(output);
        Matrix<float> x = TestData.Matrix(30, Width, seed: 5);
        var detector = new AnomalyDetector(model, kind);
        Vector<float> scores = detector.Scores(x);
        Matrix<float> shares = detector.Contributions(x);
        var row = new float[Width];

        for (int r = 0; r < x.RowCount; r++)
        {
            detector.Contributions(x.Row(r).ToArray(), row);
            Assert.Equal(shares.Row(r).ToArray(), row);
            Assert.All(row, v => Assert.True(v >= 0f, $"row {r}: negative share {v}"));

            // Shares are rounded to float one by one and the score's terms are summed in another
            // order (BCE from logits: terms in float), so they agree to float precision, not bits.
            double sum = row.Sum(v => (double)v);
            Assert.True(Math.Abs(sum - scores[r]) <= 1e-5 * scores[r] + 1e-7, $"row {r}: shares sum to {sum}, score {scores[r]}");
        }
    }

    [Fact]
    public void Contributions_Mse_AreSquaredErrorsOverN()
    {
        AutoencoderModel model = SmallModel();
        float[] x = TestData.Uniform(Width, seed: 6, low: 0f, high: 1f);
        var reconstruction = new float[Width];
        model.Reconstruct(x, reconstruction);
        var detector = new AnomalyDetector(model, AnomalyScore.MeanSquaredError);
        var shares = new float[Width];

        detector.Contributions(x, shares);

        for (int i = 0; i < Width; i++)
        {
            double d = (double)reconstruction[i] - x[i];
            Assert.Equal((float)(d * d / Width), shares[i]);
        }
    }

    [Fact]
    public void Contributions_PointAtTheCorruptedFeature()
    {
        // Low-rank rows are easy to reconstruct; one corrupted feature then carries the error.
        // Seeded so that training is reproducible.
        Matrix<float> data = TestData.LowRank(2001, Width, rank: 3, seed: 7);
        Matrix<float> train = data.SubMatrix(0, 2000, 0, Width);
        AutoencoderModel model = new AutoencoderBuilder(Width).AddEncoderLayer(16, Activation.Tanh).WithLatent(4).WithSeed(8).Build();
        AnomalyDetector detector = AnomalyDetector.Fit(model, train, FeatureScaling.Standardize, new TrainingOptions { Epochs = 30, BatchSize = 64, Seed = 1 });
        float[] row = data.Row(2000).ToArray(); // held out, from the same low-rank family
        float[] clean = row.ToArray();
        const int Corrupted = 5;
        row[Corrupted] += 3f * detector.Scaler!.Scale[Corrupted];

        var shares = new float[Width];
        detector.Contributions(row, shares);
        int top = Array.IndexOf(shares, shares.Max());

        Assert.Equal(Corrupted, top);
        Assert.True(detector.Score(row) > 5 * detector.Score(clean), $"corrupted {detector.Score(row)} vs clean {detector.Score(clean)}");
        Assert.True(detector.IsAnomaly(row));
    }

    [Fact]
    public void FitThreshold_IsTheLinearQuantileOfCleanScores()
    {
        var detector = new AnomalyDetector(SmallModel(), AnomalyScore.MeanSquaredError);
        Matrix<float> clean = TestData.Matrix(10, Width, seed: 10);
        float[] s = detector.Scores(clean).ToArray();
        Array.Sort(s);

        float threshold = detector.FitThreshold(clean, falsePositiveRate: 0.1);

        // h = (10 − 1)·0.9 = 8.1: s[8] + 0.1·(s[9] − s[8]), rounded down to a float.
        double expected = s[8] + (0.1 * ((double)s[9] - s[8]));
        Assert.Equal(threshold, detector.Threshold);
        Assert.True(threshold <= expected && MathF.BitIncrement(threshold) > expected, $"threshold {threshold} vs {expected}");
        Assert.Equal(1, detector.Predict(clean).Count(f => f)); // ⌈9·0.1⌉ = 1 of 10
    }

    [Theory]
    [InlineData(0.25, 5)]  // h = 15 exactly: threshold s[15], 5 scores above
    [InlineData(0.1, 2)]   // h = 18: s[18], 2 above
    [InlineData(0.01, 1)]  // h = 19.8: between s[19] and s[20], ⌈0.2⌉ = 1 above
    [InlineData(0.0, 0)]   // the largest score: none above
    public void FitThreshold_FlagsCeilOfNMinusOneTimesRateOfTheCleanRows(double rate, int flagged)
    {
        var detector = new AnomalyDetector(SmallModel(), AnomalyScore.MeanSquaredError);
        Matrix<float> clean = TestData.Matrix(21, Width, seed: 11);

        detector.FitThreshold(clean, rate);

        Assert.Equal(flagged, detector.Predict(clean).Count(f => f));
    }

    [Fact]
    public void FitThresholdByContamination_FollowsPyOD_DefaultTenPercent()
    {
        var detector = new AnomalyDetector(SmallModel(), AnomalyScore.MeanSquaredError);
        Matrix<float> train = TestData.Matrix(50, Width, seed: 12);
        float[] s = detector.Scores(train).ToArray();
        Array.Sort(s);

        float threshold = detector.FitThresholdByContamination(train);

        // numpy.percentile(scores, 100·(1 − 0.1)): h = 49·0.9 = 44.1.
        double expected = s[44] + (0.1 * ((double)s[45] - s[44]));
        Assert.True(threshold <= expected && MathF.BitIncrement(threshold) > expected, $"threshold {threshold} vs {expected}");
        Assert.Equal(5, detector.Predict(train).Count(f => f));
        Assert.Equal(0.1, AnomalyDetector.DefaultContamination);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(0.5000001)]
    [InlineData(double.NaN)]
    public void FitThresholdByContamination_OutOfRange_Throws(double contamination)
    {
        var detector = new AnomalyDetector(SmallModel(), AnomalyScore.MeanSquaredError);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => detector.FitThresholdByContamination(TestData.Matrix(5, Width, seed: 1), contamination));
        Assert.Contains("must be in (0, 0.5]", ex.Message);
        Assert.Null(detector.Threshold);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void FitThreshold_RateOutOfRange_Throws(double rate)
    {
        var detector = new AnomalyDetector(SmallModel(), AnomalyScore.MeanSquaredError);
        Assert.Throws<ArgumentOutOfRangeException>(() => detector.FitThreshold(TestData.Matrix(5, Width, seed: 1), rate));
    }

    [Fact]
    public void Threshold_SetExplicitly_FlagsScoresStrictlyAbove()
    {
        var detector = new AnomalyDetector(SmallModel(), AnomalyScore.MeanSquaredError);
        Matrix<float> x = TestData.Matrix(20, Width, seed: 13);
        float[] scores = detector.Scores(x).ToArray();

        Assert.Null(detector.Threshold);
        Assert.Throws<InvalidOperationException>(() => detector.Predict(x));
        Assert.Throws<InvalidOperationException>(() => detector.IsAnomaly(x.Row(0).ToArray()));

        detector.Threshold = scores[7];
        bool[] flags = detector.Predict(x);
        for (int r = 0; r < x.RowCount; r++)
        {
            Assert.Equal(scores[r] > scores[7], flags[r]);
            Assert.Equal(flags[r], detector.IsAnomaly(x.Row(r).ToArray()));
        }

        Assert.False(flags[7]);
        Assert.Throws<ArgumentException>(() => detector.Threshold = float.NaN);
        Assert.Equal(scores[7], detector.Threshold);
        detector.Threshold = null;
        Assert.Null(detector.Threshold);
    }

    [Fact]
    public void Fit_ScalesTrainsAndSetsTheContaminationThreshold()
    {
        // Features far outside [0, 1], which binary cross-entropy could not take unscaled.
        Matrix<float> data = TestData.LowRank(500, Width, rank: 3, seed: 14) * 200f - 50f;
        Matrix<float> train = data.SubMatrix(0, 400, 0, Width);
        // Validation rows clamped to each feature's training range: once scaled, binary
        // cross-entropy needs them in [0, 1] (the model rejects anything else).
        float[] min = Enumerable.Range(0, Width).Select(c => train.Column(c).Minimum()).ToArray();
        float[] max = Enumerable.Range(0, Width).Select(c => train.Column(c).Maximum()).ToArray();
        Matrix<float> validation = data.SubMatrix(400, 100, 0, Width).MapIndexed((_, c, v) => Math.Clamp(v, min[c], max[c]));
        AutoencoderModel model = SmallModel();
        float[] before = model.Reconstruct(TestData.Matrix(1, Width, seed: 1)).ToColumnMajorArray();

        AnomalyDetector detector = AnomalyDetector.Fit(
            model, train, FeatureScaling.MinMax,
            new TrainingOptions { Epochs = 3, Loss = Loss.BinaryCrossEntropy, ValidationData = validation, Seed = 2 },
            contamination: 0.2);

        Assert.Same(model, detector.Model);
        Assert.NotEqual(before, model.Reconstruct(TestData.Matrix(1, Width, seed: 1)).ToColumnMajorArray());
        Assert.Equal(AnomalyScore.BinaryCrossEntropy, detector.ScoreKind);
        Assert.Equal(FeatureScaler.Fit(train, FeatureScaling.MinMax).Offset, detector.Scaler!.Offset);
        Assert.Equal(FeatureScaler.Fit(train, FeatureScaling.MinMax).Scale, detector.Scaler.Scale);
        int flagged = detector.Predict(train).Count(f => f);
        Assert.Equal((int)Math.Ceiling(399 * 0.2), flagged); // 80 of 400 when the scores are distinct
    }

    [Fact]
    public void Fit_BinaryCrossEntropyWithStandardize_ThrowsBeforeTraining()
    {
        AutoencoderModel model = SmallModel();
        Matrix<float> probe = TestData.Matrix(1, Width, seed: 1);
        float[] before = model.Reconstruct(probe).ToColumnMajorArray();

        var ex = Assert.Throws<ArgumentException>(() => AnomalyDetector.Fit(
            model, TestData.Matrix(50, Width, seed: 16), FeatureScaling.Standardize, new TrainingOptions { Loss = Loss.BinaryCrossEntropy }));

        Assert.Equal("scaling", ex.ParamName);
        Assert.Equal(before, model.Reconstruct(probe).ToColumnMajorArray());
    }

    [Fact]
    public void Fit_InvalidArguments_Throw()
    {
        Matrix<float> x = TestData.Matrix(20, Width, seed: 17);
        Assert.Throws<ArgumentNullException>(() => AnomalyDetector.Fit(null!, x, FeatureScaling.MinMax));
        Assert.Throws<ArgumentNullException>(() => AnomalyDetector.Fit(SmallModel(), null!, FeatureScaling.MinMax));
        Assert.Throws<ArgumentOutOfRangeException>(() => AnomalyDetector.Fit(SmallModel(), x, (FeatureScaling)9));
        Assert.Throws<ArgumentOutOfRangeException>(() => AnomalyDetector.Fit(SmallModel(), x, FeatureScaling.MinMax, contamination: 0.7));
        var ex = Assert.Throws<ArgumentException>(() => AnomalyDetector.Fit(SmallModel(), TestData.Matrix(20, 5, seed: 1), FeatureScaling.MinMax));
        Assert.Contains("12 columns", ex.Message);
    }

    [Fact]
    public void Scores_BinaryCrossEntropyRowOutsideFittedRange_ThrowsNamingRowColumnAndRawValue()
    {
        Matrix<float> train = TestData.Matrix(30, Width, seed: 18, low: 10f, high: 20f);
        FeatureScaler scaler = FeatureScaler.Fit(train, FeatureScaling.MinMax);
        var bce = new AnomalyDetector(SmallModel(), AnomalyScore.BinaryCrossEntropy, scaler);
        var mse = new AnomalyDetector(SmallModel(), AnomalyScore.MeanSquaredError, scaler);
        Matrix<float> x = train.SubMatrix(0, 3, 0, Width);
        x[2, 4] = 25f;

        var ex = Assert.Throws<ArgumentException>(() => bce.Scores(x));
        Assert.Contains("row 2, column 4", ex.Message);
        Assert.Contains("got 25, scaled to", ex.Message);
        Assert.Contains("[0, 1]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => bce.Score(x.Row(2).ToArray()));
        Assert.Contains("index 4", ex.Message);

        Assert.True(float.IsFinite(mse.Scores(x)[2])); // MSE takes any finite value
    }

    [Fact]
    public void InvalidArguments_Throw()
    {
        AutoencoderModel model = SmallModel();
        Assert.Throws<ArgumentNullException>(() => new AnomalyDetector(null!, AnomalyScore.MeanSquaredError));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AnomalyDetector(model, (AnomalyScore)5));
        var ex = Assert.Throws<ArgumentException>(
            () => new AnomalyDetector(model, AnomalyScore.MeanSquaredError, FeatureScaler.Fit(TestData.Matrix(5, 4, seed: 1), FeatureScaling.MinMax)));
        Assert.Equal("scaler", ex.ParamName);

        var detector = new AnomalyDetector(model, AnomalyScore.MeanSquaredError);
        Assert.Throws<ArgumentNullException>(() => detector.Scores((Matrix<float>)null!));
        Assert.Throws<ArgumentNullException>(() => detector.FitThreshold(null!, 0.1));
        ex = Assert.Throws<ArgumentException>(() => detector.Scores(TestData.Matrix(3, 11, seed: 1)));
        Assert.Contains("got 11 columns", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => detector.Score(new float[11]));
        Assert.Equal("row", ex.ParamName);
        float[] nan = new float[Width];
        nan[3] = float.NaN;
        ex = Assert.Throws<ArgumentException>(() => detector.Score(nan));
        Assert.Contains("index 3", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => detector.Contributions(new float[Width], new float[3]));
        Assert.Equal("contributions", ex.ParamName);
        Matrix<float> withInfinity = TestData.Matrix(4, Width, seed: 1);
        withInfinity[2, 1] = float.PositiveInfinity;
        ex = Assert.Throws<ArgumentException>(() => detector.Contributions(withInfinity));
        Assert.Contains("row 2, column 1", ex.Message);
    }

    [Fact]
    public void Score_OneRow_DoesNotAllocate()
    {
        FeatureScaler scaler = FeatureScaler.Fit(TestData.Matrix(20, Width, seed: 19), FeatureScaling.Standardize);
        var detector = new AnomalyDetector(SmallModel(), AnomalyScore.MeanSquaredError, scaler) { Threshold = 0.5f };
        float[] row = TestData.Uniform(Width, seed: 20);
        var shares = new float[Width];
        detector.Score(row); // warm up: JIT and the array pools
        detector.IsAnomaly(row);
        detector.Contributions(row, shares);

        long before = GC.GetAllocatedBytesForCurrentThread();
        detector.Score(row);
        detector.IsAnomaly(row);
        detector.Contributions(row, shares);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Scores_FromManyThreadsAtOnce_EqualSequentialScores()
    {
        Matrix<float>[] batches = Enumerable.Range(0, 8).Select(i => TestData.Matrix(100 + i, Width, seed: 30 + i, low: -2f, high: 5f)).ToArray();
        var detector = new AnomalyDetector(
            SmallModel(), AnomalyScore.BinaryCrossEntropy, FeatureScaler.Fit(batches.Aggregate((a, b) => a.Stack(b)), FeatureScaling.MinMax));
        float[][] expected = batches.Select(b => detector.Scores(b).ToArray()).ToArray();

        var actual = new float[batches.Length][][];
        Parallel.For(0, batches.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            actual[i] = Enumerable.Range(0, 5).Select(_ => detector.Scores(batches[i]).ToArray()).ToArray();
        });

        for (int i = 0; i < batches.Length; i++)
        {
            Assert.All(actual[i], scores => Assert.Equal(expected[i], scores));
        }
    }

    [Fact]
    public void InternalConstructor_RebuildsFromSavedParts()
    {
        Matrix<float> train = TestData.Matrix(60, Width, seed: 22, low: -4f, high: 9f);
        FeatureScaler scaler = FeatureScaler.Fit(train, FeatureScaling.Standardize);
        AutoencoderModel model = SmallModel();
        var original = new AnomalyDetector(model, AnomalyScore.MeanSquaredError, scaler);
        original.FitThresholdByContamination(train, 0.15);

        // What a file would hold: the score kind, the loss, the scaler's vectors and the threshold.
        FeatureScaler restoredScaler = FeatureScaler.FromVectors(scaler.Scaling, scaler.OffsetValues, scaler.ScaleValues);
        var restored = new AnomalyDetector(model, original.ScoreKind, restoredScaler, original.Threshold);

        Assert.Equal(Loss.MeanSquaredError, restored.ReconstructionLoss);
        Assert.Equal(original.Threshold, restored.Threshold);
        Assert.Equal(original.Scores(train).ToArray(), restored.Scores(train).ToArray());
        Assert.Equal(original.Predict(train), restored.Predict(train));
        Assert.Throws<ArgumentException>(() => new AnomalyDetector(model, AnomalyScore.MeanSquaredError, null, float.NaN));
    }

    [Fact]
    public void RocAuc_OfScores_IsComputableFromPredictInputs()
    {
        // Anomalies far from low-rank normal rows score higher: a smoke test of the pieces together.
        Matrix<float> normal = TestData.LowRank(300, Width, rank: 2, seed: 23);
        AutoencoderModel model = new AutoencoderBuilder(Width).AddEncoderLayer(8, Activation.Tanh).WithLatent(2).WithOutputActivation(Activation.Sigmoid).WithSeed(24).Build();
        AnomalyDetector detector = AnomalyDetector.Fit(model, normal, FeatureScaling.MinMax, new TrainingOptions { Epochs = 40, BatchSize = 32, Seed = 3 });
        Matrix<float> test = TestData.LowRank(100, Width, rank: 2, seed: 25).Stack(TestData.Matrix(100, Width, seed: 26, low: 0.2f, high: 0.8f));
        bool[] truth = Enumerable.Range(0, 200).Select(i => i >= 100).ToArray();

        // Random rows may fall outside the fitted range: MSE scoring with the same scaler and model takes them.
        var mse = new AnomalyDetector(model, AnomalyScore.MeanSquaredError, detector.Scaler);
        double auc = Metrics.RocAuc(mse.Scores(test).AsArray(), truth);

        Assert.True(auc > 0.9, $"ROC-AUC {auc:F3}");
    }

    private static Matrix<float> Rows(Matrix<float> x, int[] indices) =>
        Matrix<float>.Build.Dense(indices.Length, x.ColumnCount, (r, c) => x[indices[r], c]);
}

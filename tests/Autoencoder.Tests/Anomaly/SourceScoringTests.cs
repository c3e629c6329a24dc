using Autoencoder.Data;
using Autoencoder.Tests.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Anomaly;

/// <summary>Anomaly detection on data sources: fitted, thresholded and scored streamed, with the values the matrix calls give.</summary>
public class SourceScoringTests : IDisposable
{
    private const int Rows = 300, Columns = 12;

    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-source-scoring-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Original units: far from [0, 1], so the scaler matters.
    private static Matrix<float> X => TestData.Matrix(Rows, Columns, seed: 11, low: -40, high: 90);

    private static AutoencoderModel Model() => new AutoencoderBuilder(Columns).AddEncoderLayer(8, Activation.Tanh).WithLatent(3).WithSeed(4).Build();

    private DataSource File(Matrix<float> x, string name) =>
        DataSource.FromIdx(IdxFloatFile.Write(Path.Combine(_folder, name), IdxFloatFile.RowMajor(x), x.RowCount, x.ColumnCount));

    private static float[][] Jagged(Matrix<float> x) => Enumerable.Range(0, x.RowCount).Select(r => x.Row(r).ToArray()).ToArray();

    [Theory]
    [InlineData(FeatureScaling.MinMax)]
    [InlineData(FeatureScaling.Standardize)]
    public void Scaler_FittedOnAStream_EqualsTheMatrixScaler(FeatureScaling scaling)
    {
        FeatureScaler expected = FeatureScaler.Fit(X, scaling);
        FeatureScaler streamed = FeatureScaler.Fit(DataSource.FromEnumerable(Jagged(X), Columns), scaling);
        Assert.Equal(expected.Offset, streamed.Offset);
        Assert.Equal(expected.Scale, streamed.Scale);
        Assert.Throws<ArgumentException>(() => FeatureScaler.Fit(DataSource.FromEnumerable([], Columns), scaling));
    }

    [Theory]
    [InlineData(FeatureScaling.MinMax)]
    [InlineData(FeatureScaling.Standardize)]
    public void Fit_OnRowsInMemory_EqualsTheMatrixFit(FeatureScaling scaling)
    {
        var options = new TrainingOptions { Epochs = 3, BatchSize = 32, ValidationFraction = 0.2 };
        AnomalyDetector expected = AnomalyDetector.Fit(Model(), X, scaling, options);
        AnomalyDetector detector = AnomalyDetector.Fit(Model(), Jagged(X), scaling, options);
        Assert.Equal(expected.Model.Network.Parameters, detector.Model.Network.Parameters);
        Assert.Equal(expected.Threshold, detector.Threshold);
    }

    [Fact]
    public void Fit_OnAFile_ThenScoresAndPredictions_StreamedEqualTheMatrixCalls()
    {
        DataSource file = File(X, "train.idx");
        AnomalyDetector detector = AnomalyDetector.Fit(Model(), file, FeatureScaling.MinMax, new TrainingOptions { Epochs = 4, BatchSize = 32 }, contamination: 0.05);
        Assert.NotNull(detector.Threshold);
        Matrix<float> test = TestData.Matrix(90, Columns, seed: 12, low: -40, high: 90);
        Assert.Equal(detector.Scores(test).ToArray(), detector.Scores(File(test, "test.idx")).ToArray());
        Assert.Equal(detector.Predict(test), detector.Predict(File(test, "test.idx")).ToArray());

        // About the contamination's share of the training rows is flagged.
        int flagged = detector.Predict(file).Count(f => f);
        Assert.InRange(flagged, 10, 20);
        float threshold = detector.FitThreshold(File(test, "test.idx"), 0.1);
        Assert.Equal(threshold, detector.FitThreshold(test, 0.1));
    }

    [Fact]
    public void Fit_OnAMatrix_TakesValidationRowsOfAnyKind_ScaledAsTheMatrixWouldBe()
    {
        Matrix<float> validation = TestData.Matrix(60, Columns, seed: 13, low: -40, high: 90);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 32 };
        AnomalyDetector expected = AnomalyDetector.Fit(Model(), X, FeatureScaling.MinMax, options with { ValidationData = validation });
        AnomalyDetector detector = AnomalyDetector.Fit(Model(), X, FeatureScaling.MinMax, options with { ValidationData = Jagged(validation) });
        Assert.Equal(expected.Model.Network.Parameters, detector.Model.Network.Parameters);
        var e = Assert.Throws<ArgumentException>(() => AnomalyDetector.Fit(Model(), X, FeatureScaling.MinMax, options with { ValidationData = new[] { new float[3] } }));
        Assert.Equal("options.ValidationData", e.ParamName);
    }

    [Fact]
    public void Fit_KeepsItsTrainingHistory_WhichLoadedDetectorsDoNotHave()
    {
        var options = new TrainingOptions { Epochs = 3, BatchSize = 32, ValidationFraction = 0.2, EarlyStopping = new EarlyStopping { Patience = 10 } };
        AnomalyDetector fitted = AnomalyDetector.Fit(Model(), X, FeatureScaling.MinMax, options);
        AnomalyDetector streamed = AnomalyDetector.Fit(Model(), File(X, "history.idx"), FeatureScaling.MinMax, options);
        foreach (AnomalyDetector detector in new[] { fitted, streamed })
        {
            Assert.NotNull(detector.TrainingHistory);
            Assert.Equal([1, 2, 3], detector.TrainingHistory!.Epochs.Select(e => e.Epoch));
            Assert.All(detector.TrainingHistory.Epochs, e => Assert.NotNull(e.ValidationLoss));
            Assert.Equal(StopReason.Completed, detector.TrainingHistory.StopReason);
        }

        string path = Path.Combine(_folder, "detector.aed");
        fitted.Save(path);
        Assert.Null(AnomalyDetector.Load(path).TrainingHistory);
        Assert.Null(new AnomalyDetector(Model(), Loss.MeanSquaredError).TrainingHistory);
    }

    [Fact]
    public void Scores_OfASourceOfTheWrongWidth_OrWithBadValues_AreRefused()
    {
        AnomalyDetector detector = AnomalyDetector.Fit(Model(), Jagged(X), FeatureScaling.MinMax, new TrainingOptions { Epochs = 1 });
        Assert.Contains("must have 12 columns", Assert.Throws<ArgumentException>(() => detector.Scores(DataSource.FromEnumerable([new float[3]], 3))).Message);
        float[][] rows = Jagged(X);
        rows[5][2] = float.PositiveInfinity;
        var e = Assert.Throws<ArgumentException>(() => detector.Scores(DataSource.FromEnumerable(rows, Columns)).ToArray());
        Assert.Contains("at row 5, column 2", e.Message);
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace Autoencoder.MLNet.Tests;

/// <summary>
/// The trainer in a real ML.NET pipeline on a real file: benign tumours are the normal class,
/// malignant ones the anomalies. The rows are split 70/30 (seed 1); the normalizer and the
/// autoencoder are fitted on the benign rows of the 70% only, and the evaluator scores the whole
/// 30% (benign and malignant rows the model never saw).
/// </summary>
public class AnomalyPipelineTests(ITestOutputHelper output)
{
    // An autoencoder trained on benign rows separates malignant ones well (PyOD's reports on this
    // data are above 0.9); the bound leaves room for the split and the small network.
    private const double MinimumAuc = 0.9;

    private static readonly AutoencoderAnomalyOptions Options = new() { Epochs = 60, Seed = 3 };

    [Fact]
    public void Evaluate_MalignantAsAnomalies_AucAboveBound()
    {
        var mlContext = new MLContext(seed: 1);
        (IDataView train, IDataView test) = Split(mlContext);
        var pipeline = mlContext.Transforms.NormalizeMinMax("Features")
            .Append(mlContext.AnomalyDetection.Trainers.Autoencoder("Features", Options));
        var model = pipeline.Fit(BreastCancer.Benign(mlContext, train));

        IDataView predictions = model.Transform(BreastCancer.WithAnomalyLabel(mlContext, test));
        AnomalyDetectionMetrics metrics = mlContext.AnomalyDetection.Evaluate(predictions, "Label", scoreColumnName: "Score", predictedLabelColumnName: "PredictedLabel");

        output.WriteLine($"ROC-AUC {metrics.AreaUnderRocCurve:F4}, detection rate at 10 false positives {metrics.DetectionRateAtFalsePositiveCount:F4}, threshold {model.LastTransformer.Threshold}");
        Assert.True(metrics.AreaUnderRocCurve > MinimumAuc, $"ROC-AUC {metrics.AreaUnderRocCurve:F4}, expected above {MinimumAuc}");
    }

    [Fact]
    public void Fit_Twice_GivesTheSameScores()
    {
        // Fixed seeds (the options' and the split's): training is deterministic.
        float[] first = TrainedScores();
        float[] second = TrainedScores();
        Assert.Equal(first, second);
    }

    [Fact]
    public void PredictedLabel_OnTrainingRows_FlagsAboutTheContamination()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView benign = BreastCancer.Benign(mlContext, Split(mlContext).Train);
        AutoencoderAnomalyTransformer transformer = mlContext.AnomalyDetection.Trainers.Autoencoder(options: Options).Fit(benign);
        IDataView scored = transformer.Transform(benign);
        float[] scores = [.. scored.GetColumn<float>("Score")];
        bool[] flagged = [.. scored.GetColumn<bool>("PredictedLabel")];

        Assert.Equal(scores.Select(s => s > transformer.Threshold), flagged);
        double share = flagged.Count(f => f) / (double)flagged.Length;
        // The threshold is the 90th percentile of these very scores (contamination 0.1).
        Assert.InRange(share, 0.08, 0.11);
        Assert.Equal(transformer.Detector.Scores([.. BreastCancer.FeatureRows(benign)]), scores);
    }

    [Fact]
    public void PredictionEngine_ScoresOneRow_AsTheTransform()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView benign = BreastCancer.Benign(mlContext, Split(mlContext).Train);
        AutoencoderAnomalyTransformer transformer = mlContext.AnomalyDetection.Trainers.Autoencoder(options: Options with { Epochs = 5 }).Fit(benign);
        float[] row = BreastCancer.FeatureRows(benign)[0];

        var engine = mlContext.Model.CreatePredictionEngine<FeatureRow, ScoredRow>(transformer);
        ScoredRow prediction = engine.Predict(new FeatureRow { Features = row });

        Assert.Equal(transformer.Detector.Score(row), prediction.Score);
        Assert.Equal(prediction.Score > transformer.Threshold, prediction.PredictedLabel);
    }

    [Fact]
    public void GetOutputSchema_AddsScoreAndPredictedLabel()
    {
        var mlContext = new MLContext(seed: 1);
        // A shape with a Features vector, made by a public estimator from an empty one.
        SchemaShape input = mlContext.Transforms.CustomMapping<NoColumns, FeatureRow>((_, _) => { }, contractName: null)
            .GetOutputSchema(new SchemaShape([]));
        SchemaShape shape = mlContext.AnomalyDetection.Trainers.Autoencoder().GetOutputSchema(input);
        Assert.Contains(shape, c => c.Name == "Score" && c.ItemType == NumberDataViewType.Single && c.Kind == SchemaShape.Column.VectorKind.Scalar);
        Assert.Contains(shape, c => c.Name == "PredictedLabel" && c.ItemType == BooleanDataViewType.Instance);
        Assert.Contains(shape, c => c.Name == "Features");
    }

    internal static (IDataView Train, IDataView Test) Split(MLContext mlContext)
    {
        DataOperationsCatalog.TrainTestData split = mlContext.Data.TrainTestSplit(BreastCancer.Load(mlContext), testFraction: 0.3, seed: 1);
        return (split.TrainSet, split.TestSet);
    }

    private static float[] TrainedScores()
    {
        var mlContext = new MLContext(seed: 1);
        (IDataView train, IDataView test) = Split(mlContext);
        var model = mlContext.Transforms.NormalizeMinMax("Features")
            .Append(mlContext.AnomalyDetection.Trainers.Autoencoder(options: Options with { Epochs = 5 }))
            .Fit(BreastCancer.Benign(mlContext, train));
        return [.. model.Transform(test).GetColumn<float>("Score")];
    }

    public sealed class NoColumns
    {
    }

    public sealed class FeatureRow
    {
        [VectorType(BreastCancer.Features)]
        public float[] Features { get; set; } = [];
    }

    public sealed class ScoredRow
    {
        public float Score { get; set; }

        public bool PredictedLabel { get; set; }
    }
}

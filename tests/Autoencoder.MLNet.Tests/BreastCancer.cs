using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoder.MLNet.Tests;

/// <summary>
/// scikit-learn's Wisconsin breast-cancer data (569 rows, 30 features, target 0 = malignant,
/// 1 = benign), as Debian's python3-sklearn installs it. Its first line is a shape line
/// (<c>569,30,malignant,benign</c>), skipped as a header.
/// </summary>
internal static class BreastCancer
{
    public const string Path = "/usr/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv";

    public const int Features = 30;

    /// <summary>The file as an IDataView: <c>Features</c> (30 float32) and <c>Target</c> (float32, 1 = benign).</summary>
    public static IDataView Load(MLContext mlContext)
    {
        Assert.True(File.Exists(Path),
            $"{Path} is missing: install Debian's python3-sklearn (apt-get install python3-sklearn), which ships scikit-learn's bundled breast_cancer.csv.");
        return mlContext.Data.LoadFromTextFile(Path,
            [new TextLoader.Column("Features", DataKind.Single, 0, Features - 1), new TextLoader.Column("Target", DataKind.Single, Features)],
            separatorChar: ',', hasHeader: true);
    }

    /// <summary>Only the benign rows (target 1): the normal class.</summary>
    public static IDataView Benign(MLContext mlContext, IDataView data) =>
        mlContext.Data.FilterRowsByColumn(data, "Target", lowerBound: 0.5, upperBound: 1.5);

    /// <summary>
    /// <paramref name="data"/> with a <c>Label</c> column for the anomaly evaluator, which counts a
    /// label above 0 as an anomaly: 1 for malignant (target 0), 0 for benign.
    /// </summary>
    public static IDataView WithAnomalyLabel(MLContext mlContext, IDataView data) =>
        mlContext.Transforms.CustomMapping<TargetRow, LabelRow>((row, label) => label.Label = row.Target == 0 ? 1f : 0f, contractName: null)
            .Fit(data).Transform(data);

    /// <summary>The feature rows of <paramref name="data"/>, in order.</summary>
    public static float[][] FeatureRows(IDataView data, string column = "Features") =>
        [.. data.GetColumn<float[]>(column)];

    public sealed class TargetRow
    {
        public float Target { get; set; }
    }

    public sealed class LabelRow
    {
        public float Label { get; set; }
    }
}

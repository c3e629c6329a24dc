using Autoencoder.Testing;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoder.MLNet.Tests;

/// <summary>
/// The README's ML.NET example, compiled and run: the region <c>// readme:mlnet:begin … end</c>
/// below is, without its indentation, the C# block after <c>&lt;!-- readme:mlnet --&gt;</c> in
/// README.md and the one in the package's PACKAGE.md.
/// </summary>
public class ReadmeExampleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-mlnet-readme-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void MLNetExample_Runs()
    {
        string path = BreastCancer.Path;
        Assert.True(File.Exists(path), $"{path} is missing: install Debian's python3-sklearn (apt-get install python3-sklearn).");
        string detectorPath = Path.Combine(_folder, "detector.zip");
        // readme:mlnet:begin
        var mlContext = new MLContext(seed: 1);
        IDataView rows = mlContext.Data.LoadFromTextFile(path,   // scikit-learn's breast_cancer.csv
            [new TextLoader.Column("Features", DataKind.Single, 0, 29), new TextLoader.Column("Target", DataKind.Single, 30)],
            separatorChar: ',', hasHeader: true);
        IDataView benign = mlContext.Data.FilterRowsByColumn(rows, "Target", lowerBound: 0.5, upperBound: 1.5);

        var pipeline = mlContext.Transforms.NormalizeMinMax("Features")
            .Append(mlContext.AnomalyDetection.Trainers.Autoencoder("Features", new AutoencoderAnomalyOptions
            {
                HiddenLayerSizes = [16], LatentSize = 4, Epochs = 50, Seed = 1,
                Scaling = null,                                  // the pipeline normalizes already
                Contamination = 0.05,                            // threshold: the 95th percentile of the training scores
            }));
        var model = pipeline.Fit(benign);                        // read through cursors, a batch at a time
        IDataView scored = model.Transform(rows);                // adds Score (float) and PredictedLabel (bool)
        float[] scores = scored.GetColumn<float>("Score").ToArray();

        // The same network's codes as a column: a vector of LatentSize floats.
        AutoencoderAnomalyTransformer detector = model.LastTransformer;
        IDataView codes = mlContext.Transforms.AutoencoderEncode(detector.Detector.Model, outputColumnName: "Code")
            .Fit(scored).Transform(scored);

        // ML.NET's model zip cannot hold it: the transformer saves itself.
        detector.Save(detectorPath);
        var loaded = AutoencoderAnomalyTransformer.Load(mlContext, detectorPath);
        // readme:mlnet:end
        Assert.Equal(569, scores.Length);
        Assert.Equal(4, ((VectorDataViewType)codes.Schema["Code"].Type).Size);
        Assert.Equal(scores, loaded.Transform(scored).GetColumn<float>("Score").ToArray());
    }

    [Fact]
    public void ReadmeAndPackagePage_ShowTheExampleThatRuns() => ReadmeBlocks.AssertDocumented("ReadmeExampleTests.cs", "readme:mlnet");
}

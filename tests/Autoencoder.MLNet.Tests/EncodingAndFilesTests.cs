using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoder.MLNet.Tests;

/// <summary>The encoding transform's column, and both transformers' Save/Load round trips, on the breast-cancer file.</summary>
public class EncodingAndFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("autoencoder-mlnet-files-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void AutoencoderEncode_AddsLatentSizeVector_EqualToModelEncode()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView data = BreastCancer.Load(mlContext);
        AutoencoderModel model = new AutoencoderBuilder(BreastCancer.Features).AddEncoderLayer(8).WithLatent(3).WithSeed(5).Build();
        IDataView encoded = mlContext.Transforms.AutoencoderEncode(model, outputColumnName: "Code").Fit(data).Transform(data);

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), encoded.Schema["Code"].Type);
        float[][] rows = BreastCancer.FeatureRows(data);
        float[][] codes = BreastCancer.FeatureRows(encoded, "Code");
        Assert.Equal(rows.Length, codes.Length);
        var expected = new float[3];
        for (int i = 0; i < rows.Length; i++)
        {
            model.Encode(rows[i], expected);
            Assert.Equal(expected, codes[i]);
        }
    }

    [Fact]
    public void ApplyOnnxModel_OnTheExportedEncoder_GivesTheModelsCodes()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView data = BreastCancer.Load(mlContext);
        AutoencoderModel model = new AutoencoderBuilder(BreastCancer.Features).AddEncoderLayer(8, Activation.Tanh).WithLatent(3).WithSeed(5).Build();
        string path = Path.Combine(_folder, "encoder.onnx");
        model.ExportOnnx(path, OnnxGraph.Encoder);

        // The exported graph reads "input" and writes "code": copy the features to that name, then apply it.
        IDataView coded = mlContext.Transforms.CopyColumns("input", "Features")
            .Append(mlContext.Transforms.ApplyOnnxModel(outputColumnNames: ["code"], inputColumnNames: ["input"], modelFile: path))
            .Fit(data).Transform(data);
        float[][] rows = BreastCancer.FeatureRows(data);
        float[][] codes = BreastCancer.FeatureRows(coded, "code");
        Assert.Equal(rows.Length, codes.Length);
        var expected = new float[3];
        for (int i = 0; i < rows.Length; i++)
        {
            model.Encode(rows[i], expected);
            for (int j = 0; j < 3; j++)
            {
                Assert.True(Math.Abs(expected[j] - codes[i][j]) <= 1e-5f * Math.Max(1, Math.Abs(expected[j])), $"row {i}, unit {j}: ONNX {codes[i][j]}, model {expected[j]}");
            }
        }
    }

    [Fact]
    public void AnomalyTransformer_SaveLoad_GivesIdenticalScores()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView data = BreastCancer.Load(mlContext);
        AutoencoderAnomalyTransformer trained = mlContext.AnomalyDetection.Trainers
            .Autoencoder(options: new AutoencoderAnomalyOptions { Epochs = 5, Seed = 2 }).Fit(BreastCancer.Benign(mlContext, data));
        string path = Path.Combine(_folder, "detector.zip");
        trained.Save(path);
        AutoencoderAnomalyTransformer loaded = AutoencoderAnomalyTransformer.Load(mlContext, path);

        Assert.Equal(trained.Threshold, loaded.Threshold);
        Assert.Equal(trained.FeatureColumnName, loaded.FeatureColumnName);
        Assert.Equal(trained.Transform(data).GetColumn<float>("Score"), loaded.Transform(data).GetColumn<float>("Score"));
        Assert.Equal(trained.Transform(data).GetColumn<bool>("PredictedLabel"), loaded.Transform(data).GetColumn<bool>("PredictedLabel"));
    }

    [Fact]
    public void EncodingTransformer_SaveLoad_GivesIdenticalCodes()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView data = BreastCancer.Load(mlContext);
        AutoencoderModel model = new AutoencoderBuilder(BreastCancer.Features).WithLatent(2).WithSeed(5).Build();
        AutoencoderEncodingTransformer encoder = mlContext.Transforms.AutoencoderEncode(model, "Z").Fit(data);
        string path = Path.Combine(_folder, "encoder.zip");
        encoder.Save(path);
        AutoencoderEncodingTransformer loaded = AutoencoderEncodingTransformer.Load(mlContext, path);

        Assert.Equal("Z", loaded.OutputColumnName);
        Assert.Equal(BreastCancer.FeatureRows(encoder.Transform(data), "Z"), BreastCancer.FeatureRows(loaded.Transform(data), "Z"));
    }

    [Fact]
    public void Load_TheOtherKind_ThrowsInvalidDataNamingBoth()
    {
        var mlContext = new MLContext(seed: 1);
        AutoencoderModel model = new AutoencoderBuilder(BreastCancer.Features).WithLatent(2).WithSeed(5).Build();
        string path = Path.Combine(_folder, "encoder.zip");
        new AutoencoderEncodingTransformer(model).Save(path);

        var error = Assert.Throws<InvalidDataException>(() => AutoencoderAnomalyTransformer.Load(mlContext, path));
        Assert.Contains(nameof(AutoencoderAnomalyTransformer), error.Message);
        Assert.Contains(nameof(AutoencoderEncodingTransformer), error.Message);
    }

    [Fact]
    public void ModelSave_OfMLNet_ThrowsNotSupportedPointingToSave()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView data = BreastCancer.Load(mlContext);
        AutoencoderModel model = new AutoencoderBuilder(BreastCancer.Features).WithLatent(2).WithSeed(5).Build();
        var encoder = new AutoencoderEncodingTransformer(model);

        var error = Assert.ThrowsAny<Exception>(() => mlContext.Model.Save(encoder, data.Schema, Path.Combine(_folder, "mlnet.zip")));
        Exception inner = error is NotSupportedException ? error : error.InnerException ?? error;
        Assert.IsType<NotSupportedException>(inner);
        Assert.Contains("Save(path)", inner.Message);
    }
}

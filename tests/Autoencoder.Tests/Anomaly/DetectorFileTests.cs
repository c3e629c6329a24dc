using Autoencoder.Data;
using Autoencoder.Serialization;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Anomaly;

/// <summary>An anomaly detector's threshold, scaler and score kind are saved with its model and come back exactly.</summary>
public class DetectorFileTests
{
    public static TheoryData<AnomalyScore, FeatureScaling?, float?> Detectors() => new()
    {
        { AnomalyScore.MeanSquaredError, FeatureScaling.Standardize, 0.125f },
        { AnomalyScore.BinaryCrossEntropy, FeatureScaling.MinMax, 0.3f },
        { AnomalyScore.MeanSquaredError, null, null },
        { AnomalyScore.MeanSquaredError, null, float.PositiveInfinity },
        { AnomalyScore.GaussianReconstructionProbability, FeatureScaling.Standardize, 12.5f },
        { AnomalyScore.BernoulliReconstructionProbability, null, 3f },
    };

    private static (AnomalyDetector Detector, Matrix<float> X) Make(AnomalyScore score, FeatureScaling? scaling, float? threshold)
    {
        var builder = new AutoencoderBuilder(6).AddEncoderLayer(5, Activation.Tanh).WithOutputActivation(Activation.Sigmoid).WithSeed(3);
        bool variational = score is AnomalyScore.GaussianReconstructionProbability or AnomalyScore.BernoulliReconstructionProbability;
        AutoencoderModel model = (variational ? builder.WithVariationalLatent(2) : builder.WithLatent(2)).Build();
        Matrix<float> raw = TestData.Matrix(40, 6, seed: 4, low: -3, high: 5);
        FeatureScaler? scaler = scaling is FeatureScaling s ? FeatureScaler.Fit(raw, s) : null;
        Matrix<float> x = score is AnomalyScore.BinaryCrossEntropy or AnomalyScore.BernoulliReconstructionProbability && scaler is null
            ? TestData.Matrix(40, 6, seed: 4)
            : raw;
        var detector = new AnomalyDetector(model, score, scaler) { Threshold = threshold };
        return (detector, x);
    }

    [Theory]
    [MemberData(nameof(Detectors))]
    public void SaveThenLoad_GivesTheSameDetector(AnomalyScore score, FeatureScaling? scaling, float? threshold)
    {
        var (detector, x) = Make(score, scaling, threshold);
        using var stream = new MemoryStream();
        detector.Save(stream);
        AnomalyDetector loaded = AnomalyDetector.Load(new MemoryStream(stream.ToArray()));

        Assert.Equal(detector.ScoreKind, loaded.ScoreKind);
        Assert.Equal(detector.Threshold, loaded.Threshold);
        Assert.Equal(detector.Scaler?.Scaling, loaded.Scaler?.Scaling);
        Assert.Equal(detector.Scaler?.Offset, loaded.Scaler?.Offset);
        Assert.Equal(detector.Scaler?.Scale, loaded.Scaler?.Scale);
        Assert.Equal(detector.Model.Network.Parameters, loaded.Model.Network.Parameters);
        Assert.Equal(detector.Scores(x), loaded.Scores(x));
        if (threshold is not null)
        {
            Assert.Equal(detector.Predict(x), loaded.Predict(x));
        }

        // The weights stay readable as a model through the detector file's own loader only.
        Assert.Throws<ModelFormatException>(() => AutoencoderModel.Load(new MemoryStream(stream.ToArray())));
    }

    [Fact]
    public void SaveToPath_IsAtomicAndLoadsBack()
    {
        var (detector, x) = Make(AnomalyScore.MeanSquaredError, FeatureScaling.MinMax, 0.5f);
        string folder = Directory.CreateTempSubdirectory("autoencoder-detector-").FullName;
        try
        {
            string path = Path.Combine(folder, "detector.safetensors");
            detector.Save(path);
            detector.Save(path);
            Assert.Equal(detector.Scores(x), AnomalyDetector.Load(path).Scores(x));
            Assert.Single(Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Load_APlainModelFile_SaysItIsNotADetector()
    {
        using var stream = new MemoryStream();
        new AutoencoderBuilder(4).WithLatent(2).Build().Save(stream);
        var error = Assert.Throws<ModelFormatException>(() => AnomalyDetector.Load(new MemoryStream(stream.ToArray())));
        Assert.Contains("not an anomaly detector file", error.Message);
    }

    public static TheoryData<string> Tamperings() => new()
    {
        "unknown score", "non-canonical threshold", "NaN threshold", "unknown scaler", "scaler without tensors", "tensors without scaler", "zero scale", "reconstruction probability of a plain model",
    };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void Load_InconsistentDetectorParts_ThrowsModelFormatException(string tampering)
    {
        var (detector, _) = Make(AnomalyScore.MeanSquaredError, FeatureScaling.Standardize, 0.5f);
        var extras = new ModelFileExtras();
        extras.Metadata["anomaly_score"] = "mean_squared_error";
        extras.Metadata["anomaly_threshold"] = "0.5";
        extras.Metadata["scaler"] = "standardize";
        extras.Tensors["scaler.offset"] = new ExtraTensor([6], new float[6]);
        extras.Tensors["scaler.scale"] = new ExtraTensor([6], Enumerable.Repeat(1f, 6).ToArray());
        switch (tampering)
        {
            case "unknown score": extras.Metadata["anomaly_score"] = "MeanSquaredError"; break;
            case "non-canonical threshold": extras.Metadata["anomaly_threshold"] = "0.50"; break;
            case "NaN threshold": extras.Metadata["anomaly_threshold"] = "NaN"; break;
            case "unknown scaler": extras.Metadata["scaler"] = "robust"; break;
            case "scaler without tensors": extras.Tensors.Clear(); break;
            case "tensors without scaler": extras.Metadata.Remove("scaler"); break;
            case "zero scale": extras.Tensors["scaler.scale"].Values[2] = 0; break;
            case "reconstruction probability of a plain model": extras.Metadata["anomaly_score"] = "gaussian_reconstruction_probability"; break;
        }

        using var stream = new MemoryStream();
        ModelFile.Write(detector.Model, stream, extras);
        Assert.Throws<ModelFormatException>(() => AnomalyDetector.Load(new MemoryStream(stream.ToArray())));
    }
}

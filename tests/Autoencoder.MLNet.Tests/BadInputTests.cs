using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoder.MLNet.Tests;

/// <summary>A missing feature column, one of another type or size, and bad options give errors that say what was expected and what was given.</summary>
public class BadInputTests
{
    private static readonly AutoencoderModel Model = new AutoencoderBuilder(BreastCancer.Features).WithLatent(2).WithSeed(5).Build();

    [Fact]
    public void Fit_MissingColumn_ThrowsArgumentListingTheColumns()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView data = BreastCancer.Load(mlContext);
        var error = Assert.Throws<ArgumentException>(() => mlContext.AnomalyDetection.Trainers.Autoencoder("Pixels").Fit(data));
        Assert.Contains("'Pixels'", error.Message);
        Assert.Contains("'Features'", error.Message);
    }

    [Fact]
    public void Fit_ScalarColumn_ThrowsArgumentNamingTheType()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView data = BreastCancer.Load(mlContext);
        var error = Assert.Throws<ArgumentException>(() => mlContext.AnomalyDetection.Trainers.Autoencoder("Target").Fit(data));
        Assert.Contains("vector of float32", error.Message);
        Assert.Contains("Single", error.Message);
    }

    [Fact]
    public void Transform_WrongVectorSize_ThrowsArgumentWithBothSizes()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView small = mlContext.Data.LoadFromEnumerable([new ThreeFeatures { Features = [1, 2, 3] }]);
        var error = Assert.Throws<ArgumentException>(() => new AutoencoderEncodingTransformer(Model).Transform(small));
        Assert.Contains("30 values", error.Message);
        Assert.Contains("got 3", error.Message);
    }

    [Fact]
    public void Transform_DoubleVector_ThrowsArgumentNamingTheType()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView doubles = mlContext.Data.LoadFromEnumerable([new DoubleFeatures { Features = new double[30] }]);
        var error = Assert.Throws<ArgumentException>(() => new MLContext(seed: 1).Transforms.AutoencoderEncode(Model).Fit(doubles));
        Assert.Contains("Double", error.Message);
    }

    [Fact]
    public void Options_OutOfRange_ThrowArgumentOutOfRangeNamingTheOption()
    {
        var trainers = new MLContext(seed: 1).AnomalyDetection.Trainers;
        var epochs = Assert.Throws<ArgumentOutOfRangeException>(() => trainers.Autoencoder(options: new AutoencoderAnomalyOptions { Epochs = 0 }));
        Assert.Equal("Epochs", epochs.ParamName);
        var contamination = Assert.Throws<ArgumentOutOfRangeException>(() => trainers.Autoencoder(options: new AutoencoderAnomalyOptions { Contamination = 0.7 }));
        Assert.Contains("got 0.7", contamination.Message);
        var hidden = Assert.Throws<ArgumentOutOfRangeException>(() => trainers.Autoencoder(options: new AutoencoderAnomalyOptions { HiddenLayerSizes = [8, 0] }));
        Assert.Contains("index 1", hidden.Message);
    }

    [Fact]
    public void Fit_NaNFeature_ThrowsArgumentNamingTheRow()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView data = mlContext.Data.LoadFromEnumerable(
            Enumerable.Range(0, 20).Select(i => new ThreeFeatures { Features = [i, 1, i == 7 ? float.NaN : 2] }));
        var error = Assert.ThrowsAny<ArgumentException>(() => mlContext.AnomalyDetection.Trainers.Autoencoder(options: new AutoencoderAnomalyOptions { Epochs = 1, LatentSize = 2 }).Fit(data));
        Assert.Contains("7", error.Message);
    }

    public sealed class ThreeFeatures
    {
        [VectorType(3)]
        public float[] Features { get; set; } = [];
    }

    public sealed class DoubleFeatures
    {
        [VectorType(30)]
        public double[] Features { get; set; } = [];
    }
}

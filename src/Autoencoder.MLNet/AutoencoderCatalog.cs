using Microsoft.ML;

namespace Autoencoder.MLNet;

/// <summary>The ML.NET catalog entries of the autoencoder: an anomaly-detection trainer and an encoding transform.</summary>
public static class AutoencoderCatalog
{
    /// <summary>The feature column read when none is named: <c>Features</c>, as ML.NET's trainers.</summary>
    public const string DefaultFeatureColumnName = "Features";

    /// <summary>The score column an anomaly transformer adds: <c>Score</c>.</summary>
    public const string DefaultScoreColumnName = "Score";

    /// <summary>The predicted-label column an anomaly transformer adds: <c>PredictedLabel</c>.</summary>
    public const string DefaultPredictedLabelColumnName = "PredictedLabel";

    /// <summary>The column of codes an encoding transformer adds when none is named: <c>Code</c>.</summary>
    public const string DefaultCodeColumnName = "Code";

    /// <summary>
    /// An anomaly-detection trainer that trains an autoencoder on the rows of <paramref name="featureColumnName"/>
    /// (mostly normal rows) and scores each row by its reconstruction error: its transformer adds
    /// <c>Score</c> (float32, higher is more unusual) and <c>PredictedLabel</c> (boolean, true above
    /// the threshold set from <see cref="AutoencoderAnomalyOptions.Contamination"/>), as
    /// <c>RandomizedPca</c> does, for <see cref="AnomalyDetectionCatalog.Evaluate"/>.
    /// </summary>
    /// <param name="catalog">The anomaly-detection trainers of an <see cref="MLContext"/>.</param>
    /// <param name="featureColumnName">The input column: a vector of float32 of known size.</param>
    /// <param name="options">The network, training and threshold; null for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="featureColumnName"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static AutoencoderAnomalyEstimator Autoencoder(
        this AnomalyDetectionCatalog.AnomalyDetectionTrainers catalog,
        string featureColumnName = DefaultFeatureColumnName,
        AutoencoderAnomalyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new AutoencoderAnomalyEstimator(featureColumnName, options ?? new AutoencoderAnomalyOptions());
    }

    /// <summary>
    /// A transform that adds the codes of a trained <paramref name="model"/>: the column
    /// <paramref name="outputColumnName"/>, a vector of <see cref="AutoencoderModel.LatentSize"/>
    /// float32 values equal to <see cref="AutoencoderModel.Encode(ReadOnlySpan{float}, Span{float})"/>
    /// of each row's <paramref name="inputColumnName"/>.
    /// </summary>
    /// <param name="catalog">The transforms of an <see cref="MLContext"/>.</param>
    /// <param name="model">A trained model (for instance <see cref="AutoencoderAnomalyTransformer.Detector"/>'s, with the pipeline normalizing as it did).</param>
    /// <param name="outputColumnName">The column of codes.</param>
    /// <param name="inputColumnName">The input column: a vector of <see cref="AutoencoderModel.InputSize"/> float32 values.</param>
    /// <exception cref="ArgumentNullException"><paramref name="catalog"/> or <paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException">A column name is null or empty.</exception>
    public static AutoencoderEncodingEstimator AutoencoderEncode(
        this TransformsCatalog catalog,
        AutoencoderModel model,
        string outputColumnName = DefaultCodeColumnName,
        string inputColumnName = DefaultFeatureColumnName)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new AutoencoderEncodingEstimator(model, outputColumnName, inputColumnName);
    }
}

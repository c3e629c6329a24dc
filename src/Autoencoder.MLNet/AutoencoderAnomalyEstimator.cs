using Autoencoder.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoder.MLNet;

/// <summary>
/// Trains an autoencoder on the rows of a feature column and sets an anomaly threshold from them
/// (<see cref="AnomalyDetector.Fit(AutoencoderModel, DataSource, FeatureScaling, TrainingOptions?, double, CancellationToken)"/>);
/// made by <see cref="AutoencoderCatalog.Autoencoder(AnomalyDetectionCatalog.AnomalyDetectionTrainers, string, AutoencoderAnomalyOptions?)"/>.
/// </summary>
/// <remarks>
/// The data is never copied into memory: each pass over it (fitting the scaler, each epoch, the
/// threshold) opens a new cursor over the <see cref="IDataView"/> and reads the rows a batch at a
/// time, in the data's own order, shuffled through the core library's seeded shuffle buffer.
/// A NaN or infinite feature stops training with an error naming the row.
/// </remarks>
public sealed class AutoencoderAnomalyEstimator : IEstimator<AutoencoderAnomalyTransformer>
{
    /// <summary>An estimator that trains on <paramref name="featureColumnName"/> with <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="featureColumnName"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    internal AutoencoderAnomalyEstimator(string featureColumnName, AutoencoderAnomalyOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(featureColumnName);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        FeatureColumnName = featureColumnName;
        Options = options;
    }

    /// <summary>The column trained on and scored.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The options of the network, its training and its threshold.</summary>
    public AutoencoderAnomalyOptions Options { get; }

    /// <summary>Trains a model on the rows of the feature column of <paramref name="input"/> and returns the transformer that scores with it.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The feature column is missing or is not a vector of float32 of known size; a row holds NaN or
    /// infinity (named by row); or the loss is binary cross-entropy with other than min-max scaling.
    /// </exception>
    /// <exception cref="TrainingDivergedException">Training diverged.</exception>
    public AutoencoderAnomalyTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        DataViewSchema.Column column = FeatureColumn.Find(input.Schema, FeatureColumnName, expectedSize: null, nameof(input));
        DataSource rows = FeatureColumn.Source(input, column);
        AutoencoderModel model = Options.BuildModel(rows.Columns);
        TrainingOptions training = Options.TrainingOptions();
        AnomalyDetector detector;
        if (Options.Scaling is { } scaling)
        {
            detector = AnomalyDetector.Fit(model, rows, scaling, training, Options.Contamination);
        }
        else
        {
            model.Fit(rows, training);
            detector = new AnomalyDetector(model, Options.Loss);
            detector.FitThresholdByContamination(rows, Options.Contamination);
        }

        return new AutoencoderAnomalyTransformer(detector, FeatureColumnName);
    }

    /// <summary>The input's columns with <c>Score</c> (float32) and <c>PredictedLabel</c> (boolean) added.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="inputSchema"/> is null.</exception>
    /// <exception cref="ArgumentException">The feature column is missing or is not a vector of float32 of known size.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => OutputShape.Anomaly(inputSchema, FeatureColumnName, AutoencoderCatalog.DefaultScoreColumnName, AutoencoderCatalog.DefaultPredictedLabelColumnName);
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoder.MLNet;

/// <summary>
/// Scores rows with a trained <see cref="AnomalyDetector"/>: adds a <c>Score</c> column (float32, the
/// row's reconstruction error, higher is more unusual) and a <c>PredictedLabel</c> column (boolean,
/// true when the score is above the detector's threshold), as ML.NET's anomaly-detection trainers
/// do, so <see cref="AnomalyDetectionCatalog.Evaluate"/> reads its output. Rows are scored as a
/// cursor reaches them.
/// </summary>
/// <remarks>
/// ML.NET's model zip (<see cref="ModelOperationsCatalog.Save(ITransformer, DataViewSchema, string)"/>)
/// cannot hold transformers from other assemblies: save this one with <see cref="Save(string)"/> and
/// read it with <see cref="Load(MLContext, string)"/>, or export the model to ONNX (see the package README).
/// </remarks>
public sealed class AutoencoderAnomalyTransformer : ITransformer
{
    internal const string Kind = nameof(AutoencoderAnomalyTransformer);
    private readonly AnomalyMapping _mapping;

    /// <summary>A transformer that scores the column <paramref name="featureColumnName"/> with <paramref name="detector"/>.</summary>
    /// <param name="detector">A detector with its threshold set.</param>
    /// <param name="featureColumnName">The input column: a vector of <see cref="AnomalyDetector.InputSize"/> float32 values in the units the detector was fitted on.</param>
    /// <param name="scoreColumnName">The name of the score column.</param>
    /// <param name="predictedLabelColumnName">The name of the predicted-label column.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The detector has no threshold, or a column name is empty.</exception>
    public AutoencoderAnomalyTransformer(
        AnomalyDetector detector,
        string featureColumnName = AutoencoderCatalog.DefaultFeatureColumnName,
        string scoreColumnName = AutoencoderCatalog.DefaultScoreColumnName,
        string predictedLabelColumnName = AutoencoderCatalog.DefaultPredictedLabelColumnName)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentException.ThrowIfNullOrEmpty(featureColumnName);
        ArgumentException.ThrowIfNullOrEmpty(scoreColumnName);
        ArgumentException.ThrowIfNullOrEmpty(predictedLabelColumnName);
        if (detector.Threshold is null)
        {
            throw new ArgumentException(
                "detector must have its threshold set (FitThreshold, FitThresholdByContamination or Threshold); got a detector with none.", nameof(detector));
        }

        Detector = detector;
        _mapping = new AnomalyMapping(detector, featureColumnName, scoreColumnName, predictedLabelColumnName);
    }

    /// <summary>The detector: its model, scaler and threshold.</summary>
    public AnomalyDetector Detector { get; }

    /// <summary>The threshold above which a row's <c>PredictedLabel</c> is true.</summary>
    public float Threshold => Detector.Threshold!.Value;

    /// <summary>The input column scored.</summary>
    public string FeatureColumnName => _mapping.FeatureColumnName;

    /// <summary>The name of the score column added.</summary>
    public string ScoreColumnName => _mapping.Added[0].Name;

    /// <summary>The name of the predicted-label column added.</summary>
    public string PredictedLabelColumnName => _mapping.Added[1].Name;

    /// <summary>True: ML.NET's prediction engine can score single rows with it.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input's columns followed by the score and predicted-label columns.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="inputSchema"/> is null.</exception>
    /// <exception cref="ArgumentException">The feature column is missing, or is not a vector of <see cref="AnomalyDetector.InputSize"/> float32 values.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _mapping.OutputSchema(inputSchema, nameof(inputSchema));

    /// <summary>The mapping of one row to its scored row (used by ML.NET's prediction engine).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="inputSchema"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="GetOutputSchema"/>.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new MappedRowMapper(inputSchema, _mapping);

    /// <summary>The input with the score and predicted-label columns added, computed lazily as cursors read it.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="GetOutputSchema"/>.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new MappedDataView(input, _mapping);
    }

    /// <summary>
    /// Writes the transformer to <paramref name="path"/>: a zip archive with the column names and the
    /// detector's own file (<see cref="AnomalyDetector.Save(Stream)"/>: model, score kind, threshold, scaler).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="InvalidOperationException">The detector scores by a loss of your own, which no file can record.</exception>
    public void Save(string path) =>
        TransformerFile.Save(path, Kind, new Dictionary<string, string>
        {
            ["features"] = FeatureColumnName,
            ["score"] = ScoreColumnName,
            ["predictedLabel"] = PredictedLabelColumnName,
        }, Detector.Save);

    /// <summary>Reads a transformer written by <see cref="Save(string)"/>; it scores exactly as the saved one.</summary>
    /// <param name="mlContext">The ML.NET context the transformer is used in.</param>
    /// <param name="path">The file.</param>
    /// <exception cref="ArgumentNullException"><paramref name="mlContext"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not an anomaly transformer's file.</exception>
    /// <exception cref="ModelFormatException">The detector inside it is not valid.</exception>
    public static AutoencoderAnomalyTransformer Load(MLContext mlContext, string path)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return TransformerFile.Load(path, Kind, (columns, model) => new AutoencoderAnomalyTransformer(
            AnomalyDetector.Load(model),
            TransformerFile.Column(columns, "features", path),
            TransformerFile.Column(columns, "score", path),
            TransformerFile.Column(columns, "predictedLabel", path)));
    }

    /// <summary>Not supported: ML.NET's model files can hold only ML.NET's own transformers. Use <see cref="Save(string)"/>.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) => throw new NotSupportedException(
        Invariant($"ML.NET's model zip cannot hold a {Kind}; save it with {Kind}.Save(path) and read it with {Kind}.Load(mlContext, path), or export the model to ONNX and use ApplyOnnxModel."));
}

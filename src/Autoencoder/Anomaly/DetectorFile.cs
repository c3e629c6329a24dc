using System.Globalization;
using Autoencoder.Data;
using Autoencoder.Model;
using Autoencoder.Serialization;

namespace Autoencoder.Anomaly;

/// <summary>
/// Anomaly detectors in model files: the model's file (same layout, checks and atomic save) with
/// the detector's parts as extras, in closed vocabulary: metadata <c>anomaly_score</c> (the score
/// kind, or for a score by another built-in loss that loss's name: <c>mean_absolute_error</c>,
/// <c>huber:δ</c>), <c>anomaly_threshold</c> (when set; invariant round-trip text, infinities allowed) and
/// <c>scaler</c> (<c>min_max</c> or <c>standardize</c>, when there is a scaler) with tensors
/// <c>scaler.offset</c> and <c>scaler.scale</c> of shape <c>[input_size]</c>.
/// </summary>
internal static class DetectorFile
{
    private const string ScoreKey = "anomaly_score", ThresholdKey = "anomaly_threshold", ScalerKey = "scaler";
    private const string OffsetTensor = "scaler.offset", ScaleTensor = "scaler.scale";

    private static readonly ModelFileSchema Schema = new(
        [ScoreKey, ThresholdKey, ScalerKey],
        new Dictionary<string, Func<ModelShape, int[]>> { [OffsetTensor] = n => [n.InputSize], [ScaleTensor] = n => [n.InputSize] });

    private static readonly Dictionary<AnomalyScore, string> ScoreNames = new()
    {
        [AnomalyScore.MeanSquaredError] = "mean_squared_error",
        [AnomalyScore.BinaryCrossEntropy] = "binary_cross_entropy",
        [AnomalyScore.BernoulliReconstructionProbability] = "bernoulli_reconstruction_probability",
        [AnomalyScore.GaussianReconstructionProbability] = "gaussian_reconstruction_probability",
    };

    private static readonly Dictionary<FeatureScaling, string> ScalingNames = new()
    {
        [FeatureScaling.MinMax] = "min_max",
        [FeatureScaling.Standardize] = "standardize",
    };

    public static void Save(AnomalyDetector detector, string path) => ModelFile.Save(detector.Model, path, Extras(detector));

    public static void Write(AnomalyDetector detector, Stream stream) => ModelFile.Write(detector.Model, stream, Extras(detector));

    public static AnomalyDetector Load(string path)
    {
        AutoencoderModel model = ModelFile.Load(path, Schema, out ModelFileExtras extras);
        try
        {
            return Build(model, extras);
        }
        catch (ModelFormatException e)
        {
            throw new ModelFormatException(Invariant($"'{path}': {e.Message}"), e);
        }
    }

    public static AnomalyDetector Read(Stream stream)
    {
        AutoencoderModel model = ModelFile.Read(stream, Schema, out ModelFileExtras extras);
        return Build(model, extras);
    }

    private static ModelFileExtras Extras(AnomalyDetector detector)
    {
        var extras = new ModelFileExtras();
        extras.Metadata[ScoreKey] = detector.ScoreKind == AnomalyScore.ReconstructionLoss
            ? detector.ReconstructionLoss!.FileName ?? throw new InvalidOperationException(Invariant(
                $"The detector scores by the loss {detector.ReconstructionLoss}, which is not built in; a detector file records only the built-in losses (Loss.MeanSquaredError, Loss.BinaryCrossEntropy, Loss.MeanAbsoluteError, Loss.Huber) by name. Score with it in this process, or use a built-in loss."))
            : ScoreNames[detector.ScoreKind];
        if (detector.Threshold is float threshold)
        {
            extras.Metadata[ThresholdKey] = threshold.ToString("R", CultureInfo.InvariantCulture);
        }

        if (detector.Scaler is { } scaler)
        {
            extras.Metadata[ScalerKey] = ScalingNames[scaler.Scaling];
            extras.Tensors[OffsetTensor] = new ExtraTensor([scaler.FeatureCount], scaler.OffsetValues.ToArray());
            extras.Tensors[ScaleTensor] = new ExtraTensor([scaler.FeatureCount], scaler.ScaleValues.ToArray());
        }

        return extras;
    }

    private static AnomalyDetector Build(AutoencoderModel model, ModelFileExtras extras)
    {
        if (!extras.Metadata.TryGetValue(ScoreKey, out string? scoreName))
        {
            throw new ModelFormatException(Invariant($"This is not an anomaly detector file: metadata '{ScoreKey}' is missing (load a plain model with AutoencoderModel.Load)."));
        }

        Loss? loss = ScoreNames.ContainsValue(scoreName) ? null : Loss.FromFileName(scoreName);
        if (!ScoreNames.ContainsValue(scoreName) && loss is null)
        {
            throw new ModelFormatException(Invariant(
                $"Metadata '{ScoreKey}' must be one of {string.Join(", ", ScoreNames.Values)}, mean_absolute_error or huber:δ (δ a positive float in canonical form); got '{scoreName}'."));
        }

        float? threshold = null;
        if (extras.Metadata.TryGetValue(ThresholdKey, out string? text))
        {
            if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || float.IsNaN(value)
                || value.ToString("R", CultureInfo.InvariantCulture) != text)
            {
                throw new ModelFormatException(Invariant($"Metadata '{ThresholdKey}' must be a number in canonical form; got '{text}'."));
            }

            threshold = value;
        }

        FeatureScaler? scaler = null;
        bool hasOffset = extras.Tensors.TryGetValue(OffsetTensor, out ExtraTensor? offset);
        bool hasScale = extras.Tensors.TryGetValue(ScaleTensor, out ExtraTensor? scale);
        if (extras.Metadata.TryGetValue(ScalerKey, out string? scalingName))
        {
            if (!ScalingNames.ContainsValue(scalingName))
            {
                throw new ModelFormatException(Invariant($"Metadata '{ScalerKey}' must be one of {string.Join(", ", ScalingNames.Values)}; got '{scalingName}'."));
            }

            if (!hasOffset || !hasScale)
            {
                throw new ModelFormatException(Invariant($"A detector with a scaler needs tensors '{OffsetTensor}' and '{ScaleTensor}'."));
            }

            try
            {
                scaler = FeatureScaler.FromVectors(ScalingNames.Single(p => p.Value == scalingName).Key, offset!.Values, scale!.Values);
            }
            catch (ArgumentException e)
            {
                throw new ModelFormatException(Invariant($"The scaler is invalid: {e.Message}"));
            }
        }
        else if (hasOffset || hasScale)
        {
            throw new ModelFormatException(Invariant($"Tensors '{OffsetTensor}' and '{ScaleTensor}' need metadata '{ScalerKey}'."));
        }

        try
        {
            return loss is not null
                ? new AnomalyDetector(model, loss, scaler, threshold)
                : new AnomalyDetector(model, ScoreNames.Single(p => p.Value == scoreName).Key, scaler, threshold);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException(Invariant($"The detector does not fit its model: {e.Message}"));
        }
    }
}

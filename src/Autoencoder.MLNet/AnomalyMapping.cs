using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoder.MLNet;

/// <summary>The columns an anomaly transformer adds: the detector's score and whether it is above the threshold.</summary>
internal sealed class AnomalyMapping : FeatureMapping
{
    private readonly AnomalyDetector _detector;
    private readonly float _threshold;

    public AnomalyMapping(AnomalyDetector detector, string featureColumnName, string scoreColumnName, string predictedLabelColumnName)
        : base(featureColumnName, detector.InputSize)
    {
        _detector = detector;
        _threshold = detector.Threshold ?? float.PositiveInfinity;
        Added = [new(scoreColumnName, NumberDataViewType.Single), new(predictedLabelColumnName, BooleanDataViewType.Instance)];
    }

    /// <inheritdoc/>
    public override IReadOnlyList<AddedColumn> Added { get; }

    /// <inheritdoc/>
    public override Delegate?[] CreateGetters(RowFeatures features, bool[] active)
    {
        long scored = -1;
        float score = 0;
        float Score()
        {
            if (scored != features.Position || scored < 0)
            {
                score = _detector.Score(features.Values);
                scored = features.Position;
            }

            return score;
        }

        return
        [
            active[0] ? (ValueGetter<float>)((ref float value) => value = Score()) : null,
            active[1] ? (ValueGetter<bool>)((ref bool value) => value = Score() > _threshold) : null,
        ];
    }
}

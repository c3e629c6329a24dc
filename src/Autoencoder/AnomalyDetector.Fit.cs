using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder;

public sealed partial class AnomalyDetector
{
    /// <summary>
    /// Fits a <see cref="FeatureScaler"/> on <paramref name="x"/>, trains <paramref name="model"/>
    /// on the scaled rows with <paramref name="options"/>, and returns a detector that scales its
    /// inputs the same way, scores with the training loss and has its threshold set from
    /// <paramref name="contamination"/> on the training rows (<see cref="FitThresholdByContamination(Matrix{float}, double)"/>).
    /// </summary>
    /// <param name="model">An untrained (or pre-trained) model with <c>x.ColumnCount</c> inputs; trained in place.</param>
    /// <param name="x">Training rows in their original units, mostly normal.</param>
    /// <param name="scaling">
    /// How to scale the features; binary cross-entropy needs <see cref="FeatureScaling.MinMax"/>
    /// (and a sigmoid output to reach 0 and 1).
    /// </param>
    /// <param name="options">
    /// Training options; a <see cref="TrainingOptions.ValidationData"/> matrix is given in original
    /// units and scaled too (with binary cross-entropy its values must then lie within the range of
    /// <paramref name="x"/>, as scaled targets must lie in [0, 1]; a
    /// <see cref="TrainingOptions.ValidationFraction"/> of <paramref name="x"/> always does).
    /// </param>
    /// <param name="contamination">The expected share of anomalies in <paramref name="x"/>, in (0, 0.5]; PyOD's default 0.1.</param>
    /// <param name="cancellationToken">Stops training between batches, as in <see cref="AutoencoderModel.Fit(Autoencoder.Data.DataSource, TrainingOptions?, CancellationToken)"/>; the threshold is still fitted.</param>
    /// <returns>The detector, with <see cref="Threshold"/> set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="x"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="x"/> is empty, has the wrong column count or holds NaN or infinity; or the
    /// loss is binary cross-entropy with <see cref="FeatureScaling.Standardize"/>; or as
    /// <see cref="AutoencoderModel.Fit(Autoencoder.Data.DataSource, TrainingOptions?, CancellationToken)"/>.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="contamination"/> or an option is out of range.</exception>
    /// <exception cref="TrainingDivergedException">Training diverged.</exception>
    public static AnomalyDetector Fit(
        AutoencoderModel model,
        Matrix<float> x,
        FeatureScaling scaling,
        TrainingOptions? options = null,
        double contamination = DefaultContamination,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        Guard.Defined(scaling);
        CheckContamination(contamination);
        Guard.Data(x, model.InputSize, "one per input feature of the model");
        options ??= new TrainingOptions();
        ArgumentNullException.ThrowIfNull(options.Loss, "options.Loss");
        if (options.Loss == Loss.BinaryCrossEntropy && scaling != FeatureScaling.MinMax)
        {
            throw new ArgumentException(
                Invariant($"scaling must be {nameof(FeatureScaling.MinMax)} for binary cross-entropy, whose targets lie in [0, 1]; got {scaling}."), nameof(scaling));
        }

        FeatureScaler scaler = FeatureScaler.Fit(x, scaling);
        Matrix<float> scaled = scaler.Transform(x);
        if (options.ValidationData is { } validationSource)
        {
            if (validationSource is MatrixSource { IsWhole: true } matrixSource)
            {
                Matrix<float> validation = matrixSource.Matrix;
                Guard.Data(validation, model.InputSize, "one per input feature of the model", "options.ValidationData");
                options = options with { ValidationData = scaler.Transform(validation) };
            }
            else
            {
                options = options with { ValidationData = ScaledSource.Of(validationSource, scaler, "options.ValidationData") };
            }
        }

        TrainingHistory history = model.Fit(scaled, options, cancellationToken);
        var detector = new AnomalyDetector(model, options.Loss, scaler) { TrainingHistory = history };
        detector.FitThresholdByContamination(x, contamination);
        return detector;
    }
}

namespace Autoencoder.Data;

/// <summary>How a <see cref="FeatureScaler"/> maps each feature (column).</summary>
public enum FeatureScaling
{
    /// <summary>
    /// <c>(x − min) / (max − min)</c> per feature, with the minimum and maximum of the fitted data
    /// (scikit-learn's <c>MinMaxScaler</c>): the fitted rows map into [0, 1].
    /// </summary>
    MinMax,

    /// <summary>
    /// <c>(x − mean) / std</c> per feature, with the mean and the population standard deviation
    /// (divisor N, as scikit-learn's <c>StandardScaler</c> and numpy's default) of the fitted data.
    /// </summary>
    Standardize,
}

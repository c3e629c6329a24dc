namespace Autoencoder.Anomaly;

/// <summary>
/// How an <see cref="AnomalyDetector"/> turns rows (already scaled) into scores. The detector owns
/// scaling, thresholds, validation of shapes and finiteness, and the public surface; a scorer only
/// computes. Reconstruction errors are one implementation (<see cref="ReconstructionErrorScorer"/>);
/// a variational model's reconstruction probability would be another (the negative log-likelihood
/// of a row under decoder outputs averaged over latent samples, per feature for the contributions),
/// added as a new <see cref="AnomalyScore"/> value mapped to a new scorer in
/// <see cref="AnomalyDetector"/>'s constructor, without changing any public signature.
/// </summary>
/// <remarks>Implementations hold no mutable state: any number of threads may call them at once.</remarks>
internal interface IRowScorer
{
    /// <summary>Features per row.</summary>
    int InputSize { get; }

    /// <summary>The set of input values the score is defined on, for messages, e.g. "[0, 1] (binary cross-entropy)"; null when every finite value is accepted.</summary>
    string? Domain { get; }

    /// <summary>Whether a (scaled) input value lies in <see cref="Domain"/>.</summary>
    bool Accepts(float value);

    /// <summary>
    /// Overwrites <paramref name="scores"/>[i] with the score of row i of <paramref name="rows"/>
    /// (<c>count × InputSize</c>, row-major, finite and accepted). Higher means more anomalous; a
    /// row's score must not depend on the other rows.
    /// </summary>
    void Scores(ReadOnlySpan<float> rows, int count, Span<float> scores);

    /// <summary>
    /// Overwrites <paramref name="contributions"/> (<c>count × InputSize</c>, row-major) with each
    /// feature's share of its row's score; a row's shares sum to its score up to rounding.
    /// </summary>
    void Contributions(ReadOnlySpan<float> rows, int count, Span<float> contributions);
}

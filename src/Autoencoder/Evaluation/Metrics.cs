namespace Autoencoder.Evaluation;

/// <summary>
/// Measures of how well scores separate positives (anomalies) from negatives: ROC-AUC over all
/// thresholds, and the confusion counts at one threshold. A higher score means "more anomalous",
/// as <see cref="AnomalyDetector"/> scores are.
/// </summary>
public static class Metrics
{
    /// <summary>
    /// The area under the ROC curve: the probability that a random positive scores higher than a
    /// random negative, ties counting one half. Computed exactly as the Mann–Whitney statistic
    /// <c>U / (P·N)</c> with <c>U = R₊ − P(P + 1)/2</c>, where <c>R₊</c> is the sum of the
    /// positives' ranks among all scores (rank 1 = lowest; tied scores share their average rank).
    /// Equals scikit-learn's <c>roc_auc_score</c>.
    /// </summary>
    /// <param name="scores">One score per sample.</param>
    /// <param name="isPositive">Whether each sample is a positive (anomaly); same length as <paramref name="scores"/>.</param>
    /// <returns>A value in [0, 1]: 1 when every positive outscores every negative, 0.5 for scores unrelated to the labels.</returns>
    /// <exception cref="ArgumentException">
    /// The spans differ in length or are empty, a score is NaN, or all samples are of one class
    /// (the area is undefined).
    /// </exception>
    public static double RocAuc(ReadOnlySpan<float> scores, ReadOnlySpan<bool> isPositive)
    {
        CheckPair(scores, isPositive);
        long positives = 0;
        foreach (bool p in isPositive)
        {
            positives += p ? 1 : 0;
        }

        long negatives = scores.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException(
                Invariant($"isPositive must hold both classes for ROC-AUC; got {positives} positives and {negatives} negatives."), nameof(isPositive));
        }

        int[] order = new int[scores.Length];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        float[] keys = scores.ToArray();
        Array.Sort(keys, order);

        // Walk runs of equal scores; every member of a run gets the run's average rank.
        double positiveRankSum = 0;
        for (int start = 0; start < keys.Length;)
        {
            int end = start + 1;
            while (end < keys.Length && keys[end] == keys[start])
            {
                end++;
            }

            double averageRank = (start + 1 + end) / 2.0; // mean of ranks start+1 … end
            for (int i = start; i < end; i++)
            {
                if (isPositive[order[i]])
                {
                    positiveRankSum += averageRank;
                }
            }

            start = end;
        }

        double u = positiveRankSum - (positives * (positives + 1) / 2.0);
        return u / ((double)positives * negatives);
    }

    /// <summary>
    /// Counts the outcomes of flagging every sample whose score is strictly above
    /// <paramref name="threshold"/> (the rule of <see cref="AnomalyDetector.IsAnomaly"/>), against
    /// the truth in <paramref name="isPositive"/>; read precision and recall from the result.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length or are empty, a score is NaN, or <paramref name="threshold"/> is NaN.</exception>
    public static BinaryConfusion AtThreshold(ReadOnlySpan<float> scores, ReadOnlySpan<bool> isPositive, float threshold)
    {
        CheckPair(scores, isPositive);
        if (float.IsNaN(threshold))
        {
            throw new ArgumentException("threshold must be a number; got NaN.", nameof(threshold));
        }

        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            bool flagged = scores[i] > threshold;
            if (isPositive[i])
            {
                if (flagged)
                {
                    tp++;
                }
                else
                {
                    fn++;
                }
            }
            else if (flagged)
            {
                fp++;
            }
            else
            {
                tn++;
            }
        }

        return new BinaryConfusion(tp, fp, tn, fn);
    }

    private static void CheckPair(ReadOnlySpan<float> scores, ReadOnlySpan<bool> isPositive)
    {
        if (scores.Length != isPositive.Length)
        {
            throw new ArgumentException(
                Invariant($"isPositive must have one entry per score ({scores.Length}); got {isPositive.Length}."), nameof(isPositive));
        }

        if (scores.Length == 0)
        {
            throw new ArgumentException("scores must not be empty; got 0 scores.", nameof(scores));
        }

        for (int i = 0; i < scores.Length; i++)
        {
            if (float.IsNaN(scores[i]))
            {
                throw new ArgumentException(Invariant($"scores must not contain NaN; got NaN at index {i}."), nameof(scores));
            }
        }
    }
}

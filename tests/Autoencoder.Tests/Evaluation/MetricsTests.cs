using Autoencoder.Evaluation;

namespace Autoencoder.Tests.Evaluation;

public class MetricsTests
{
    [Fact]
    public void RocAuc_DistinctScores_MatchesHandValue()
    {
        // scikit-learn's roc_auc_score example: of the 4 positive–negative pairs, 3 are ordered right.
        double auc = Metrics.RocAuc([0.1f, 0.4f, 0.35f, 0.8f], [false, false, true, true]);
        Assert.Equal(0.75, auc, 15);
    }

    [Fact]
    public void RocAuc_TiedScores_CountHalf()
    {
        // Ranks 1, 2.5, 2.5, 4; positives' rank sum 6.5; U = 6.5 − 2·3/2 = 3.5 of 4 pairs.
        double auc = Metrics.RocAuc([1f, 2f, 2f, 3f], [false, true, false, true]);
        Assert.Equal(0.875, auc, 15);
    }

    [Fact]
    public void RocAuc_AllScoresTied_IsOneHalf()
    {
        Assert.Equal(0.5, Metrics.RocAuc([5f, 5f, 5f, 5f, 5f], [true, false, false, true, false]), 15);
    }

    [Fact]
    public void RocAuc_PerfectAndReversedOrders_AreOneAndZero()
    {
        Assert.Equal(1.0, Metrics.RocAuc([0f, 1f, 2f, 3f], [false, false, true, true]), 15);
        Assert.Equal(0.0, Metrics.RocAuc([3f, 2f, 1f, 0f], [false, false, true, true]), 15);
    }

    [Fact]
    public void RocAuc_ManyTies_MatchesPairCounting()
    {
        // Scores on a coarse grid so that ties are common; the reference counts every pair.
        var random = new Random(21);
        int n = 301;
        var scores = new float[n];
        var positive = new bool[n];
        for (int i = 0; i < n; i++)
        {
            positive[i] = random.NextDouble() < 0.3;
            scores[i] = MathF.Round((random.NextSingle() + (positive[i] ? 0.3f : 0f)) * 10f) / 10f;
        }

        double wins = 0, pairs = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (positive[i] && !positive[j])
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }

        Assert.Equal(wins / pairs, Metrics.RocAuc(scores, positive), 12);
    }

    [Fact]
    public void RocAuc_OneClassOnly_ThrowsArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => Metrics.RocAuc([1f, 2f, 3f], [false, false, false]));
        Assert.Contains("0 positives and 3 negatives", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Metrics.RocAuc([1f, 2f], [true, true]));
        Assert.Contains("2 positives and 0 negatives", ex.Message);
    }

    [Fact]
    public void RocAuc_InvalidInputs_ThrowArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => Metrics.RocAuc([1f, 2f, 3f], [false, true]));
        Assert.Equal("isPositive", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => Metrics.RocAuc([], []));
        Assert.Equal("scores", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => Metrics.RocAuc([1f, float.NaN], [false, true]));
        Assert.Contains("index 1", ex.Message);
    }

    [Fact]
    public void AtThreshold_CountsStrictlyAboveAsFlagged()
    {
        // Flagged (> 0.4): 0.8 (positive) and 0.5 (negative); 0.4 itself is not flagged.
        BinaryConfusion counts = Metrics.AtThreshold([0.1f, 0.4f, 0.35f, 0.8f, 0.5f], [false, false, true, true, false], 0.4f);

        Assert.Equal(new BinaryConfusion(TruePositives: 1, FalsePositives: 1, TrueNegatives: 2, FalseNegatives: 1), counts);
        Assert.Equal(0.5, counts.Precision);
        Assert.Equal(0.5, counts.Recall);
        Assert.Equal(1.0 / 3, counts.FalsePositiveRate, 15);
        Assert.Equal(0.5, counts.F1);
    }

    [Fact]
    public void AtThreshold_NothingFlagged_PrecisionIsNaN_RecallZero()
    {
        BinaryConfusion counts = Metrics.AtThreshold([0.1f, 0.2f], [true, false], 1f);
        Assert.True(double.IsNaN(counts.Precision), $"precision {counts.Precision}");
        Assert.Equal(0.0, counts.Recall);
        Assert.Equal(0.0, counts.FalsePositiveRate);
    }

    [Fact]
    public void AtThreshold_NoPositives_RecallIsNaN()
    {
        BinaryConfusion counts = Metrics.AtThreshold([0.1f, 0.9f], [false, false], 0.5f);
        Assert.True(double.IsNaN(counts.Recall), $"recall {counts.Recall}");
        Assert.Equal(0.0, counts.Precision);
        Assert.Equal(0.5, counts.FalsePositiveRate);
    }

    [Fact]
    public void AtThreshold_InvalidInputs_ThrowArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Metrics.AtThreshold([1f], [true, false], 0.5f));
        Assert.Throws<ArgumentException>(() => Metrics.AtThreshold([], [], 0.5f));
        var ex = Assert.Throws<ArgumentException>(() => Metrics.AtThreshold([1f], [true], float.NaN));
        Assert.Equal("threshold", ex.ParamName);
    }
}

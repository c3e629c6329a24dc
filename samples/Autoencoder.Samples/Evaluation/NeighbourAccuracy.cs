using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Samples.Evaluation;

/// <summary>How well classes separate in an embedding: leave-one-out k-nearest-neighbour accuracy.</summary>
internal static class NeighbourAccuracy
{
    /// <summary>
    /// The share of points whose class is the majority among their <paramref name="k"/> nearest
    /// other points (Euclidean; ties between classes go to the nearest point among them).
    /// </summary>
    /// <exception cref="ArgumentException">The counts differ or there are no more than <paramref name="k"/> points.</exception>
    public static double LeaveOneOut(Matrix<float> points, int[] labels, int k)
    {
        if (points.RowCount != labels.Length || points.RowCount <= k || k < 1)
        {
            throw new ArgumentException($"Need more than k = {k} points with one label each; got {points.RowCount} points and {labels.Length} labels.", nameof(points));
        }

        float[] p = points.ToRowMajorArray();
        int n = points.RowCount, d = points.ColumnCount, correct = 0;
        var distances = new (double Distance, int Index)[n - 1];
        for (int i = 0; i < n; i++)
        {
            int m = 0;
            for (int j = 0; j < n; j++)
            {
                if (j == i)
                {
                    continue;
                }

                double sum = 0;
                for (int c = 0; c < d; c++)
                {
                    double diff = p[(i * d) + c] - p[(j * d) + c];
                    sum += diff * diff;
                }

                distances[m++] = (sum, j);
            }

            Array.Sort(distances, (a, b) => a.Distance.CompareTo(b.Distance));
            int predicted = distances.Take(k)
                .Select((x, rank) => (Label: labels[x.Index], Rank: rank))
                .GroupBy(x => x.Label)
                .OrderByDescending(g => g.Count())
                .ThenBy(g => g.Min(x => x.Rank))
                .First().Key;
            correct += predicted == labels[i] ? 1 : 0;
        }

        return (double)correct / n;
    }
}

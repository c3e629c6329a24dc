using Autoencoder.Activations;
using Autoencoder.Kernels;
using Autoencoder.Losses;
using static System.FormattableString;

namespace Autoencoder.Tests.Kernels;

/// <summary>
/// The feature-major row sums (<see cref="ElementwiseDriver.RowSumsFeatureMajor{TOp}"/> and its
/// float-term form) must give each row's sum, in double, with the bits the contiguous sums give that
/// row, on every vector width: row counts below, at and past a vector and the 64-row chunk, widths
/// below, at and past the sixteen partial sums, and operands at strides longer than the rows.
/// </summary>
public class FeatureMajorSumsTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int width in KernelCheck.Widths)
        {
            foreach ((int rows, int features) in ((int, int)[])[(1, 5), (7, 16), (64, 37), (65, 784), (130, 33)])
            {
                data.Add(width, rows, features);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void RowSums_GiveTheContiguousSumsBits(int vectorWidth, int rows, int features)
    {
        int stride = rows + 3;
        float[] target = FeatureMajor(TestData.Uniform(rows * features, seed: rows + features, low: 0f, high: 1f), rows, features, stride);
        float[] logits = FeatureMajor(TestData.Uniform(rows * features, seed: rows + features + 1, low: -30f, high: 30f), rows, features, stride);
        var probabilities = new float[logits.Length];
        Sigmoid.Forward(logits, probabilities);
        var mse = new double[rows];
        var bce = new double[rows];
        var clamped = new double[rows];
        var absolute = new double[rows];
        var huber = new double[rows];
        Loss huberLoss = Loss.Huber(0.25);
        KernelCheck.OnPath(vectorWidth, () =>
        {
            Assert.True(Loss.MeanAbsoluteError.TryRowSumsFeatureMajor(probabilities, stride, target, stride, rows, features, absolute));
            Assert.True(huberLoss.TryRowSumsFeatureMajor(probabilities, stride, target, stride, rows, features, huber));
            MeanSquaredError.RowSumsFeatureMajor(probabilities, stride, target, stride, rows, features, mse);
            BinaryCrossEntropy.RowSumsFromLogitsFeatureMajor(logits, probabilities, stride, target, stride, rows, features, bce);
            BinaryCrossEntropy.RowSumsFromProbabilitiesFeatureMajor(probabilities, stride, target, stride, rows, features, clamped);
        });

        for (int r = 0; r < rows; r++)
        {
            float[] t = Row(target, r, features, stride), z = Row(logits, r, features, stride), p = Row(probabilities, r, features, stride);
            Same(MeanSquaredError.Sum(p, t), mse[r], Invariant($"squared error, row {r}"));
            Same(BinaryCrossEntropy.SumFromLogits(z, p, t), bce[r], Invariant($"cross-entropy from logits, row {r}"));
            Same(BinaryCrossEntropy.SumFromProbabilities(p, t), clamped[r], Invariant($"cross-entropy from probabilities, row {r}"));
            Same(Loss.MeanAbsoluteError.Sum(p, t), absolute[r], Invariant($"absolute error, row {r}"));
            Same(huberLoss.Sum(p, t), huber[r], Invariant($"huber, row {r}"));
        }
    }

    [Fact]
    public void RowSums_RefuseShortOperandsWithAMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => MeanSquaredError.RowSumsFeatureMajor(new float[20], 5, new float[18], 5, 4, 4, new double[4]));
        Assert.Contains("y must hold 4 runs of 4 values at a stride of 5, 19 values; got 18.", e.Message);
        Assert.Equal("y", e.ParamName);
        var sums = Assert.Throws<ArgumentException>(() => MeanSquaredError.RowSumsFeatureMajor(new float[19], 5, new float[19], 5, 4, 4, new double[3]));
        Assert.Contains("sums must hold one value per row, 4; got 3.", sums.Message);
        var stride = Assert.Throws<ArgumentOutOfRangeException>(() => MeanSquaredError.RowSumsFeatureMajor(new float[40], 3, new float[40], 5, 4, 4, new double[4]));
        Assert.Contains("x: runs of 4 values need a stride of at least 4; got 3.", stride.Message);
    }

    private static float[] FeatureMajor(float[] rowMajor, int rows, int features, int stride)
    {
        var storage = new float[features * stride];
        Array.Fill(storage, float.NaN); // the gaps must not be read
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < features; j++)
            {
                storage[(j * stride) + r] = rowMajor[(r * features) + j];
            }
        }

        return storage;
    }

    private static float[] Row(float[] storage, int r, int features, int stride)
    {
        var row = new float[features];
        for (int j = 0; j < features; j++)
        {
            row[j] = storage[(j * stride) + r];
        }

        return row;
    }

    private static void Same(double expected, double actual, string what) =>
        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), $"{what}: {actual:R}, contiguous {expected:R}");
}

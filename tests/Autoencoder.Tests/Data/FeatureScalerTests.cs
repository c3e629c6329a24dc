using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Data;

public class FeatureScalerTests
{
    // Three rows, three features: a ramp, a constant, and a feature with negative values.
    private static readonly Matrix<float> Small = Matrix<float>.Build.DenseOfArray(new float[,]
    {
        { 1f, 5f, -2f },
        { 3f, 5f, 0f },
        { 8f, 5f, 4f },
    });

    [Fact]
    public void Fit_MinMax_LearnsMinimumAndRange()
    {
        FeatureScaler scaler = FeatureScaler.Fit(Small, FeatureScaling.MinMax);

        Assert.Equal(FeatureScaling.MinMax, scaler.Scaling);
        Assert.Equal(3, scaler.FeatureCount);
        Assert.Equal(new[] { 1f, 5f, -2f }, scaler.Offset);
        Assert.Equal(new[] { 7f, 1f, 6f }, scaler.Scale); // the constant feature gets scale 1
    }

    [Fact]
    public void Transform_MinMax_MatchesHandValues()
    {
        FeatureScaler scaler = FeatureScaler.Fit(Small, FeatureScaling.MinMax);
        Matrix<float> y = scaler.Transform(Small);

        // (x − min) / (max − min), by hand: column 0 (1,3,8) → 0, 2/7, 1; column 2 (−2,0,4) → 0, 1/3, 1.
        float[,] expected = { { 0f, 0f, 0f }, { 2f / 7f, 0f, 1f / 3f }, { 1f, 0f, 1f } };
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                Assert.Equal(expected[r, c], y[r, c]);
            }
        }
    }

    [Fact]
    public void Fit_Standardize_LearnsMeanAndPopulationStd()
    {
        FeatureScaler scaler = FeatureScaler.Fit(Small, FeatureScaling.Standardize);

        // Column 0: mean 4, deviations −3, −1, 4, population variance 26/3.
        // Column 2: mean 2/3, deviations −8/3, −2/3, 10/3, population variance (64 + 4 + 100)/27 = 56/9.
        Assert.Equal(new[] { 4f, 5f, (float)(2.0 / 3) }, scaler.Offset);
        Assert.Equal(new[] { (float)Math.Sqrt(26.0 / 3), 1f, (float)Math.Sqrt(56.0 / 9) }, scaler.Scale);
    }

    [Fact]
    public void Transform_Standardize_GivesZeroMeanUnitVariance()
    {
        Matrix<float> data = TestData.Matrix(500, 6, seed: 11, low: -30f, high: 70f);
        FeatureScaler scaler = FeatureScaler.Fit(data, FeatureScaling.Standardize);
        Matrix<float> y = scaler.Transform(data);

        for (int c = 0; c < 6; c++)
        {
            double mean = y.Column(c).Select(v => (double)v).Average();
            double variance = y.Column(c).Select(v => ((double)v - mean) * ((double)v - mean)).Average();
            // Float rounding of 500 values of magnitude ≤ 2: the mean is 0 to a few 1e-7.
            Assert.True(Math.Abs(mean) < 1e-6, $"column {c}: mean {mean}");
            Assert.True(Math.Abs(variance - 1) < 1e-5, $"column {c}: variance {variance}");
        }
    }

    [Theory]
    [InlineData(FeatureScaling.MinMax)]
    [InlineData(FeatureScaling.Standardize)]
    public void Transform_ConstantFeature_MapsToZeroAndShiftsNewValuesInOwnUnits(FeatureScaling scaling)
    {
        FeatureScaler scaler = FeatureScaler.Fit(Small, scaling);
        Matrix<float> y = scaler.Transform(Small);
        Assert.All(y.Column(1), v => Assert.Equal(0f, v));

        Span<float> row = stackalloc float[3];
        scaler.Transform([4f, 7.5f, 1f], row);
        Assert.Equal(2.5f, row[1]); // scale 1: the difference from the constant 5
    }

    [Fact]
    public void Transform_MinMaxOutsideFittedRange_IsNotClamped()
    {
        FeatureScaler scaler = FeatureScaler.Fit(Small, FeatureScaling.MinMax);
        Span<float> row = stackalloc float[3];

        scaler.Transform([15f, 5f, -8f], row);

        Assert.Equal(2f, row[0]);  // (15 − 1) / 7
        Assert.Equal(-1f, row[2]); // (−8 + 2) / 6
    }

    [Fact]
    public void Transform_MinMaxOfFittedRows_StaysInUnitIntervalWhenTheRangeRoundsDown()
    {
        // max − min = 16777215 + 0.25 is not a float; rounded to nearest (16777215) it would be below
        // the true range. The scaler rounds it up, so no fitted value can map above 1.
        var data = Matrix<float>.Build.DenseOfArray(new float[,] { { -0.25f }, { 16777215f }, { 3f } });
        double range = 16777215.0 + 0.25;
        Assert.True((float)range < range, "the test needs a range that rounds down to a float");

        FeatureScaler scaler = FeatureScaler.Fit(data, FeatureScaling.MinMax);
        Matrix<float> y = scaler.Transform(data);

        Assert.True(scaler.Scale[0] >= range, $"scale {scaler.Scale[0]} < range {range}");
        Assert.All(y.Column(0), v => Assert.InRange(v, 0f, 1f));
    }

    [Theory]
    [InlineData(FeatureScaling.MinMax)]
    [InlineData(FeatureScaling.Standardize)]
    public void InverseTransform_UndoesTransform(FeatureScaling scaling)
    {
        Matrix<float> data = TestData.Matrix(200, 5, seed: 12, low: -1000f, high: 250f);
        FeatureScaler scaler = FeatureScaler.Fit(data, scaling);

        Matrix<float> back = scaler.InverseTransform(scaler.Transform(data));

        // Two float roundings (of the scaled value and of the result), each ≤ half an ulp relative to
        // the feature's spread (≤ 1250): a few 1e-4 in absolute terms.
        const float Tolerance = 1e-3f;
        for (int r = 0; r < data.RowCount; r++)
        {
            for (int c = 0; c < data.ColumnCount; c++)
            {
                Assert.True(Math.Abs(back[r, c] - data[r, c]) <= Tolerance, $"row {r}, column {c}: {data[r, c]} came back as {back[r, c]}");
            }
        }
    }

    [Theory]
    [InlineData(FeatureScaling.MinMax)]
    [InlineData(FeatureScaling.Standardize)]
    public void SpanVersions_MatchMatrixVersions_AndWorkInPlace(FeatureScaling scaling)
    {
        Matrix<float> data = TestData.Matrix(20, 7, seed: 13, low: -5f, high: 5f);
        FeatureScaler scaler = FeatureScaler.Fit(data, scaling);
        Matrix<float> y = scaler.Transform(data);
        Matrix<float> back = scaler.InverseTransform(y);

        for (int r = 0; r < data.RowCount; r++)
        {
            float[] row = data.Row(r).ToArray();
            scaler.Transform(row, row);
            Assert.Equal(y.Row(r).ToArray(), row);
            scaler.InverseTransform(row, row);
            Assert.Equal(back.Row(r).ToArray(), row);
        }
    }

    [Fact]
    public void SpanTransform_DoesNotAllocate()
    {
        FeatureScaler scaler = FeatureScaler.Fit(TestData.Matrix(10, 64, seed: 14), FeatureScaling.Standardize);
        float[] row = TestData.Uniform(64, seed: 15);
        float[] destination = new float[64];
        scaler.Transform(row, destination); // warm up (JIT)
        scaler.InverseTransform(destination, row);

        long before = GC.GetAllocatedBytesForCurrentThread();
        scaler.Transform(row, destination);
        scaler.InverseTransform(destination, row);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void FromVectors_RebuildsTheSameScaler()
    {
        Matrix<float> data = TestData.Matrix(50, 4, seed: 16, low: -3f, high: 9f);
        FeatureScaler fitted = FeatureScaler.Fit(data, FeatureScaling.Standardize);

        FeatureScaler rebuilt = FeatureScaler.FromVectors(fitted.Scaling, fitted.OffsetValues, fitted.ScaleValues);

        Assert.Equal(fitted.Scaling, rebuilt.Scaling);
        Assert.Equal(fitted.Transform(data).ToColumnMajorArray(), rebuilt.Transform(data).ToColumnMajorArray());
    }

    [Theory]
    [InlineData(new[] { 0f, 1f }, new[] { 1f }, "scale")]             // lengths differ
    [InlineData(new float[0], new float[0], "scale")]                  // empty
    [InlineData(new[] { float.NaN }, new[] { 1f }, "offset")]
    [InlineData(new[] { float.PositiveInfinity }, new[] { 1f }, "offset")]
    [InlineData(new[] { 0f }, new[] { 0f }, "scale")]
    [InlineData(new[] { 0f }, new[] { -2f }, "scale")]
    [InlineData(new[] { 0f }, new[] { float.NaN }, "scale")]
    [InlineData(new[] { 0f }, new[] { float.PositiveInfinity }, "scale")]
    public void FromVectors_InvalidVectors_Throw(float[] offset, float[] scale, string parameter)
    {
        var ex = Assert.Throws<ArgumentException>(() => FeatureScaler.FromVectors(FeatureScaling.MinMax, offset, scale));
        Assert.Equal(parameter, ex.ParamName);
        Assert.Contains("must", ex.Message);
        Assert.Contains("got", ex.Message);
    }

    [Fact]
    public void Fit_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => FeatureScaler.Fit(null!, FeatureScaling.MinMax));
        Assert.Throws<ArgumentOutOfRangeException>(() => FeatureScaler.Fit(Small, (FeatureScaling)7));

        Matrix<float> withNaN = Small.Clone();
        withNaN[1, 2] = float.NaN;
        var ex = Assert.Throws<ArgumentException>(() => FeatureScaler.Fit(withNaN, FeatureScaling.MinMax));
        Assert.Contains("row 1, column 2", ex.Message);

        var huge = Matrix<float>.Build.DenseOfArray(new float[,] { { -3e38f }, { 3e38f } });
        ex = Assert.Throws<ArgumentException>(() => FeatureScaler.Fit(huge, FeatureScaling.MinMax));
        Assert.Contains("column 0", ex.Message);
    }

    [Fact]
    public void Transform_InvalidArguments_Throw()
    {
        FeatureScaler scaler = FeatureScaler.Fit(Small, FeatureScaling.MinMax);

        Assert.Throws<ArgumentNullException>(() => scaler.Transform(null!));
        var ex = Assert.Throws<ArgumentException>(() => scaler.Transform(TestData.Matrix(2, 4, seed: 1)));
        Assert.Contains("3 columns", ex.Message);
        Assert.Contains("got 4", ex.Message);

        ex = Assert.Throws<ArgumentException>(() => scaler.Transform([1f, 2f], new float[3]));
        Assert.Equal("row", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => scaler.Transform([1f, 2f, 3f], new float[2]));
        Assert.Equal("destination", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => scaler.InverseTransform([1f, float.NaN, 3f], new float[3]));
        Assert.Contains("index 1", ex.Message);

        // Overflow once scaled is reported, not turned into infinity.
        FeatureScaler tiny = FeatureScaler.FromVectors(FeatureScaling.MinMax, [0f], [1e-30f]);
        ex = Assert.Throws<ArgumentException>(() => tiny.Transform(Matrix<float>.Build.Dense(1, 1, 1e20f)));
        Assert.Contains("row 0, column 0", ex.Message);
    }
}

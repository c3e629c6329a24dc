using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests;

/// <summary>Every public entry point rejects bad input with an ArgumentException-family error that says what was expected and what was given.</summary>
public class InputValidationTests
{
    private static readonly AutoencoderModel Model =
        new AutoencoderBuilder(6).WithLatent(2).WithOutputActivation(Activation.Sigmoid).WithSeed(1).Build();

    private static Matrix<float> Data(int rows = 4, int columns = 6) => TestData.Matrix(rows, columns, seed: 1);

    public static TheoryData<string> Entries() => new() { "Fit", "Encode", "Reconstruct", "Evaluate", "ReconstructionErrors" };

    private static void Call(string entry, Matrix<float> x)
    {
        switch (entry)
        {
            case "Fit": Model.Fit(x, new TrainingOptions { Epochs = 1 }); break;
            case "Encode": Model.Encode(x); break;
            case "Reconstruct": Model.Reconstruct(x); break;
            case "Evaluate": Model.Evaluate(x, Loss.MeanSquaredError); break;
            case "ReconstructionErrors": Model.ReconstructionErrors(x, Loss.MeanSquaredError); break;
        }
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void WrongColumnCount_Throws_NamingExpectedAndActual(string entry)
    {
        var e = Assert.Throws<ArgumentException>(() => Call(entry, Data(columns: 5)));
        Assert.Contains("must have 6 columns", e.Message);
        Assert.Contains("got 5 columns", e.Message);
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void EmptyData_Throws(string entry)
    {
        var e = Assert.Throws<ArgumentException>(() => Call(entry, Matrix<float>.Build.Dense(0, 6)));
        Assert.Contains("at least one row", e.Message);
        Assert.Contains("got 0 rows", e.Message);
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void NullData_ThrowsArgumentNull(string entry)
    {
        Assert.Throws<ArgumentNullException>(() => Call(entry, null!));
    }

    [Theory]
    [InlineData("Fit", float.NaN)]
    [InlineData("Encode", float.PositiveInfinity)]
    [InlineData("Reconstruct", float.NegativeInfinity)]
    [InlineData("Evaluate", float.NaN)]
    [InlineData("ReconstructionErrors", float.NaN)]
    public void NonFiniteValue_Throws_NamingRowAndColumnOfTheFirst(string entry, float bad)
    {
        Matrix<float> x = Data(rows: 5);
        x[3, 4] = bad;
        x[4, 0] = bad; // later in reading order: not the one reported
        x[2, 5] = 0.5f;
        var e = Assert.Throws<ArgumentException>(() => Call(entry, x));
        Assert.Contains("finite", e.Message);
        Assert.Contains("row 3, column 4", e.Message);
    }

    [Fact]
    public void Decode_WrongCodeWidth_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Model.Decode(Data(columns: 3)));
        Assert.Contains("must have 2 columns", e.Message);
        Assert.Contains("got 3 columns", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Fit_NonPositiveEpochs_ThrowsArgumentOutOfRange(int epochs)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Model.Fit(Data(), new TrainingOptions { Epochs = epochs }));
        Assert.Contains($"options.Epochs must be positive; got {epochs}", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-32)]
    public void Fit_NonPositiveBatchSize_ThrowsArgumentOutOfRange(int batchSize)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Model.Fit(Data(), new TrainingOptions { BatchSize = batchSize }));
        Assert.Contains($"options.BatchSize must be positive; got {batchSize}", e.Message);
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    public void Fit_BceTargetsOutsideUnitInterval_Throws(float bad)
    {
        Matrix<float> x = Data();
        x[1, 2] = bad;
        var e = Assert.Throws<ArgumentException>(() => Model.Fit(x, new TrainingOptions { Loss = Loss.BinaryCrossEntropy }));
        Assert.Contains("must lie in [0, 1] for binary cross-entropy", e.Message);
        Assert.Contains($"got {bad} at row 1, column 2", e.Message);
    }

    [Fact]
    public void Evaluate_BceTargetsOutsideUnitInterval_Throws()
    {
        Matrix<float> x = Data();
        x[0, 0] = 2f;
        var e = Assert.Throws<ArgumentException>(() => Model.Evaluate(x, Loss.BinaryCrossEntropy));
        Assert.Contains("got 2 at row 0, column 0", e.Message);
    }

    [Fact]
    public void Fit_ValidationDataWithWrongWidth_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Model.Fit(Data(), new TrainingOptions { ValidationData = Data(columns: 7) }));
        Assert.Contains("options.ValidationData must have 6 columns", e.Message);
    }

    [Fact]
    public void Fit_ValidationDataAndFraction_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Model.Fit(Data(), new TrainingOptions { ValidationData = Data(), ValidationFraction = 0.2 }));
        Assert.Contains("not both", e.Message);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.5)]
    public void Fit_ValidationFractionOutOfRange_Throws(double fraction)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Model.Fit(Data(), new TrainingOptions { ValidationFraction = fraction }));
        Assert.Contains("options.ValidationFraction must be in [0, 1)", e.Message);
    }

    [Fact]
    public void Fit_ValidationFractionLeavingNoRows_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Model.Fit(Data(rows: 3), new TrainingOptions { ValidationFraction = 0.1 }));
        Assert.Contains("leaves 3 training and 0 validation rows", e.Message);
    }

    [Fact]
    public void SpanApi_WrongLength_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Model.Encode(new float[5], new float[2]));
        Assert.Contains("sample must have length 6; got 5", e.Message);
        e = Assert.Throws<ArgumentException>(() => Model.Reconstruct(new float[6], new float[2]));
        Assert.Contains("reconstruction must have length 6; got 2", e.Message);
    }

    [Fact]
    public void SpanApi_NonFiniteValue_Throws()
    {
        var sample = new float[6];
        sample[4] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => Model.Encode(sample, new float[2]));
        Assert.Contains("got NaN at index 4", e.Message);
    }
}

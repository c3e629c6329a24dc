using System.Globalization;
using static System.FormattableString;

namespace Autoencoder.Tests.Model;

/// <summary>
/// The row-batch calls refuse bad arguments before computing anything, with messages that name the
/// parameter, the rule and the value given (the row, the column, both lengths).
/// </summary>
public class RowBatchValidationTests
{
    private const int Width = 6;
    private const int Latent = 3;

    private static AutoencoderModel Model() =>
        new AutoencoderBuilder(Width).AddEncoderLayer(5).WithLatent(Latent).WithOutputActivation(Activation.Sigmoid).WithSeed(3).Build();

    private static float[][] Rows(int rows, int width = Width) => RowBatchModels.Rows(rows, width, seed: 21);

    [Fact]
    public void JaggedCalls_NullInput_ThrowArgumentNull()
    {
        AutoencoderModel model = Model();
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => model.Encode((float[][])null!)).ParamName);
        Assert.Equal("codes", Assert.Throws<ArgumentNullException>(() => model.Decode((float[][])null!)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => model.Reconstruct((float[][])null!)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => model.Features((float[][])null!, 0)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => model.ReconstructionErrors((float[][])null!, Loss.MeanSquaredError)).ParamName);
        Assert.Equal("loss", Assert.Throws<ArgumentNullException>(() => model.ReconstructionErrors(Rows(2), null!)).ParamName);
        Assert.Equal("loss", Assert.Throws<ArgumentNullException>(() => model.ReconstructionErrors(new float[Width], 1, null!, new float[1])).ParamName);
    }

    [Fact]
    public void JaggedCalls_NoRows_ThrowArgument()
    {
        var ex = Assert.Throws<ArgumentException>(() => Model().Reconstruct(Array.Empty<float[]>()));
        Assert.Equal("x", ex.ParamName);
        Assert.Contains("at least one row", ex.Message);
        Assert.Contains("got 0 rows", ex.Message);
    }

    [Fact]
    public void JaggedCalls_RaggedRows_NameTheFirstBadRowAndBothLengths()
    {
        AutoencoderModel model = Model();
        float[][] x = Rows(5);
        x[2] = new float[Width - 2];
        x[4] = new float[Width + 1];
        foreach (Func<object> call in new Func<object>[]
        {
            () => model.Encode(x), () => model.Reconstruct(x), () => model.Features(x, 1),
            () => model.ReconstructionErrors(x, Loss.MeanSquaredError),
        })
        {
            var ex = Assert.Throws<ArgumentException>(call);
            Assert.Equal("x", ex.ParamName);
            Assert.Contains("rows of 6 values", ex.Message);
            Assert.Contains("row 2 has 4", ex.Message);
        }

        float[][] codes = Rows(3, Latent);
        codes[1] = new float[Width];
        var decode = Assert.Throws<ArgumentException>(() => model.Decode(codes));
        Assert.Equal("codes", decode.ParamName);
        Assert.Contains("rows of 3 values", decode.Message);
        Assert.Contains("row 1 has 6", decode.Message);
    }

    [Fact]
    public void JaggedCalls_NullRow_NameTheRow()
    {
        float[][] x = Rows(4);
        x[3] = null!;
        var ex = Assert.Throws<ArgumentException>(() => Model().Reconstruct(x));
        Assert.Equal("x", ex.ParamName);
        Assert.Contains("row 3 is null", ex.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NonFiniteValue_IsNamedByRowAndColumn(float bad)
    {
        AutoencoderModel model = Model();
        float[][] x = Rows(300);
        x[270][4] = bad;
        x[271][0] = bad;
        float[] flat = x.SelectMany(r => r).ToArray();
        string expected = Invariant($"got {bad} at row 270, column 4");

        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => model.Encode(x)).Message);
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => model.ReconstructionErrors(x, Loss.MeanSquaredError)).Message);
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => model.Reconstruct(flat, 300, new float[flat.Length])).Message);
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => model.Features(flat, 300, 0, new float[300 * 5])).Message);
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => model.ReconstructionErrors(flat, 300, Loss.MeanSquaredError, new float[300])).Message);
        var encode = Assert.Throws<ArgumentException>(() => model.Encode(flat, 300, new float[300 * Latent]));
        Assert.Equal("x", encode.ParamName);
        Assert.Contains(expected, encode.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void SpanCalls_RowsNotPositive_ThrowArgumentOutOfRange(int rows)
    {
        AutoencoderModel model = Model();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => model.Reconstruct(ReadOnlySpan<float>.Empty, rows, Span<float>.Empty));
        Assert.Equal("rows", ex.ParamName);
        Assert.Contains(Invariant($"rows must be positive; got {rows}."), ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Encode(ReadOnlySpan<float>.Empty, rows, Span<float>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Decode(ReadOnlySpan<float>.Empty, rows, Span<float>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Features(ReadOnlySpan<float>.Empty, rows, 0, Span<float>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.ReconstructionErrors(ReadOnlySpan<float>.Empty, rows, Loss.MeanSquaredError, Span<float>.Empty));
    }

    [Fact]
    public void SpanCalls_WrongInputLength_SayExpectedAndGiven()
    {
        AutoencoderModel model = Model();
        var input = new float[(4 * Width) - 1];
        var ex = Assert.Throws<ArgumentException>(() => model.Reconstruct(input, 4, new float[4 * Width]));
        Assert.Equal("x", ex.ParamName);
        Assert.Contains("must have length 24 (4 rows × 6", ex.Message);
        Assert.Contains("got 23", ex.Message);

        ex = Assert.Throws<ArgumentException>(() => model.Decode(new float[4 * Width], 4, new float[4 * Width]));
        Assert.Equal("codes", ex.ParamName);
        Assert.Contains("must have length 12 (4 rows × 3", ex.Message);
        Assert.Contains("got 24", ex.Message);
    }

    [Fact]
    public void SpanCalls_WrongOutputLength_SayExpectedAndGiven()
    {
        AutoencoderModel model = Model();
        var x = new float[4 * Width];
        AssertLength(() => model.Encode(x, 4, new float[13]), "codes", 12, 13);
        AssertLength(() => model.Decode(new float[4 * Latent], 4, new float[23]), "reconstructions", 24, 23);
        AssertLength(() => model.Reconstruct(x, 4, new float[25]), "reconstructions", 24, 25);
        AssertLength(() => model.Features(x, 4, 0, new float[4 * 6]), "features", 20, 24);
        AssertLength(() => model.ReconstructionErrors(x, 4, Loss.MeanSquaredError, new float[3]), "errors", 4, 3);
    }

    [Fact]
    public void Features_LayerOutOfRange_ThrowsArgumentOutOfRange()
    {
        AutoencoderModel model = Model();
        foreach (int layer in new[] { -1, model.Layers.Count })
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => model.Features(Rows(2), layer));
            Assert.Equal("layer", ex.ParamName);
            Assert.Contains(Invariant($"got {layer}"), ex.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => model.Features(new float[Width], 1, layer, new float[Width]));
        }
    }

    [Fact]
    public void ReconstructionErrors_BinaryCrossEntropyTargetOutsideUnitInterval_NameRowAndColumn()
    {
        AutoencoderModel model = Model();
        float[][] x = Rows(300);
        x[260][5] = 1.5f;
        float[] flat = x.SelectMany(r => r).ToArray();
        foreach (Func<object> call in new Func<object>[]
        {
            () => model.ReconstructionErrors(x, Loss.BinaryCrossEntropy),
            () => { model.ReconstructionErrors(flat, 300, Loss.BinaryCrossEntropy, new float[300]); return 0; },
        })
        {
            var ex = Assert.Throws<ArgumentException>(call);
            Assert.Equal("x", ex.ParamName);
            Assert.Contains("must lie in [0, 1] for binary cross-entropy; got 1.5 at row 260, column 5", ex.Message);
        }

        // Mean squared error takes any finite target.
        Assert.Equal(300, model.ReconstructionErrors(x, Loss.MeanSquaredError).Length);
    }

    [Fact]
    public void Messages_InACultureWithOtherNumberSymbols_FormatNumbersInvariantly()
    {
        // Symbols no invariant message contains, so a number formatted with the current culture shows up.
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = "⁂";
        culture.NumberFormat.NegativeSign = "⁓";
        culture.NumberFormat.PositiveInfinitySymbol = "⁘inf";
        CultureInfo previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = culture;
        try
        {
            AutoencoderModel model = Model();
            float[][] x = Rows(3);
            x[1][2] = 1.25f;
            string target = Assert.Throws<ArgumentException>(() => model.ReconstructionErrors(x, Loss.BinaryCrossEntropy)).Message;
            x[1][2] = float.PositiveInfinity;
            string infinite = Assert.Throws<ArgumentException>(() => model.Reconstruct(x)).Message;
            string rows = Assert.Throws<ArgumentOutOfRangeException>(() => model.Encode(ReadOnlySpan<float>.Empty, -1, Span<float>.Empty)).Message;

            Assert.Contains("got 1.25 at row 1, column 2", target);
            Assert.Contains("got Infinity at row 1, column 2", infinite);
            Assert.Contains("got -1.", rows);
            Assert.All(new[] { target, infinite, rows }, m => Assert.DoesNotMatch("[⁂⁓⁘]", m));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    private static void AssertLength(Action call, string name, int expected, int given)
    {
        var ex = Assert.Throws<ArgumentException>(call);
        Assert.Equal(name, ex.ParamName);
        Assert.Contains(Invariant($"must have length {expected}"), ex.Message);
        Assert.Contains(Invariant($"got {given}."), ex.Message);
    }
}

using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests;

public class AutoencoderModelTests
{
    private static AutoencoderModel SmallModel(int seed = 9) =>
        new AutoencoderBuilder(12).AddEncoderLayer(8, Activation.Tanh).WithLatent(3).WithOutputActivation(Activation.Sigmoid).WithSeed(seed).Build();

    [Fact]
    public void EncodeDecodeReconstruct_HaveDocumentedShapes_AndComposition()
    {
        AutoencoderModel model = SmallModel();
        Matrix<float> x = TestData.Matrix(300, 12, seed: 1); // more rows than one inference block
        Matrix<float> codes = model.Encode(x);
        Matrix<float> decoded = model.Decode(codes);
        Matrix<float> reconstructed = model.Reconstruct(x);
        Assert.Equal((300, 3), (codes.RowCount, codes.ColumnCount));
        Assert.Equal((300, 12), (decoded.RowCount, decoded.ColumnCount));
        Assert.Equal(reconstructed.ToColumnMajorArray(), decoded.ToColumnMajorArray());
    }

    [Fact]
    public void SpanApi_MatchesMatrixApi()
    {
        AutoencoderModel model = SmallModel();
        Matrix<float> x = TestData.Matrix(5, 12, seed: 2);
        Matrix<float> codes = model.Encode(x);
        Matrix<float> reconstructed = model.Reconstruct(x);
        var code = new float[3];
        var output = new float[12];
        for (int r = 0; r < x.RowCount; r++)
        {
            float[] row = x.Row(r).ToArray();
            model.Encode(row, code);
            Assert.Equal(codes.Row(r).ToArray(), code);
            model.Reconstruct(row, output);
            Assert.Equal(reconstructed.Row(r).ToArray(), output);
            model.Decode(code, output);
            Assert.Equal(reconstructed.Row(r).ToArray(), output);
        }
    }

    [Fact]
    public void ReconstructionErrors_ArePerRowMeanLosses_ConsistentWithEvaluate()
    {
        AutoencoderModel model = SmallModel();
        Matrix<float> x = TestData.Matrix(7, 12, seed: 3);
        Matrix<float> reconstructed = model.Reconstruct(x);
        Vector<float> errors = model.ReconstructionErrors(x, Loss.MeanSquaredError);
        for (int r = 0; r < x.RowCount; r++)
        {
            double expected = (reconstructed.Row(r) - x.Row(r)).PointwisePower(2).Sum() / 12;
            Assert.Equal(expected, errors[r], 5);
        }

        Assert.Equal(errors.Average(), model.Evaluate(x, Loss.MeanSquaredError), 5);
        Assert.Equal(
            model.ReconstructionErrors(x, Loss.BinaryCrossEntropy).Average(),
            model.Evaluate(x, Loss.BinaryCrossEntropy),
            5);
    }

    [Fact]
    public void ReconstructionErrors_OfARow_DoNotDependOnTheOtherRows()
    {
        AutoencoderModel model = SmallModel();
        Matrix<float> x = TestData.Matrix(600, 12, seed: 4);
        Vector<float> all = model.ReconstructionErrors(x, Loss.MeanSquaredError);
        Matrix<float> alone = x.SubMatrix(417, 1, 0, 12);
        Assert.Equal(all[417], model.ReconstructionErrors(alone, Loss.MeanSquaredError)[0]);
    }

    [Fact]
    public void Evaluate_WithBceAndSigmoidOutput_MatchesHandComputedFormula()
    {
        AutoencoderModel model = SmallModel();
        Matrix<float> x = TestData.Matrix(4, 12, seed: 5);
        Matrix<float> p = model.Reconstruct(x);
        double expected = 0;
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 12; j++)
            {
                expected += Reference.Bce(p[i, j], x[i, j]);
            }
        }

        Assert.Equal(expected / 48, model.Evaluate(x, Loss.BinaryCrossEntropy), 5);
    }

    [Fact]
    public async Task Encode_FromManyThreadsAtOnce_MatchesSequentialResults()
    {
        AutoencoderModel model = SmallModel();
        Matrix<float>[] inputs = Enumerable.Range(0, 8).Select(i => TestData.Matrix(257, 12, seed: 100 + i)).ToArray();
        float[][] sequential = inputs.Select(x => model.Encode(x).ToColumnMajorArray()).ToArray();
        for (int round = 0; round < 5; round++)
        {
            float[][] parallel = await Task.WhenAll(inputs.Select(x => Task.Run(() => model.Encode(x).ToColumnMajorArray())));
            for (int i = 0; i < inputs.Length; i++)
            {
                Assert.Equal(sequential[i], parallel[i]);
            }
        }
    }
}

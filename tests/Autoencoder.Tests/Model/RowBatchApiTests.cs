using Autoencoder.Data;
using Autoencoder.Model;
using MathNet.Numerics.LinearAlgebra;
using static System.FormattableString;

namespace Autoencoder.Tests.Model;

/// <summary>
/// The batch calls on jagged rows and row-major spans give the matrix calls' results bit for bit,
/// for every model kind and across inference blocks (the matrix calls transpose blocks of rows into
/// the same row-major pass, whose bits do not depend on the block while it holds two rows or more).
/// </summary>
public class RowBatchApiTests
{
    public static TheoryData<string, int> ModelsAndRows()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in RowBatchModels.Names)
        {
            data.Add(name, 2);
            data.Add(name, 300); // a full block of 256 and one of 44
        }

        data.Add("wide input", 257); // a naive split would leave row 256 alone in a one-row block
        data.Add("wide input", 513);
        data.Add("wide hidden layer", 2 * 209 + 1); // blocks of 209 rows: the widest layer has 20,000 units
        return data;
    }

    [Theory]
    [MemberData(nameof(ModelsAndRows))]
    public void InferenceOnRows_EqualsTheMatrixCallsBitForBit(string name, int rows)
    {
        AutoencoderModel model = RowBatchModels.Build(name);
        float[][] x = RowBatchModels.Rows(rows, model.InputSize, seed: 11);
        float[][] codes = RowBatchModels.Rows(rows, model.LatentSize, seed: 12, low: -1f);
        Matrix<float> xMatrix = Matrix<float>.Build.DenseOfRowArrays(x);
        Matrix<float> codeMatrix = Matrix<float>.Build.DenseOfRowArrays(codes);
        float[] xFlat = x.SelectMany(r => r).ToArray(), codesFlat = codes.SelectMany(r => r).ToArray();

        Check("Encode", model.Encode(xMatrix), model.Encode(x), (o) => model.Encode(xFlat, rows, o));
        Check("Decode", model.Decode(codeMatrix), model.Decode(codes), (o) => model.Decode(codesFlat, rows, o));
        Check("Reconstruct", model.Reconstruct(xMatrix), model.Reconstruct(x), (o) => model.Reconstruct(xFlat, rows, o));
        for (int layer = 0; layer < model.Layers.Count; layer++)
        {
            int l = layer;
            Check(Invariant($"Features({l})"), model.Features(xMatrix, l), model.Features(x, l), (o) => model.Features(xFlat, rows, l, o));
        }
    }

    [Theory]
    [MemberData(nameof(ModelsAndRows))]
    public void ReconstructionErrorsOnRows_EqualTheMatrixCallBitForBit(string name, int rows)
    {
        AutoencoderModel model = RowBatchModels.Build(name);
        float[][] x = RowBatchModels.Rows(rows, model.InputSize, seed: 13);
        float[] flat = x.SelectMany(r => r).ToArray();
        foreach (Loss loss in new[] { Loss.MeanSquaredError, Loss.BinaryCrossEntropy, Loss.Huber(0.5) })
        {
            float[] expected = model.ReconstructionErrors(Matrix<float>.Build.DenseOfRowArrays(x), loss).ToArray();
            var span = new float[rows];
            model.ReconstructionErrors(flat, rows, loss, span);
            RowBatchModels.AssertSameBits(expected, model.ReconstructionErrors(x, loss), 1, $"ReconstructionErrors({loss}), jagged");
            RowBatchModels.AssertSameBits(expected, span, 1, $"ReconstructionErrors({loss}), span");
        }
    }

    [Fact]
    public void SpanCalls_OfOneRow_GiveWhatTheSingleSampleOverloadsGive()
    {
        AutoencoderModel model = RowBatchModels.Build("wide input");
        float[] sample = RowBatchModels.Rows(1, model.InputSize, seed: 14)[0];
        var expectedCode = new float[model.LatentSize];
        var expectedReconstruction = new float[model.InputSize];
        model.Encode(sample, expectedCode);
        model.Reconstruct(sample, expectedReconstruction);

        var code = new float[model.LatentSize];
        var reconstruction = new float[model.InputSize];
        var decoded = new float[model.InputSize];
        model.Encode(sample, 1, code);
        model.Reconstruct(sample, 1, reconstruction);
        model.Decode(code, 1, decoded);
        var expectedDecoded = new float[model.InputSize];
        model.Decode(expectedCode, expectedDecoded);

        RowBatchModels.AssertSameBits(expectedCode, code, model.LatentSize, "Encode");
        RowBatchModels.AssertSameBits(expectedReconstruction, reconstruction, model.InputSize, "Reconstruct");
        RowBatchModels.AssertSameBits(expectedDecoded, decoded, model.InputSize, "Decode");
        RowBatchModels.AssertSameBits(expectedReconstruction, model.Reconstruct([sample])[0], model.InputSize, "Reconstruct, jagged");
    }

    [Fact]
    public void SpanCalls_ReadAndWriteOnlyTheirOwnSlices()
    {
        // The spans may be slices of larger buffers: the values around them stay as they were.
        AutoencoderModel model = RowBatchModels.Build("plain");
        int rows = 5, width = model.InputSize;
        float[] buffer = TestData.Uniform((rows + 2) * width, seed: 15, low: 0f);
        float[] output = Enumerable.Repeat(-7f, (rows + 2) * width).ToArray();
        model.Reconstruct(buffer.AsSpan(width, rows * width), rows, output.AsSpan(width, rows * width));

        Matrix<float> expected = model.Reconstruct(Matrix<float>.Build.DenseOfRowMajor(rows, width, buffer.AsSpan(width, rows * width).ToArray()));
        RowBatchModels.AssertSameBits(expected.ToRowMajorArray(), output.AsSpan(width, rows * width).ToArray(), width, "Reconstruct");
        Assert.All(output.AsSpan(0, width).ToArray(), v => Assert.Equal(-7f, v));
        Assert.All(output.AsSpan((rows + 1) * width).ToArray(), v => Assert.Equal(-7f, v));
    }

    [Fact]
    public void NextBlock_NeverLeavesOneRowAloneWhenBlocksHoldThreeOrMore()
    {
        foreach (int block in new[] { 3, 7, 209, Network.MaxInferenceBlockRows })
        {
            foreach (int rows in new[] { 2, 3, block, block + 1, block + 2, (2 * block) + 1, (5 * block) + 1 })
            {
                var sizes = new List<int>();
                for (int start = 0, count; start < rows; start += count)
                {
                    count = RowGuard.NextBlock(rows - start, block);
                    sizes.Add(count);
                }

                Assert.Equal(rows, sizes.Sum());
                Assert.All(sizes, s => Assert.InRange(s, 2, block));
            }
        }
    }

    /// <summary>Compares the matrix call's result with the jagged and the span call's, bit for bit.</summary>
    private static void Check(string what, Matrix<float> expected, float[][] jagged, Action<float[]> spanCall)
    {
        float[] rowMajor = expected.ToRowMajorArray();
        int width = expected.ColumnCount;
        Assert.Equal(expected.RowCount, jagged.Length);
        Assert.All(jagged, r => Assert.Equal(width, r.Length));
        RowBatchModels.AssertSameBits(rowMajor, jagged.SelectMany(r => r).ToArray(), width, what + ", jagged");
        var span = new float[rowMajor.Length];
        spanCall(span);
        RowBatchModels.AssertSameBits(rowMajor, span, width, what + ", span");
    }
}

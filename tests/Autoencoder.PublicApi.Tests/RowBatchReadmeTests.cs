using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.PublicApi.Tests;

/// <summary>
/// The README's examples of batch calls without MathNet (jagged rows and row-major buffers) and
/// of matrix calls into results allocated once, compiled and run through the public surface only;
/// the region between <c>// readme:rows:begin</c> and <c>// readme:rows:end</c> is the block after
/// <c>&lt;!-- readme:rows --&gt;</c>, and likewise for <c>readme:into</c>.
/// </summary>
public class RowBatchReadmeTests
{
    [Fact]
    public void RowsWithoutMathNet()
    {
        Matrix<float> images = SyntheticShapes.Generate(count: 300, seed: 4).Images;
        AutoencoderModel model = new AutoencoderBuilder(784).AddEncoderLayer(64).WithLatent(16).WithOutputActivation(Activation.Sigmoid).WithSeed(2).Build();
        var detector = new AnomalyDetector(model, AnomalyScore.MeanSquaredError) { Threshold = 0.05f };
        float[][] samples = images.ToRowArrays();
        int rows = samples.Length;
        // readme:rows:begin
        float[][] codes = model.Encode(samples);              // one array per row in, one per row out
        float[] errors = model.ReconstructionErrors(samples, Loss.MeanSquaredError);
        bool[] flagged = detector.Predict(samples);

        // Buffers you own, row after row (rows × InputSize): read and written in place, no allocation per call.
        float[] batch = new float[rows * model.InputSize];
        float[] reconstructions = new float[batch.Length];
        float[] scores = new float[rows];
        model.Reconstruct(batch, rows, reconstructions);
        detector.Scores(batch, rows, scores);
        // readme:rows:end
        Assert.Equal(model.LatentSize, codes[0].Length);
        Assert.Equal(model.ReconstructionErrors(images, Loss.MeanSquaredError).ToArray(), errors);
        Assert.Equal(detector.Predict(images), flagged);
        Assert.Equal(model.Reconstruct(Matrix<float>.Build.Dense(rows, 784)).ToRowMajorArray(), reconstructions);
        Assert.Equal(detector.Scores(Matrix<float>.Build.Dense(rows, 784)).ToArray(), scores);
    }

    [Fact]
    public void MatrixIntoResults()
    {
        Matrix<float> x = SyntheticShapes.Generate(count: 300, seed: 5).Images;
        AutoencoderModel model = new AutoencoderBuilder(784).AddEncoderLayer(64).WithLatent(16).WithOutputActivation(Activation.Sigmoid).WithSeed(2).Build();
        // readme:into:begin
        var reconstructions = Matrix<float>.Build.Dense(x.RowCount, model.InputSize);   // allocated once
        var scores = Vector<float>.Build.Dense(x.RowCount);
        model.Reconstruct(x, reconstructions);                  // then, batch after batch, into them
        model.ReconstructionErrors(x, Loss.MeanSquaredError, scores);
        // readme:into:end
        Assert.Equal(model.Reconstruct(x), reconstructions);
        Assert.Equal(model.ReconstructionErrors(x, Loss.MeanSquaredError), scores);
    }

    [Fact]
    public void Readme_IntoBlock_IsThisFilesMarkedCode() =>
        Assert.Equal(ReadmeBlocks.Marked("RowBatchReadmeTests.cs", "readme:into"), ReadmeBlocks.Documented("readme:into"));

    [Fact]
    public void Readme_RowsBlock_IsThisFilesMarkedCode() =>
        Assert.Equal(ReadmeBlocks.Marked("RowBatchReadmeTests.cs", "readme:rows"), ReadmeBlocks.Documented("readme:rows"));
}

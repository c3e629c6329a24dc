using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.ML.OnnxRuntime;

namespace Autoencoder.Interop.Tests;

/// <summary>A whole anomaly detector exported to ONNX gives, in ONNX Runtime, the detector's scores and flags.</summary>
public sealed class DetectorOnnxTests
{
    /// <summary>Relative: the two sides differ in summation order and the transcendental functions' last bits.</summary>
    private const double Tolerance = 2e-5;

    private static Matrix<float> Rows(int count, int seed) =>
        Matrix<float>.Build.Dense(count, 9, (r, c) => (float)(Math.Sin((r * 9) + c + seed) * 30 + 50 + c));

    public static TheoryData<string, string, bool> Cases() => new()
    {
        { "mse", "standardize", true },
        { "mse", "none", false },
        { "bce-sigmoid", "minmax", true },
        { "bce-tanh-probabilities", "minmax", true },
        { "bce-batch-norm", "minmax", false },
    };

    private static AnomalyDetector Detector(string score, string scaling, bool threshold)
    {
        Matrix<float> train = Rows(400, 1);
        var builder = new AutoencoderBuilder(9).WithSeed(2);
        builder = score switch
        {
            "bce-tanh-probabilities" => builder.AddEncoderLayer(6, Activation.Relu).WithLatent(3).WithOutputActivation(Activation.Tanh),
            "bce-batch-norm" => builder.AddEncoderLayer(6, Activation.Relu, new LayerOptions { BatchNormalization = true }).WithLatent(3).WithOutputActivation(Activation.Sigmoid),
            _ => builder.AddEncoderLayer(6, Activation.Tanh).WithLatent(3).WithOutputActivation(Activation.Sigmoid),
        };
        AutoencoderModel model = builder.Build();
        Loss loss = score == "mse" ? Loss.MeanSquaredError : Loss.BinaryCrossEntropy;
        var options = new TrainingOptions { Epochs = 3, BatchSize = 32, Loss = loss };
        if (scaling == "none")
        {
            model.Fit(train, options);
            return new AnomalyDetector(model, loss) { Threshold = threshold ? 0.01f : null };
        }

        AnomalyDetector detector = AnomalyDetector.Fit(model, train, scaling == "minmax" ? FeatureScaling.MinMax : FeatureScaling.Standardize, options);
        if (!threshold)
        {
            detector.Threshold = null;
        }

        return detector;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExportedDetector_InOnnxRuntime_GivesTheDetectorsScoresAndFlags(string score, string scaling, bool threshold)
    {
        AnomalyDetector detector = Detector(score, scaling, threshold);
        // Inside the training range, so binary cross-entropy accepts every scaled value.
        Matrix<float> x = Rows(400, 1).SubMatrix(0, 150, 0, 9);
        float[] expected = detector.Scores(x).ToArray();

        using var stream = new MemoryStream();
        detector.ExportOnnx(stream);
        using var session = new InferenceSession(stream.ToArray());
        Assert.Equal(["input"], session.InputMetadata.Keys);
        Assert.Equal(threshold ? ["score", "anomaly"] : ["score"], session.OutputMetadata.Keys);

        float[] rowMajor = x.ToRowArrays().SelectMany(r => r).ToArray();
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(rowMajor, [x.RowCount, x.ColumnCount]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, new Dictionary<string, OrtValue> { ["input"] = input }, [.. session.OutputMetadata.Keys]);
        float[] actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= Tolerance * Math.Max(1, Math.Abs(expected[i])), $"row {i}: ONNX Runtime {actual[i]}, detector {expected[i]}");
        }

        if (threshold)
        {
            bool[] flags = outputs[1].GetTensorDataAsSpan<bool>().ToArray();
            bool[] predicted = detector.Predict(x);
            int near = 0;
            for (int i = 0; i < flags.Length; i++)
            {
                // Rows whose score lies within rounding of the threshold may fall either side.
                if (Math.Abs(expected[i] - detector.Threshold!.Value) <= Tolerance * Math.Max(1, Math.Abs(expected[i])))
                {
                    near++;
                    continue;
                }

                Assert.Equal(predicted[i], flags[i]);
            }

            Assert.True(predicted.Any(p => p) && predicted.Any(p => !p), "the threshold should flag some rows and not others");
            Assert.True(near < flags.Length / 10);
        }
    }

    [Fact]
    public void ReconstructionProbability_AndOtherLosses_AreRefused()
    {
        AutoencoderModel model = new AutoencoderBuilder(9).WithLatent(3).WithSeed(1).Build();
        Assert.Throws<NotSupportedException>(() => new AnomalyDetector(model, Loss.Huber(1.0)).ExportOnnx(new MemoryStream()));
        AutoencoderModel variational = new AutoencoderBuilder(9).WithVariationalLatent(2).WithSeed(1).Build();
        Assert.Throws<NotSupportedException>(() => new AnomalyDetector(variational, AnomalyScore.BernoulliReconstructionProbability).ExportOnnx(new MemoryStream()));
    }
}

using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.PublicApi.Tests;

/// <summary>Losses as a public abstraction: a loss written outside the library, and the new built-in ones, wherever a loss is taken.</summary>
public class CustomLossTests
{
    /// <summary>log-cosh: <c>ℓ = ln cosh(x̂ − x)</c>, smooth like MSE near 0 and like MAE far away; derivative <c>tanh(x̂ − x)</c>.</summary>
    private sealed class LogCosh : Loss
    {
        public override double Value(float prediction, float target) => Math.Log(Math.Cosh((double)prediction - target));

        public override double Derivative(float prediction, float target) => Math.Tanh((double)prediction - target);
    }

    /// <summary>Squared error defined only for non-negative targets, to show a loss's own domain.</summary>
    private sealed class NonNegativeSquaredError : Loss
    {
        public override double Value(float prediction, float target) => ((double)prediction - target) * ((double)prediction - target);

        public override double Derivative(float prediction, float target) => 2.0 * ((double)prediction - target);

        public override bool Accepts(float target) => target >= 0f;
    }

    private static Matrix<float> Data(int rows = 96) => Matrix<float>.Build.Dense(rows, 6, (r, c) => (float)Math.Sin((r * 0.37) + (c * 1.3)));

    private static AutoencoderModel Model() => new AutoencoderBuilder(6).AddEncoderLayer(5, Activation.Tanh).WithLatent(3).WithSeed(4).Build();

    [Fact]
    public void UserLoss_TrainsEvaluatesAndScoresRows()
    {
        Matrix<float> x = Data();
        AutoencoderModel model = Model();
        double before = model.Evaluate(x, new LogCosh());
        TrainingHistory history = model.Fit(x, new TrainingOptions { Epochs = 30, BatchSize = 32, Loss = new LogCosh(), Optimizer = new AdamOptions { LearningRate = 0.01 } });
        double after = model.Evaluate(x, new LogCosh());

        Assert.True(after < 0.5 * before, $"log-cosh went from {before} to {after}");
        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss);

        // Evaluate and ReconstructionErrors are the loss's own means over every element and over each row.
        Matrix<float> reconstruction = model.Reconstruct(x);
        double expected = 0;
        var loss = new LogCosh();
        for (int r = 0; r < x.RowCount; r++)
        {
            double row = 0;
            for (int c = 0; c < 6; c++)
            {
                row += loss.Value(reconstruction[r, c], x[r, c]);
            }

            Assert.Equal(row / 6, model.ReconstructionErrors(x, loss)[r], 1e-5);
            expected += row;
        }

        Assert.Equal(expected / (x.RowCount * 6), after, 1e-6);

        var detector = new AnomalyDetector(model, loss);
        Assert.Equal(AnomalyScore.ReconstructionLoss, detector.ScoreKind);
        Assert.Equal(model.ReconstructionErrors(x, loss).ToArray(), detector.Scores(x).ToArray());
    }

    [Fact]
    public void UserLoss_RefusesTargetsOutsideItsDomain()
    {
        var e = Assert.Throws<ArgumentException>(() => Model().Fit(Data(), new TrainingOptions { Loss = new NonNegativeSquaredError() }));
        Assert.Contains("which the loss", e.Message);
        Assert.Contains("does not accept", e.Message);
    }

    [Fact]
    public void DetectorWithAUserLoss_IsRefusedAtSaveWithTheReason()
    {
        var detector = new AnomalyDetector(Model(), new LogCosh());
        var e = Assert.Throws<InvalidOperationException>(() => detector.Save(new MemoryStream()));
        Assert.Contains("not built in", e.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.25)]
    public void DetectorWithABuiltInLoss_SavesItByNameAndScoresTheSameAfterLoading(double huberDelta)
    {
        Loss loss = huberDelta == 0 ? Loss.MeanAbsoluteError : Loss.Huber(huberDelta);
        AutoencoderModel model = Model();
        model.Fit(Data(), new TrainingOptions { Epochs = 3, Loss = loss });
        var detector = new AnomalyDetector(model, loss);
        detector.FitThresholdByContamination(Data());
        using var stream = new MemoryStream();
        detector.Save(stream);
        stream.Position = 0;
        AnomalyDetector loaded = AnomalyDetector.Load(stream);

        Assert.Equal(loss, loaded.ReconstructionLoss);
        Assert.Equal(AnomalyScore.ReconstructionLoss, loaded.ScoreKind);
        Assert.Equal(detector.Threshold, loaded.Threshold);
        Assert.Equal(detector.Scores(Data(10)).ToArray(), loaded.Scores(Data(10)).ToArray());
    }

    [Fact]
    public void VariationalModel_NeedsALikelihoodLoss()
    {
        AutoencoderModel vae = new AutoencoderBuilder(6).AddEncoderLayer(4).WithVariationalLatent(2).WithSeed(1).Build();
        var e = Assert.Throws<ArgumentException>(() => vae.Fit(Data(), new TrainingOptions { Loss = Loss.MeanAbsoluteError }));
        Assert.Contains("for a variational model; got MeanAbsoluteError", e.Message);
        Assert.Throws<ArgumentException>(() => vae.Elbo(Data(), Loss.Huber()));
    }
}

using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.PublicApi.Tests;

/// <summary>
/// The README's short examples of variants and training control, compiled and run. Each region
/// <c>// readme:NAME:begin … // readme:NAME:end</c> is, after removing indentation, the C# block that
/// follows <c>&lt;!-- readme:NAME --&gt;</c> in README.md; a test checks every pair agrees.
/// </summary>
public class ReadmeExamplesTests
{
    private static readonly Matrix<float> Images = SyntheticShapes.Generate(count: 600, seed: 3).Images;

    [Fact]
    public void Denoising()
    {
        Matrix<float> train = Images;
        // readme:denoising:begin
        AutoencoderModel model = new AutoencoderBuilder(784)
            .AddEncoderLayer(128, Activation.Relu)
            .WithLatent(32, Activation.Relu)
            .WithOutputActivation(Activation.Sigmoid)
            .Build();
        model.Fit(train, new TrainingOptions
        {
            Epochs = 5,
            Loss = Loss.BinaryCrossEntropy,
            Corruption = new GaussianNoise(0.3),    // or new MaskingNoise(0.25), new SaltAndPepperNoise(0.1)
        });
        Matrix<float> denoised = model.Reconstruct(train);    // no noise at inference
        // readme:denoising:end
        Assert.Equal(train.RowCount, denoised.RowCount);
    }

    [Fact]
    public void Regularisation()
    {
        Matrix<float> train = Images;
        // readme:regularisation:begin
        AutoencoderModel sparse = new AutoencoderBuilder(784)
            .AddEncoderLayer(256, Activation.Relu, new LayerOptions { Dropout = 0.2, ActivityL2 = 1e-5 })
            .WithLatent(64, Activation.Sigmoid)
            .WithSparsity(target: 0.05, weight: 0.1)    // KL(ρ ‖ ρ̂) on the latent units' mean activations
            .WithTiedWeights()                          // decoder layers use the encoder's transposed weights
            .WithOutputActivation(Activation.Sigmoid)
            .Build();
        sparse.Fit(train, new TrainingOptions { Epochs = 3, Loss = Loss.BinaryCrossEntropy, Optimizer = new AdamWOptions { WeightDecay = 1e-4 } });

        AutoencoderModel contractive = new AutoencoderBuilder(784)
            .WithLatent(64, Activation.Sigmoid)
            .WithContractivePenalty(1e-3)               // λ‖∂h/∂x‖²_F, exact for a one-layer encoder
            .WithOutputActivation(Activation.Sigmoid)
            .Build();
        // readme:regularisation:end
        contractive.Fit(train, new TrainingOptions { Epochs = 1, Loss = Loss.BinaryCrossEntropy });
        Assert.True(sparse.Layers[3].TransposedWeights);
    }

    [Fact]
    public void BatchNormalization()
    {
        Matrix<float> train = Images;
        // readme:batch-normalization:begin
        AutoencoderModel normalized = new AutoencoderBuilder(784)
            .AddEncoderLayer(256, Activation.Relu, new LayerOptions { BatchNormalization = true })
            .WithLatent(32, Activation.Relu, new LayerOptions { BatchNormalization = true })
            .WithOutputActivation(Activation.Sigmoid)
            .WithSeed(3)
            .Build();
        normalized.Fit(train, new TrainingOptions { Epochs = 2, BatchSize = 128, Loss = Loss.BinaryCrossEntropy });
        Console.WriteLine(normalized);                  // each batch-norm step, and its running statistics as non-trainable
        // readme:batch-normalization:end
        Assert.Contains("encoder.0.batch_norm  batch norm", normalized.Summary());
        Assert.Contains("Non-trainable params: 576", normalized.Summary()); // 2 × (256 + 32) running means and variances
        // Inference uses the running statistics: a row's code does not depend on the other rows' values.
        Assert.Equal(normalized.Encode(train.SubMatrix(5, 10, 0, 784)).Row(2), normalized.Encode(train).Row(7));
    }

    [Fact]
    public void Variational()
    {
        Matrix<float> train = Images;
        // readme:variational:begin
        AutoencoderModel vae = new AutoencoderBuilder(784)
            .AddEncoderLayer(256, Activation.Relu)
            .WithVariationalLatent(16)                  // μ and log σ² heads, z = μ + σ·ε while training
            .WithOutputActivation(Activation.Sigmoid)
            .Build();
        TrainingHistory history = vae.Fit(train, new TrainingOptions
        {
            Epochs = 5,
            Loss = Loss.BinaryCrossEntropy,             // Bernoulli likelihood; MSE means a unit-variance Gaussian
            KlWeight = 1,                               // β; KlWarmUpEpochs ramps it up
        });
        Matrix<float> means = vae.Encode(train);                   // μ
        Matrix<float> samples = vae.Generate(16, seed: 7);         // 16 new images from the prior
        double elbo = vae.Elbo(train, Loss.BinaryCrossEntropy);    // nats per sample
        Vector<float> logLikelihood = vae.ReconstructionLogLikelihood(train, Loss.BinaryCrossEntropy, samples: 10);
        // readme:variational:end
        Assert.Equal((16, 784), (samples.RowCount, samples.ColumnCount));
        Assert.True(double.IsFinite(elbo));
        Assert.Equal(train.RowCount, logLikelihood.Count);
        Assert.Equal(16, means.ColumnCount);
        Assert.True(history.TrainLoss[^1] < history.TrainLoss[0]);
    }

    [Fact]
    public void TrainingControl()
    {
        Matrix<float> train = Images;
        AutoencoderModel model = new AutoencoderBuilder(784).AddEncoderLayer(64).WithLatent(16).WithOutputActivation(Activation.Sigmoid).Build();
        // readme:training-control:begin
        TrainingHistory history = model.Fit(train, new TrainingOptions
        {
            Epochs = 30,
            Loss = Loss.BinaryCrossEntropy,
            ValidationFraction = 0.2,
            EarlyStopping = new EarlyStopping { Patience = 3, RestoreBestWeights = true },
            LearningRateSchedule = new CosineAnnealing(Period: 30),    // or StepDecay, ExponentialDecay, ReduceOnPlateau
            GradientClipNorm = 1.0,
            Callbacks = [new StopWhenGoodEnough(0.05)],
        });
        Console.WriteLine($"{history.StopReason} after {history.Epochs.Count} epochs; best epoch {history.BestEpoch}");
        // readme:training-control:end
        Assert.NotNull(history.BestEpoch);
        Assert.True(history.Epochs[^1].LearningRate < history.Epochs[0].LearningRate);
        Assert.Equal(history.Epochs.MinBy(e => e.ValidationLoss)!.Epoch, history.BestEpoch);
    }

    // readme:training-control:begin
    sealed class StopWhenGoodEnough(double target) : ITrainingCallback
    {
        public void OnEpochEnd(EpochResult epoch, TrainingControl control)
        {
            if (epoch.ValidationLoss < target) control.Stop();
        }
    }
    // readme:training-control:end

    [Fact]
    public void Losses()
    {
        Matrix<float> train = Images.SubMatrix(0, 200, 0, 784);
        AutoencoderModel model = new AutoencoderBuilder(784).WithLatent(16).WithOutputActivation(Activation.Sigmoid).WithSeed(2).Build();
        // readme:losses:begin
        model.Fit(train, new TrainingOptions { Epochs = 5, Loss = Loss.Huber(delta: 0.5) });
        double logCosh = model.Evaluate(train, new LogCosh());
        var detector = new AnomalyDetector(model, Loss.MeanAbsoluteError);   // scores rows by their mean |x̂ − x|
        // readme:losses:end
        Assert.True(logCosh > 0 && double.IsFinite(logCosh));
        Assert.Equal(model.ReconstructionErrors(train, Loss.MeanAbsoluteError).ToArray(), detector.Scores(train).ToArray());
    }

    // readme:losses:begin
    sealed class LogCosh : Loss
    {
        public override double Value(float prediction, float target) => Math.Log(Math.Cosh(prediction - target));
        public override double Derivative(float prediction, float target) => Math.Tanh(prediction - target);
    }
    // readme:losses:end

    [Fact]
    public void Features()
    {
        Matrix<float> x = Images;
        AutoencoderModel model = new AutoencoderBuilder(784).AddEncoderLayer(64).WithLatent(16).Build();
        // readme:features:begin
        Matrix<float> hidden = model.Features(x, layer: 0);   // activations of any layer (model.Layers[0] here)
        // readme:features:end
        Assert.Equal(64, hidden.ColumnCount);
    }

    [Fact]
    public void Checkpoints()
    {
        Matrix<float> train = Images;
        string checkpointPath = Path.Combine(Directory.CreateTempSubdirectory("autoencoder-readme-").FullName, "run.ckpt");
        AutoencoderModel model = new AutoencoderBuilder(784).WithLatent(16).WithOutputActivation(Activation.Sigmoid).WithSeed(3).Build();
        // readme:checkpoints:begin
        var options = new TrainingOptions { Epochs = 4, Loss = Loss.BinaryCrossEntropy, CheckpointPath = checkpointPath };
        model.Fit(train, options);                                       // say the process dies during epoch 3

        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(checkpointPath);   // in a new process
        TrainingHistory history = checkpoint.Resume(train, options);     // the whole history, epoch 1 on
        AutoencoderModel resumed = checkpoint.Model;
        // readme:checkpoints:end
        Assert.Equal(4, history.Epochs.Count);
        Assert.Equal(model.Reconstruct(train), resumed.Reconstruct(train)); // the run had finished: nothing left to train
        Directory.Delete(Path.GetDirectoryName(checkpointPath)!, recursive: true);
    }

    [Fact]
    public void CsvTables()
    {
        const string sklearn = "/usr/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv";
        Assert.True(File.Exists(sklearn), $"{sklearn} is missing; install it with: apt-get install python3-sklearn");
        string path = Path.Combine(Directory.CreateTempSubdirectory("readme-csv-").FullName, "sensors.csv");
        File.WriteAllText(path, "machine;temperature;humidity;pressure\nA;20.5;0.4;1013\nB;21;;1009\nA;19.75;0.5;1011\n");
        // readme:csv:begin
        CsvTable cancer = CsvReader.ReadTable(
            "/usr/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv",   // Debian's python3-sklearn
            new CsvOptions { SkipLines = 1, LabelColumnIndex = 30 });   // a shape line, then 30 features and the class
        Matrix<float> x = cancer.Features;                               // 569 × 30
        IReadOnlyList<string> classes = cancer.Labels!;                  // "0" malignant, "1" benign

        CsvTable sensors = CsvReader.ReadTable(path, new CsvOptions
        {
            Delimiter = ';',                             // or DetectDelimiter = true
            HasHeader = true,
            Columns = ["temperature", "humidity"],       // or ColumnIndices = [1, 2]; default: all but the label
            LabelColumn = "machine",                     // read as text, never a feature
            InvalidRows = CsvInvalidRows.Skip,           // rows with a missing or non-numeric value are left out and counted
        });
        Console.WriteLine($"{sensors.Features.RowCount} rows of {string.Join(", ", sensors.ColumnNames!)}; {sensors.SkippedRows} skipped");
        // readme:csv:end
        Assert.Equal((569, 30, 569), (x.RowCount, x.ColumnCount, classes.Count));
        Assert.Equal(new float[,] { { 20.5f, 0.4f }, { 19.75f, 0.5f } }, sensors.Features.ToArray());
        Assert.Equal(["A", "A"], sensors.Labels);
        Assert.Equal(1, sensors.SkippedRows);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public void Readme_EveryExampleBlock_IsThisFilesMarkedCode()
    {
        string[] names = ["denoising", "regularisation", "variational", "training-control", "losses", "features", "checkpoints", "csv"];
        foreach (string name in names)
        {
            IReadOnlyList<string> regions = ReadmeBlocks.Regions("ReadmeExamplesTests.cs", $"readme:{name}");
            Assert.True(regions.Count > 0, $"no region '{name}' in ReadmeExamplesTests.cs");
            Assert.Equal(string.Join("\n\n", regions), ReadmeBlocks.Documented($"readme:{name}"));
        }
    }
}

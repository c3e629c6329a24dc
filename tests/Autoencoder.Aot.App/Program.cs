using System.Diagnostics;
using Autoencoder;
using Autoencoder.Data;
using MathNet.Numerics.LinearAlgebra;

// "check <folder>" runs every file path of the library and prints one "ok:" line per step;
// "epoch" times one Fit epoch of a 784-256-32 model (the README's Native AOT table).
return args switch
{
    ["check", string folder] => Check(folder),
    ["epoch"] => Epoch(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Autoencoder.Aot.App check <folder> | epoch");
    return 2;
}

static int Check(string folder)
{
    Directory.CreateDirectory(folder);
    Matrix<float> train = SyntheticShapes.Generate(count: 256, seed: 1).Images;
    Matrix<float> test = SyntheticShapes.Generate(count: 64, seed: 2).Images;
    AutoencoderModel model = Model(hidden: 32, latent: 8);
    var options = new TrainingOptions { Epochs = 2, BatchSize = 64, Loss = Loss.BinaryCrossEntropy };
    TrainingHistory history = model.Fit(train, options);
    Require(history.Epochs.Count == 2 && history.TrainLoss.All(double.IsFinite), $"trained {history.Epochs.Count} epochs, losses {string.Join(", ", history.TrainLoss)}");
    Console.WriteLine($"ok: trained {history.Epochs.Count} epochs, last loss {history.TrainLoss[^1]:R}");

    string modelPath = Path.Combine(folder, "model.safetensors");
    model.Save(modelPath);
    AutoencoderModel loaded = AutoencoderModel.Load(modelPath);
    float[] before = model.ReconstructionErrors(test, Loss.BinaryCrossEntropy).ToArray();
    float[] after = loaded.ReconstructionErrors(test, Loss.BinaryCrossEntropy).ToArray();
    Require(before.AsSpan().SequenceEqual(after), "the loaded model scores the rows differently");
    Console.WriteLine($"ok: saved and loaded the model, {after.Length} reconstruction errors identical");

    var detector = new AnomalyDetector(loaded, AnomalyScore.MeanSquaredError);
    detector.FitThreshold(test, falsePositiveRate: 0.1);
    string detectorPath = Path.Combine(folder, "detector.safetensors");
    detector.Save(detectorPath);
    AnomalyDetector restored = AnomalyDetector.Load(detectorPath);
    Require(restored.Threshold == detector.Threshold && restored.Predict(test).SequenceEqual(detector.Predict(test)), "the loaded detector flags other rows");
    Console.WriteLine($"ok: saved and loaded the detector, threshold {restored.Threshold:R}");

    string checkpointPath = Path.Combine(folder, "run.checkpoint");
    var checkpointed = new TrainingOptions { Epochs = 2, BatchSize = 64, Loss = Loss.BinaryCrossEntropy, CheckpointPath = checkpointPath };
    AutoencoderModel uninterrupted = Model(hidden: 32, latent: 8);
    uninterrupted.Fit(train, checkpointed with { Epochs = 3, CheckpointPath = null });
    Model(hidden: 32, latent: 8).Fit(train, checkpointed);
    TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(checkpointPath);
    TrainingHistory resumed = checkpoint.Resume(train, checkpointed with { Epochs = 3 });
    Require(resumed.Epochs.Count == 3, $"the resumed run has {resumed.Epochs.Count} epochs");
    Require(checkpoint.Model.Encode(test).Equals(uninterrupted.Encode(test)), "the resumed run's weights differ from the uninterrupted run's");
    Console.WriteLine("ok: wrote a checkpoint after 2 epochs and resumed to epoch 3, as an uninterrupted run");

    string onnxPath = Path.Combine(folder, "model.onnx");
    loaded.ExportOnnx(onnxPath);
    long onnxBytes = new FileInfo(onnxPath).Length;
    Require(onnxBytes > loaded.ParameterCount * sizeof(float), $"the ONNX file has {onnxBytes} bytes");
    Console.WriteLine($"ok: exported ONNX, {onnxBytes} bytes");

    Matrix<float> negative = Matrix<float>.Build.Dense(8, 784, (r, c) => r == 3 && c == 5 ? -1f : 0.5f);
    try
    {
        Model(hidden: 32, latent: 8).Fit(negative, new TrainingOptions { Epochs = 1, Loss = new NonNegativeSquaredError() });
        Require(false, "a loss's own Accepts was not applied");
    }
    catch (ArgumentException e) when (e.Message.Contains("does not accept", StringComparison.Ordinal))
    {
        Console.WriteLine("ok: a loss of your own that overrides Accepts refuses the row it does not accept");
    }

    Console.WriteLine("done");
    return 0;
}

static int Epoch()
{
    // As docs/benchmarks.md's portable-path table: 2,048 rows, batch 256, Adam, BCE; one Fit
    // epoch each on a fresh seeded model, the first a warm-up, then the best of 3.
    Matrix<float> train = SyntheticShapes.Generate(count: 2048, seed: 1).Images;
    double best = double.PositiveInfinity;
    for (int run = 0; run < 4; run++)
    {
        AutoencoderModel model = Model(hidden: 256, latent: 32);
        var watch = Stopwatch.StartNew();
        model.Fit(train, new TrainingOptions { Epochs = 1, BatchSize = 256, Loss = Loss.BinaryCrossEntropy, Optimizer = new AdamOptions() });
        if (run > 0)
        {
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
    }

    Console.WriteLine($"epoch 784-256-32, 2048 rows, batch 256: best of 3 {best:F3} s");
    return 0;
}

static AutoencoderModel Model(int hidden, int latent) => new AutoencoderBuilder(inputSize: 784)
    .AddEncoderLayer(hidden, Activation.Relu)
    .WithLatent(latent, Activation.Relu)
    .WithOutputActivation(Activation.Sigmoid)
    .WithSeed(42)
    .Build();

static void Require(bool condition, string failure)
{
    if (!condition)
    {
        throw new InvalidOperationException(failure);
    }
}

/// <summary>Squared error defined only for non-negative targets: a loss of your own with its own domain.</summary>
internal sealed class NonNegativeSquaredError : Loss
{
    public override double Value(float prediction, float target) => ((double)prediction - target) * ((double)prediction - target);

    public override double Derivative(float prediction, float target) => 2.0 * ((double)prediction - target);

    public override bool Accepts(float target) => target >= 0f;
}

using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Benchmarks.Training;

/// <summary>
/// One training epoch of each reference model on 60,000 images (batch 256, Adam 1e-3), all cores.
/// Samples per second = 60,000 / mean time.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3, invocationCount: 1)]
public class EpochBenchmarks
{
    private Matrix<float> _images = null!;
    private AutoencoderModel _model = null!;
    private TrainingOptions _options = null!;

    [Params("M1", "M2", "M3")]
    public string Model { get; set; } = "M1";

    [GlobalSetup]
    public void Setup()
    {
        _images = ReferenceModels.TrainingImages();
        _model = ReferenceModels.Build(Model);
        _options = new TrainingOptions { Epochs = 1, BatchSize = 256, Loss = ReferenceModels.LossOf(Model) };
    }

    [Benchmark]
    public TrainingHistory Epoch() => _model.Fit(_images, _options);
}

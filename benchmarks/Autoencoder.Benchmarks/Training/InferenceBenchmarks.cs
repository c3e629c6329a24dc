using BenchmarkDotNet.Attributes;

namespace Autoencoder.Benchmarks.Training;

/// <summary>Single-sample reconstruction through the span API (no allocation), per reference model.</summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private AutoencoderModel _model = null!;
    private float[] _sample = null!;
    private float[] _output = null!;

    [Params("M1", "M2", "M3")]
    public string Model { get; set; } = "M2";

    [GlobalSetup]
    public void Setup()
    {
        _model = ReferenceModels.Build(Model);
        var random = new Random(1);
        _sample = Enumerable.Range(0, 784).Select(_ => random.NextSingle()).ToArray();
        _output = new float[784];
    }

    [Benchmark]
    public float ReconstructOne()
    {
        _model.Reconstruct(_sample, _output);
        return _output[0];
    }
}

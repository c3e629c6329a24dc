using Autoencoder.Optimizers;
using BenchmarkDotNet.Attributes;

namespace Autoencoder.Benchmarks.Optimizers;

/// <summary>
/// How much faster is the vectorised Adam step than the scalar reference, on the 2.8M parameters of
/// DESIGN.md's M3 (784-1000-500-250-30 and its mirrored decoder)? Each invocation is one step over
/// parameters, gradients and both moments (four 11 MB buffers, so memory bandwidth bounds both).
/// </summary>
[MemoryDiagnoser]
public class AdamBenchmarks
{
    private const int Count = 2_800_000;

    private float[] _parameters = [];
    private float[] _gradients = [];
    private Adam _adam = null!;
    private Adam _reference = null!;

    [Params(false, true)]
    public bool Decoupled { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Glorot-scale weights and gradients of a few 1e-3; both optimizers warmed by one step so
        // the moments are non-zero.
        var random = new Random(7);
        _parameters = new float[Count];
        _gradients = new float[Count];
        for (int i = 0; i < Count; i++)
        {
            _parameters[i] = 0.1f * (2f * random.NextSingle() - 1f);
            _gradients[i] = 0.004f * (2f * random.NextSingle() - 1f);
        }

        _adam = new Adam(Count, 1e-3, 0.9, 0.999, 1e-8, weightDecay: 0.01, decoupledWeightDecay: Decoupled);
        _reference = new Adam(Count, 1e-3, 0.9, 0.999, 1e-8, weightDecay: 0.01, decoupledWeightDecay: Decoupled);
        _adam.Step(_parameters, _gradients);
        _reference.StepReference(_parameters, _gradients);
    }

    [Benchmark(Baseline = true)]
    public void StepReference() => _reference.StepReference(_parameters, _gradients);

    [Benchmark]
    public void Step() => _adam.Step(_parameters, _gradients);
}

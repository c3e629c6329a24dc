using System.Numerics.Tensors;
using Autoencoder.Activations;
using BenchmarkDotNet.Attributes;

namespace Autoencoder.Benchmarks.Activations;

/// <summary>
/// Where TensorPrimitives has the forward operation (ReLU as <c>Max(z, 0)</c>, sigmoid, tanh), how do
/// ours and it compare, against the scalar reference? Same 256 × 1000 batch as
/// <see cref="ActivationBenchmarks"/>. Our ReLU and sigmoid forward call TensorPrimitives, so those
/// rows should tie; tanh is our own (TensorPrimitives' loses relative precision near 0).
/// </summary>
[MemoryDiagnoser]
public class TensorPrimitivesActivationBenchmarks
{
    private const int Count = 256 * 1000;

    private float[] _z = [];
    private float[] _output = [];

    [Params(Activation.Relu, Activation.Sigmoid, Activation.Tanh)]
    public Activation Activation { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _z = new float[Count];
        for (int i = 0; i < Count; i++)
        {
            _z[i] = 8f * random.NextSingle() - 4f;
        }

        _output = new float[Count];
    }

    [Benchmark(Baseline = true)]
    public void Reference()
    {
        switch (Activation)
        {
            case Activation.Relu: Relu.ForwardReference(_z, _output); break;
            case Activation.Sigmoid: Sigmoid.ForwardReference(_z, _output); break;
            default: Tanh.ForwardReference(_z, _output); break;
        }
    }

    [Benchmark]
    public void Ours() => ActivationFunctions.Forward(Activation, _z, _output);

    [Benchmark]
    public void TensorPrimitivesForward()
    {
        switch (Activation)
        {
            case Activation.Relu: TensorPrimitives.Max(_z, 0f, _output); break;
            case Activation.Sigmoid: TensorPrimitives.Sigmoid(_z, _output); break;
            default: TensorPrimitives.Tanh(_z, _output); break;
        }
    }
}

using Autoencoder.Activations;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Autoencoder.Benchmarks.Activations;

/// <summary>
/// How much faster are the vectorised activation kernels than their scalar references? Forward and
/// backward on a 256 × 1000 batch (one hidden layer's pre-activations), out of place.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ActivationBenchmarks
{
    private const int Count = 256 * 1000;

    private float[] _z = [];
    private float[] _a = [];
    private float[] _dA = [];
    private float[] _output = [];

    [Params(Activation.Relu, Activation.LeakyRelu, Activation.Sigmoid, Activation.Tanh, Activation.Elu, Activation.Gelu, Activation.Softplus)]
    public Activation Activation { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Pre-activations of a trained layer are mostly within a few units of 0, both signs.
        var random = new Random(42);
        _z = new float[Count];
        _dA = new float[Count];
        for (int i = 0; i < Count; i++)
        {
            _z[i] = 8f * random.NextSingle() - 4f;
            _dA[i] = 2f * random.NextSingle() - 1f;
        }

        _a = new float[Count];
        _output = new float[Count];
        RunForwardReference(_a);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Forward")]
    public void ForwardReference() => RunForwardReference(_output);

    [Benchmark]
    [BenchmarkCategory("Forward")]
    public void Forward() => ActivationFunctions.Forward(Activation, _z, _output);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Backward")]
    public void BackwardReference()
    {
        switch (Activation)
        {
            case Activation.Relu: Relu.BackwardReference(_z, _dA, _output); break;
            case Activation.LeakyRelu: LeakyRelu.BackwardReference(_z, _dA, _output); break;
            case Activation.Sigmoid: Sigmoid.BackwardReference(_a, _dA, _output); break;
            case Activation.Tanh: Tanh.BackwardReference(_a, _dA, _output); break;
            case Activation.Elu: Elu.BackwardReference(_z, _a, _dA, _output); break;
            case Activation.Gelu: Gelu.BackwardReference(_z, _dA, _output); break;
            case Activation.Softplus: Softplus.BackwardReference(_z, _dA, _output); break;
            default: throw new ArgumentOutOfRangeException(nameof(Activation), Activation, "No reference.");
        }
    }

    [Benchmark]
    [BenchmarkCategory("Backward")]
    public void Backward() => ActivationFunctions.Backward(Activation, _z, _a, _dA, _output);

    private void RunForwardReference(float[] output)
    {
        switch (Activation)
        {
            case Activation.Relu: Relu.ForwardReference(_z, output); break;
            case Activation.LeakyRelu: LeakyRelu.ForwardReference(_z, output); break;
            case Activation.Sigmoid: Sigmoid.ForwardReference(_z, output); break;
            case Activation.Tanh: Tanh.ForwardReference(_z, output); break;
            case Activation.Elu: Elu.ForwardReference(_z, output); break;
            case Activation.Gelu: Gelu.ForwardReference(_z, output); break;
            case Activation.Softplus: Softplus.ForwardReference(_z, output); break;
            default: throw new ArgumentOutOfRangeException(nameof(Activation), Activation, "No reference.");
        }
    }
}

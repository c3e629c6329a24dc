using System.Diagnostics;
using Autoencoder;
using MathNet.Numerics.LinearAlgebra;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoder.Benchmarks.Peers;

/// <summary>
/// The same autoencoder in TorchSharp (libtorch CPU): Linear layers with ReLU between them and
/// logits out. Binary cross-entropy is BCEWithLogitsLoss on the logits (what our library computes
/// for a sigmoid output); mean squared error is MSELoss on sigmoid(logits).
/// </summary>
internal sealed class TorchSide : IDisposable
{
    private readonly ModelSpec _spec;
    private readonly Sequential _network;
    private readonly Linear[] _linears;
    private readonly Loss<Tensor, Tensor, Tensor> _loss;

    public TorchSide(ModelSpec spec)
    {
        _spec = spec;
        int[] widths = spec.Widths;
        _linears = new Linear[widths.Length - 1];
        var modules = new List<nn.Module<Tensor, Tensor>>();
        for (int l = 0; l < _linears.Length; l++)
        {
            _linears[l] = nn.Linear(widths[l], widths[l + 1]);
            modules.Add(_linears[l]);
            if (l < _linears.Length - 1)
            {
                modules.Add(nn.ReLU());
            }
        }

        _network = nn.Sequential(modules);
        _loss = spec.Loss == Autoencoder.Loss.BinaryCrossEntropy ? nn.BCEWithLogitsLoss() : nn.MSELoss();
    }

    /// <summary>Sets torch's intra-op and inter-op thread counts; call before any tensor work.</summary>
    public static void SetThreads(int threads)
    {
        torch.set_num_interop_threads(threads);
        torch.set_num_threads(threads);
    }

    /// <summary>Copies our model's weights: ours are [inputs, units] row-major, Linear.weight is [units, inputs].</summary>
    public void LoadWeights(SafetensorsFile file)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        for (int l = 0; l < _linears.Length; l++)
        {
            NamedTensor weight = file.Tensors[OurTensorName(l) + ".weight"];
            NamedTensor bias = file.Tensors[OurTensorName(l) + ".bias"];
            _linears[l].weight!.copy_(torch.tensor(weight.Values, weight.Shape).t());
            _linears[l].bias!.copy_(torch.tensor(bias.Values, bias.Shape));
        }
    }

    /// <summary>Writes the current weights in our layout into <paramref name="file"/> (whose metadata describes the architecture).</summary>
    public void StoreWeights(SafetensorsFile file)
    {
        using var scope = torch.NewDisposeScope();
        for (int l = 0; l < _linears.Length; l++)
        {
            using Tensor weight = _linears[l].weight!.detach().t().contiguous();
            using Tensor bias = _linears[l].bias!.detach().contiguous();
            file.Tensors[OurTensorName(l) + ".weight"] = new NamedTensor(weight.shape, weight.data<float>().ToArray());
            file.Tensors[OurTensorName(l) + ".bias"] = new NamedTensor(bias.shape, bias.data<float>().ToArray());
        }
    }

    public static Tensor ToTensor(Matrix<float> data) =>
        torch.tensor(data.ToRowMajorArray(), new long[] { data.RowCount, data.ColumnCount });

    public optim.Optimizer CreateOptimizer() => torch.optim.Adam(_network.parameters(), lr: 1e-3);

    /// <summary>One Adam step on <paramref name="batch"/>; returns the batch loss before the step.</summary>
    public double Step(optim.Optimizer optimizer, Tensor batch)
    {
        using var scope = torch.NewDisposeScope();
        optimizer.zero_grad();
        Tensor loss = Loss(batch);
        loss.backward();
        optimizer.step();
        return loss.item<float>();
    }

    /// <summary>The mean loss of reconstructing <paramref name="batch"/>, with gradients recorded.</summary>
    public Tensor Loss(Tensor batch)
    {
        Tensor logits = _network.forward(batch);
        return _spec.Loss == Autoencoder.Loss.BinaryCrossEntropy
            ? _loss.forward(logits, batch)
            : _loss.forward(torch.sigmoid(logits), batch);
    }

    public double Evaluate(Tensor data)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return Loss(data).item<float>();
    }

    /// <summary>
    /// Trains for <paramref name="batches"/> batches (or whole epochs when null) of a fresh random
    /// order each epoch, as the library does, and returns each epoch's wall time and mean loss.
    /// </summary>
    public List<(double Seconds, double Loss)> Train(optim.Optimizer optimizer, Tensor data, int batchSize, int epochs, int? batches, Action<string>? log)
    {
        long rows = data.shape[0];
        int batchesPerEpoch = (int)((rows + batchSize - 1) / batchSize);
        var results = new List<(double, double)>();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var sinceLastLine = Stopwatch.StartNew();
            using Tensor order = torch.randperm(rows);
            double lossSum = 0;
            long seen = 0;
            int count = Math.Min(batches ?? batchesPerEpoch, batchesPerEpoch);
            for (int b = 0; b < count; b++)
            {
                long start = (long)b * batchSize;
                long size = Math.Min(batchSize, rows - start);
                using var scope = torch.NewDisposeScope();
                Tensor batch = data.index_select(0, order.narrow(0, start, size));
                lossSum += Step(optimizer, batch) * size;
                seen += size;
                if (log is not null && sinceLastLine.Elapsed.TotalSeconds >= 10)
                {
                    sinceLastLine.Restart();
                    log($"epoch {epoch}/{epochs} {seen}/{rows} samples, loss {lossSum / seen:F5}, {seen / clock.Elapsed.TotalSeconds:F0} samples/s");
                }
            }

            results.Add((clock.Elapsed.TotalSeconds, lossSum / seen));
        }

        return results;
    }

    /// <summary>Reconstructs one sample (sigmoid of the logits) into <paramref name="output"/>, without gradients.</summary>
    public void Reconstruct(float[] sample, float[] output)
    {
        using var scope = torch.NewDisposeScope();
        using Tensor input = torch.tensor(sample, new long[] { 1, sample.Length });
        using Tensor result = torch.sigmoid(_network.forward(input));
        result.data<float>().CopyTo(output);
    }

    public LatencyResult MeasureLatency(float[][] samples, BenchmarkOptions options)
    {
        using var inference = torch.inference_mode();
        var output = new float[ModelSpec.InputSize];
        for (int i = 0; i < options.LatencyWarmupCalls; i++)
        {
            Reconstruct(samples[i % samples.Length], output);
        }

        var ticks = new long[options.LatencyCalls];
        for (int i = 0; i < ticks.Length; i++)
        {
            float[] sample = samples[i % samples.Length];
            long start = Stopwatch.GetTimestamp();
            Reconstruct(sample, output);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        return LatencyResult.FromTicks(ticks);
    }

    public void Dispose()
    {
        _network.Dispose();
        _loss.Dispose();
    }

    private string OurTensorName(int layer) =>
        layer < _spec.Encoder.Length ? $"encoder.{layer}" : $"decoder.{layer - _spec.Encoder.Length}";
}

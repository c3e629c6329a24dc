using System.Diagnostics;
using Autoencoder;
using MathNet.Numerics.LinearAlgebra;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoder.Benchmarks.Peers;

/// <summary>
/// The same autoencoder in TorchSharp (libtorch CPU), with logits out. A dense model is Linear
/// layers with ReLU between them; a convolutional one takes each row as a 1×28×28 image (NCHW) and
/// is Conv2d (padding 1 for a 'same' 3×3), MaxPool2d(2) (ceil_mode for 'same', which pads the
/// extra row and column at the bottom and right as Keras does) and nearest Upsample(2) layers,
/// ReLU after every convolution but the last, flattened back to rows at the end. Binary
/// cross-entropy is BCEWithLogitsLoss on the logits (what our library computes for a sigmoid
/// output); mean squared error is MSELoss on sigmoid(logits).
/// </summary>
internal sealed class TorchSide : IDisposable
{
    private readonly ModelSpec _spec;
    private readonly Sequential _network;
    private readonly List<WeightedLayer> _weighted = [];
    private readonly Loss<Tensor, Tensor, Tensor> _loss;

    public TorchSide(ModelSpec spec)
    {
        _spec = spec;
        _network = nn.Sequential(spec.IsConvolutional ? ConvolutionalModules(spec) : DenseModules(spec));
        _loss = spec.Loss == Autoencoder.Loss.BinaryCrossEntropy ? nn.BCEWithLogitsLoss() : nn.MSELoss();
    }

    /// <summary>Sets torch's intra-op and inter-op thread counts; call before any tensor work.</summary>
    public static void SetThreads(int threads)
    {
        torch.set_num_interop_threads(threads);
        torch.set_num_threads(threads);
    }

    /// <summary>
    /// Copies our model's weights. A dense layer's are [inputs, units] row-major, Linear.weight is
    /// [units, inputs]; a convolution's are HWIO [kh, kw, in, out], Conv2d.weight is OIHW.
    /// </summary>
    public void LoadWeights(SafetensorsFile file)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        foreach (WeightedLayer layer in _weighted)
        {
            NamedTensor weight = file.Tensors[layer.Name + ".weight"];
            NamedTensor bias = file.Tensors[layer.Name + ".bias"];
            Tensor ours = torch.tensor(weight.Values, weight.Shape);
            layer.Weight.copy_(layer.Convolution ? ours.permute(3, 2, 0, 1) : ours.t());
            layer.Bias.copy_(torch.tensor(bias.Values, bias.Shape));
        }
    }

    /// <summary>Writes the current weights in our layout into <paramref name="file"/> (whose metadata describes the architecture).</summary>
    public void StoreWeights(SafetensorsFile file)
    {
        using var scope = torch.NewDisposeScope();
        foreach (WeightedLayer layer in _weighted)
        {
            Tensor detached = layer.Weight.detach();
            using Tensor weight = (layer.Convolution ? detached.permute(2, 3, 1, 0) : detached.t()).contiguous();
            using Tensor bias = layer.Bias.detach().contiguous();
            file.Tensors[layer.Name + ".weight"] = new NamedTensor(weight.shape, weight.data<float>().ToArray());
            file.Tensors[layer.Name + ".bias"] = new NamedTensor(bias.shape, bias.data<float>().ToArray());
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

    private List<nn.Module<Tensor, Tensor>> DenseModules(ModelSpec spec)
    {
        int[] widths = spec.Widths;
        var modules = new List<nn.Module<Tensor, Tensor>>();
        for (int l = 0; l < widths.Length - 1; l++)
        {
            Linear linear = nn.Linear(widths[l], widths[l + 1]);
            string name = l < spec.Encoder.Length ? $"encoder.{l}" : $"decoder.{l - spec.Encoder.Length}";
            _weighted.Add(new WeightedLayer(name, linear.weight!, linear.bias!, Convolution: false));
            modules.Add(linear);
            if (l < widths.Length - 2)
            {
                modules.Add(nn.ReLU());
            }
        }

        return modules;
    }

    private List<nn.Module<Tensor, Tensor>> ConvolutionalModules(ModelSpec spec)
    {
        ImageShape image = ModelSpec.InputImage;
        var modules = new List<nn.Module<Tensor, Tensor>> { nn.Unflatten(1, [image.Channels, image.Height, image.Width]) };
        var layers = spec.ImageLayers().ToList();
        for (int l = 0; l < layers.Count; l++)
        {
            (ImageLayer layer, string stack, int index, ImageShape input) = layers[l];
            bool last = l == layers.Count - 1;
            switch (layer.Kind)
            {
                case ImageLayerKind.Conv:
                    // Stride 1 and an odd kernel: Keras' 'same' pads (k - 1) / 2 on every side.
                    Conv2d conv = nn.Conv2d(input.Channels, layer.Filters, layer.Size, padding: layer.Padding == Autoencoder.Padding.Same ? layer.Size / 2 : 0);
                    _weighted.Add(new WeightedLayer($"{stack}.{index}", conv.weight!, conv.bias!, Convolution: true));
                    modules.Add(conv);
                    if (layer.Activation != (last ? Activation.Sigmoid : Activation.Relu))
                    {
                        throw new NotSupportedException($"{spec.Name}: only ReLU hidden convolutions and a sigmoid last one are built; {stack}.{index} is {layer.Activation}.");
                    }

                    if (!last)
                    {
                        modules.Add(nn.ReLU());
                    }

                    break;
                case ImageLayerKind.MaxPool:
                    // 'same' pooling by 2 adds a window over the last row and column of an odd size (7 → 4), padding at the bottom and right only.
                    modules.Add(nn.MaxPool2d(layer.Size, ceil_mode: layer.Padding == Autoencoder.Padding.Same));
                    break;
                default:
                    modules.Add(nn.Upsample(scale_factor: [layer.Size, layer.Size], mode: UpsampleMode.Nearest));
                    break;
            }
        }

        if (!layers[^1].Layer.HasWeights)
        {
            throw new NotSupportedException($"{spec.Name}: the last layer must be the sigmoid convolution.");
        }

        modules.Add(nn.Flatten());
        return modules;
    }

    /// <summary>A layer with weights, by its tensors' name in our model file.</summary>
    private sealed record WeightedLayer(string Name, Parameter Weight, Parameter Bias, bool Convolution);
}

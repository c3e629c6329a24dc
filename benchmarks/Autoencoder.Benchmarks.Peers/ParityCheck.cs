using Autoencoder;
using MathNet.Numerics.LinearAlgebra;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoder.Benchmarks.Peers;

/// <summary>
/// Checks that both sides compute the same training: the model (M1 by default) starts from our
/// initial weights on both sides, then takes the same Adam steps on the same batches in order (no shuffling). The step
/// losses must agree to <see cref="LossTolerance"/>.
/// </summary>
internal static class ParityCheck
{
    /// <summary>
    /// Float32 sums over 256×784 elements in a different order on each side differ by about 1e-7
    /// relative; 1e-4 leaves room for the tiny weight differences a few steps accumulate.
    /// </summary>
    public const double LossTolerance = 1e-4;

    public static ParityResult Run(Matrix<float> images, int batchSize, ModelSpec spec, int stepCount)
    {
        int rows = Math.Min(images.RowCount, stepCount * batchSize);
        int steps = (rows + batchSize - 1) / batchSize;
        Matrix<float> subset = images.SubMatrix(0, rows, 0, images.ColumnCount);

        byte[] initial = Serialize(spec.BuildOurs(OurSide.Seed));
        SafetensorsFile initialFile = SafetensorsFile.Read(initial);

        // Ours: the running mean loss is reported after every batch; recover each batch's own loss.
        AutoencoderModel ours = AutoencoderModel.Load(new MemoryStream(initial));
        var progress = new StepLosses(batchSize, rows);
        ours.Fit(subset, OurSide.Options(spec, 1, batchSize) with { Shuffle = false, Progress = progress });

        using var peer = new TorchSide(spec);
        peer.LoadWeights(initialFile);
        using Tensor data = TorchSide.ToTensor(subset);
        using optim.Optimizer optimizer = peer.CreateOptimizer();
        var peerLosses = new double[steps];
        for (int s = 0; s < steps; s++)
        {
            using Tensor batch = data.narrow(0, (long)s * batchSize, Math.Min(batchSize, rows - s * batchSize));
            peerLosses[s] = peer.Step(optimizer, batch);
        }

        double maxLoss = progress.Losses.Zip(peerLosses, (a, b) => Math.Abs(a - b)).Max();

        // Weights after the steps, compared in our layout.
        SafetensorsFile oursAfter = SafetensorsFile.Read(Serialize(ours));
        var peerAfter = new SafetensorsFile();
        foreach (var (key, value) in initialFile.Metadata)
        {
            peerAfter.Metadata[key] = value;
        }

        peer.StoreWeights(peerAfter);
        double maxWeight = 0;
        foreach (var (name, tensor) in oursAfter.Tensors)
        {
            float[] other = peerAfter.Tensors[name].Values;
            for (int i = 0; i < other.Length; i++)
            {
                maxWeight = Math.Max(maxWeight, Math.Abs(tensor.Values[i] - other[i]));
            }
        }

        // The peer's final weights, loaded into our library, must give the peer's loss.
        AutoencoderModel peerInOurs = AutoencoderModel.Load(new MemoryStream(peerAfter.ToBytes()));
        double oursOnPeer = peerInOurs.Evaluate(subset, spec.Loss);
        double peerOnPeer = peer.Evaluate(data);

        return new ParityResult(spec.Name, steps, batchSize, progress.Losses, peerLosses, maxLoss, maxWeight, oursOnPeer, peerOnPeer);
    }

    private static byte[] Serialize(AutoencoderModel model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }

    /// <summary>Turns the running mean loss reported after each batch back into per-batch losses.</summary>
    private sealed class StepLosses(int batchSize, int rows) : IProgress<TrainingProgress>
    {
        private readonly List<double> _losses = [];
        private double _previousSum;

        public double[] Losses => _losses.ToArray();

        public void Report(TrainingProgress value)
        {
            if (value.EpochCompleted)
            {
                return;
            }

            int seen = Math.Min(value.Batch * batchSize, rows);
            int size = seen - Math.Min((value.Batch - 1) * batchSize, rows);
            double sum = value.Loss * seen;
            _losses.Add((sum - _previousSum) / size);
            _previousSum = sum;
        }
    }
}

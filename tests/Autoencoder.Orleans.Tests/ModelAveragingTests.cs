using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Orleans.Tests;

/// <summary>
/// Model averaging on three silos: each replica steps on its own slice, and every H steps and at
/// every epoch's end the parameters and Adam's moments are summed in rank order and multiplied by
/// 1/K. The model is bit-identical to three thread replicas doing that arithmetic through the
/// public seam, and it learns.
/// </summary>
[Collection(nameof(ThreeSilos))]
public class ModelAveragingTests(ThreeSilos silos)
{
    private const int Interval = 4;

    private static readonly Matrix<float> Data = TestRows.LowRank(203, 24, rank: 5, seed: 11);

    private static AutoencoderModel Model() =>
        new AutoencoderBuilder(24).AddEncoderLayer(16).WithLatent(6).WithOutputActivation(Activation.Sigmoid).WithSeed(3).Build();

    private static TrainingOptions Options => new() { Epochs = 3, BatchSize = 32, Loss = Loss.BinaryCrossEntropy, Seed = 9, ValidationFraction = 0.1 };

    [Fact]
    public async Task Averaging_EndsBitIdenticalToThreadReplicasAveragingInRankOrder()
    {
        AutoencoderModel expected = Reference(3);
        DistributedTrainingResult result = await new DistributedTrainer(silos.Cluster.Client).FitAsync(
            Model(), DistributedSource.FromMatrix(Data), Options, new DistributedOptions { Mode = DistributedMode.ModelAveraging, AveragingInterval = Interval });

        Assert.Equal(File(expected), File(result.Model));
        Assert.True(result.History.TrainLoss[^1] < result.History.TrainLoss[0], string.Join(", ", result.History.TrainLoss));

        // 183 training rows in batches of 32: 6 steps an epoch; averaging after steps 4, 6, 8, 12, 16, 18,
        // each sending and receiving the parameters and Adam's two moments.
        int averagings = Enumerable.Range(1, 18).Count(s => s % Interval == 0 || s % 6 == 0);
        long perAveraging = 2 * ((4L * 3 * expected.ParameterCount) + 8);
        Assert.All(result.Replicas, r => Assert.Equal(18, r.Steps));
        Assert.All(result.Replicas, r => Assert.Equal(averagings * perAveraging, r.BytesExchanged));
    }

    [Fact]
    public async Task AveragingInterval_BelowOne_IsRefused()
    {
        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new DistributedTrainer(silos.Cluster.Client).FitAsync(
            Model(), DistributedSource.FromMatrix(Data), Options, new DistributedOptions { Mode = DistributedMode.ModelAveraging, AveragingInterval = 0 }));
        Assert.Contains("distributed.AveragingInterval must be at least 1; got 0", e.Message);
    }

    /// <summary>K replicas on threads, each averaging through <see cref="IGradientReducer.Synchronize"/> with a barrier.</summary>
    private static AutoencoderModel Reference(int replicas)
    {
        var barrier = new Barrier(replicas);
        var slots = new float[replicas][];
        var models = new AutoencoderModel[replicas];
        var threads = Enumerable.Range(0, replicas).Select(rank => new Thread(() =>
        {
            models[rank] = Model();
            models[rank].Fit(Data, Options with { GradientReducer = new Averaging(barrier, slots, rank) });
        })).ToArray();
        foreach (Thread t in threads)
        {
            t.Start();
        }

        foreach (Thread t in threads)
        {
            t.Join();
        }

        return models[0];
    }

    private static byte[] File(AutoencoderModel model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }

    private sealed class Averaging(Barrier barrier, float[][] slots, int rank) : IGradientReducer
    {
        private long _steps;

        public int Replicas => slots.Length;

        public int Rank => rank;

        public bool SumsGradients => false;

        public double Reduce(GradientStep step, Span<float> gradients, Span<float> state, double loss) => throw new InvalidOperationException("not called");

        public void Synchronize(GradientStep step, Span<float> parameters, Span<float> state, IReadOnlyList<float[]> optimizerState)
        {
            if (++_steps % Interval != 0 && step.Batch != step.Batches - 1)
            {
                return;
            }

            float[] mine = [.. parameters.ToArray(), .. state.ToArray(), .. optimizerState.SelectMany(b => b)];
            slots[rank] = mine;
            barrier.SignalAndWait();
            var mean = (float[])slots[0].Clone();
            for (int k = 1; k < Replicas; k++)
            {
                for (int i = 0; i < mean.Length; i++)
                {
                    mean[i] += slots[k][i];
                }
            }

            for (int i = 0; i < mean.Length; i++)
            {
                mean[i] *= 1f / Replicas;
            }

            barrier.SignalAndWait();
            mean.AsSpan(0, parameters.Length).CopyTo(parameters);
            mean.AsSpan(parameters.Length, state.Length).CopyTo(state);
            int offset = parameters.Length + state.Length;
            foreach (float[] buffer in optimizerState)
            {
                mean.AsSpan(offset, buffer.Length).CopyTo(buffer);
                offset += buffer.Length;
            }
        }
    }
}

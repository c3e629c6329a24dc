using Autoencoder.Testing;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder.Tests.Training;

/// <summary>
/// Data parallelism's arithmetic in one process: a batch cut into slices whose weighted gradients
/// are added in order stays within float rounding of the whole batch, and K replicas exchanging
/// their slices through an <see cref="IGradientReducer"/> end with the same bits as one process
/// computing all K slices.
/// </summary>
public class BatchSlicesTests
{
    private static readonly Matrix<float> Data = TestData.LowRank(203, 24, rank: 5, seed: 11);

    private static AutoencoderModel Plain() =>
        new AutoencoderBuilder(24).AddEncoderLayer(16).WithLatent(6).WithOutputActivation(Activation.Sigmoid).WithSeed(3).Build();

    /// <summary>Dropout and input noise draw from every slice's generator; batch normalization keeps statistics.</summary>
    private static AutoencoderModel Drawing() =>
        new AutoencoderBuilder(24)
            .AddEncoderLayer(16, Activation.Relu, new LayerOptions { Dropout = 0.2, BatchNormalization = true })
            .WithLatent(6)
            .WithOutputActivation(Activation.Sigmoid).WithSeed(4).Build();

    private static TrainingOptions Options(int slices = 1, IGradientReducer? reducer = null, InputCorruption? corruption = null) => new()
    {
        Epochs = 3,
        BatchSize = 32,
        Loss = Loss.BinaryCrossEntropy,
        Seed = 9,
        BatchSlices = slices,
        GradientReducer = reducer,
        Corruption = corruption,
    };

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Slices_StayWithinFloatRoundingOfTheWholeBatch(int slices)
    {
        AutoencoderModel whole = Plain(), sliced = Plain();
        TrainingHistory a = whole.Fit(Data, Options());
        TrainingHistory b = sliced.Fit(Data, Options(slices));

        float[] w = whole.Network.Parameters, s = sliced.Network.Parameters;
        double largest = 0;
        for (int i = 0; i < w.Length; i++)
        {
            largest = Math.Max(largest, Math.Abs(w[i] - s[i]));
        }

        // 21 Adam steps of about 1e-3 each: rounding moves a weight by far less than one step.
        Assert.True(largest < 1e-5, $"largest weight difference {largest:G3}");
        Assert.True(largest > 0, "the sliced run should differ from the whole batch by rounding at least once");
        for (int e = 0; e < a.Epochs.Count; e++)
        {
            Assert.Equal(a.Epochs[e].TrainLoss, b.Epochs[e].TrainLoss, 1e-6);
        }
    }

    [Fact]
    public void OneSlice_IsTheWholeBatch()
    {
        AutoencoderModel whole = Plain(), one = Plain();
        whole.Fit(Data, Options());
        one.Fit(Data, Options(1));
        Assert.Equal(whole.Network.Parameters, one.Network.Parameters);
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(3, true)]
    public void Replicas_ThroughAReducer_EndBitIdenticalToOneProcessWithAsManySlices(int replicas, bool drawing)
    {
        InputCorruption? noise = drawing ? new GaussianNoise(0.1) : null;
        AutoencoderModel reference = drawing ? Drawing() : Plain();
        TrainingHistory expected = reference.Fit(Data, Options(replicas, corruption: noise));

        var histories = new TrainingHistory[replicas];
        var steps = new List<GradientStep>();
        var models = new AutoencoderModel[replicas];
        ThreadReplicas.Run(
            replicas,
            (rank, reducer) =>
            {
                models[rank] = drawing ? Drawing() : Plain();
                histories[rank] = models[rank].Fit(Data, Options(reducer: reducer, corruption: noise));
                return 0;
            },
            steps);

        // 203 rows in batches of 32: 7 batches an epoch, the last of 11 rows.
        Assert.Equal(21, steps.Count);
        Assert.Equal(new GradientStep(1, 6, 11, 7), steps[6]);
        for (int r = 0; r < replicas; r++)
        {
            AssertSameBits(reference.Network.Parameters, models[r].Network.Parameters, $"replica {r}'s weights");
            AssertSameBits(reference.Network.State, models[r].Network.State, $"replica {r}'s running statistics");
            Assert.Equal(expected.Epochs.Select(e => e.TrainLoss), histories[r].Epochs.Select(e => e.TrainLoss));
        }
    }

    [Fact]
    public void Reducer_OfOneReplica_IsCalledEveryStep()
    {
        var counting = new Counting();
        Plain().Fit(Data, Options(reducer: counting));
        Assert.Equal(21, counting.Calls);
    }

    [Fact]
    public void ShortLastBatch_WithFewerRowsThanSlices_LeavesTheEmptySlicesOut()
    {
        // 65 rows in batches of 32: the last batch has one row, so two of three slices are empty.
        Matrix<float> rows = TestData.LowRank(65, 24, rank: 5, seed: 12);
        AutoencoderModel whole = Plain(), sliced = Plain();
        TrainingHistory a = whole.Fit(rows, Options() with { Shuffle = false });
        TrainingHistory b = sliced.Fit(rows, Options(3) with { Shuffle = false });
        Assert.All(b.Epochs, e => Assert.True(double.IsFinite(e.TrainLoss)));
        Assert.Equal(a.Epochs[^1].TrainLoss, b.Epochs[^1].TrainLoss, 1e-6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    public void BatchSlices_OutsideOneToBatchSize_IsRefused(int slices)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Plain().Fit(Data, Options(slices)));
        Assert.Contains($"options.BatchSlices must be in [1, 32]; got {slices}", e.Message);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(2, 2)]
    [InlineData(2, -1)]
    [InlineData(40, 1)]
    public void Reducer_WithImpossibleRankOrReplicas_IsRefused(int replicas, int rank)
    {
        var e = Assert.Throws<ArgumentException>(() => Plain().Fit(Data, Options(reducer: new Fixed(replicas, rank))));
        Assert.Contains($"got {replicas} replicas and rank {rank}", e.Message);
    }

    [Fact]
    public void Reducer_AndBatchSlices_Together_AreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Plain().Fit(Data, Options(2, new Fixed(2, 0))));
        Assert.Contains("options.BatchSlices must be 1 with a gradient reducer, whose replicas are the slices; got 2 with 2 replicas", e.Message);
    }

    [Fact]
    public void BatchNormalization_WithSlicesOfOneRow_IsRefused()
    {
        // 203 rows in batches of 32 cut in 16: full slices have 2 rows, the last batch's (11 rows) 0 or 1.
        var e = Assert.Throws<ArgumentException>(() => Drawing().Fit(Data, Options(16)));
        Assert.Contains("needs at least 2 rows in every slice of a batch; with 203 training rows, batch size 32 and 16 slices a slice would have 0", e.Message);
    }

    [Fact]
    public void Reducer_Failing_EndsTheRunWithItsException()
    {
        AutoencoderModel model = Plain();
        var e = Assert.Throws<InvalidOperationException>(() => model.Fit(Data, Options(reducer: new Failing())));
        Assert.Equal("the other replicas are gone", e.Message);
    }

    private static void AssertSameBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}, value {i}: one process {expected[i]:R}, replica {actual[i]:R}");
            }
        }
    }

    private sealed class Fixed(int replicas, int rank) : IGradientReducer
    {
        public int Replicas => replicas;

        public int Rank => rank;

        public double Reduce(GradientStep step, Span<float> gradients, Span<float> state, double loss) => loss;
    }

    private sealed class Counting : IGradientReducer
    {
        public int Calls { get; private set; }

        public int Replicas => 1;

        public int Rank => 0;

        public double Reduce(GradientStep step, Span<float> gradients, Span<float> state, double loss)
        {
            Calls++;
            return loss;
        }
    }

    private sealed class Failing : IGradientReducer
    {
        public int Replicas => 2;

        public int Rank => 1;

        public double Reduce(GradientStep step, Span<float> gradients, Span<float> state, double loss) =>
            throw new InvalidOperationException("the other replicas are gone");
    }
}

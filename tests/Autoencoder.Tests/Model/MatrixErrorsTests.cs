using Autoencoder.Data;
using Autoencoder.Model;
using Autoencoder.Training;
using Autoencoder.Tests.Training;
using MathNet.Numerics.LinearAlgebra;
using static System.FormattableString;

namespace Autoencoder.Tests.Model;

/// <summary>
/// <c>ReconstructionErrors</c> on a MathNet matrix sums each row's losses feature-major, in the
/// matrix's own layout, when the network and the loss allow it, and row-major otherwise: either way
/// every row's error must have the bits the row-major span call gives, for every built-in loss (from
/// logits and from probabilities), widths with and without a tail past the sums' sixteen lanes, a
/// short matrix read where it lies and a tall one gathered first, and a loss defined outside the library.
/// </summary>
[Collection(nameof(GlobalSettingsCollection))]
public class MatrixErrorsTests
{
    /// <summary>A loss of the caller's own: no feature-major kernel, so the row-major path.</summary>
    private sealed class CubedDifference : Loss
    {
        public override double Value(float prediction, float target) => Math.Pow(Math.Abs((double)prediction - target), 3);

        public override double Derivative(float prediction, float target) => 3 * Math.Pow((double)prediction - target, 2) * Math.Sign(prediction - target);
    }

    private static readonly Dictionary<string, Loss> Losses = new()
    {
        ["mean squared error"] = Loss.MeanSquaredError,
        ["binary cross-entropy"] = Loss.BinaryCrossEntropy,
        ["mean absolute error"] = Loss.MeanAbsoluteError,
        ["huber"] = Loss.Huber(0.25),
        ["a loss of the caller's own"] = new CubedDifference(),
    };

    private static readonly Dictionary<string, Func<AutoencoderBuilder>> Models = new()
    {
        // 37 features: two whole blocks of sixteen terms and a tail of five.
        ["sigmoid output, 37 wide"] = () => new AutoencoderBuilder(37).AddEncoderLayer(19).WithLatent(5, Activation.Relu).WithOutputActivation(Activation.Sigmoid),
        // Not a sigmoid: binary cross-entropy from the (clamped) outputs, not the logits; 11 features, all tail.
        ["tanh output, 11 wide"] = () => new AutoencoderBuilder(11).AddEncoderLayer(9, Activation.Gelu).WithLatent(6, Activation.Tanh).WithOutputActivation(Activation.Tanh),
        ["batch normalization, 48 wide"] = () => new AutoencoderBuilder(48)
            .AddEncoderLayer(20, Activation.Relu, new LayerOptions { BatchNormalization = true, Dropout = 0.2 })
            .WithLatent(4, Activation.Elu, new LayerOptions { BatchNormalization = true })
            .WithOutputActivation(Activation.Sigmoid),
        ["variational, 17 wide"] = () => new AutoencoderBuilder(17).AddEncoderLayer(9).WithVariationalLatent(3).WithOutputActivation(Activation.Sigmoid),
    };

    public static TheoryData<string, string, int> Cases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (string model in Models.Keys)
        {
            foreach (string loss in Losses.Keys)
            {
                data.Add(model, loss, 200);
                data.Add(model, loss, 1100);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ReconstructionErrorsOfAMatrix_GiveTheRowMajorCallsBits(string modelName, string lossName, int rows)
    {
        int saved = Parallelism.MaxDegreeOfParallelism;
        Parallelism.MaxDegreeOfParallelism = 2; // the blocks' sizes, and so the paths, depend on it
        try
        {
            AutoencoderModel model = Models[modelName]().WithSeed(5).Build();
            Network network = model.Network;
            var random = new Random(rows + modelName.Length);
            RowBatchModels.Randomize(network, random);
            Loss loss = Losses[lossName];
            bool featureMajor = network.RunsFeatureMajor(0, network.Layers.Count) && new Autoencoder.Losses.LossFunction(loss, network.OutputActivation).SumsFeatureMajor(model.InputSize);
            Assert.Equal(!modelName.StartsWith("variational", StringComparison.Ordinal) && loss is not CubedDifference, featureMajor);
            Assert.True(rows <= BatchInference.FeatureMajorCopyRows == (rows == 200));

            // Values in [0, 1], as binary cross-entropy needs.
            Matrix<float> x = Matrix<float>.Build.Dense(rows, model.InputSize, (_, _) => (float)random.NextDouble());
            var expected = new float[rows];
            model.ReconstructionErrors(RowMajor.ToArray(x), rows, loss, expected);
            float[] actual = model.ReconstructionErrors(x, loss).ToArray();
            for (int i = 0; i < rows; i++)
            {
                Assert.True(
                    BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                    Invariant($"{modelName}, {lossName}, {rows} rows: row {i} has {actual[i]:R}; the row-major call gives {expected[i]:R}"));
            }

            // The sums in double, before the division and rounding to float hide their last bits.
            var lossFunction = new Autoencoder.Losses.LossFunction(loss, network.OutputActivation);
            var rowMajorSums = new double[rows];
            var matrixSums = new double[rows];
            Scoring.RowLossSums(network, lossFunction, RowMajor.ToArray(x), rows, rowMajorSums);
            Assert.True(BatchInference.MatrixRowLossSums(network, lossFunction, loss.TargetRule, x.AsColumnMajorArray(), rows, matrixSums));
            for (int i = 0; i < rows; i++)
            {
                Assert.True(
                    BitConverter.DoubleToInt64Bits(rowMajorSums[i]) == BitConverter.DoubleToInt64Bits(matrixSums[i]),
                    Invariant($"{modelName}, {lossName}, {rows} rows: row {i}'s sum is {matrixSums[i]:R}; row-major {rowMajorSums[i]:R}"));
            }
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    [Theory]
    [InlineData(200)]
    [InlineData(1100)]
    public void ReconstructionErrorsOfAMatrix_RefuseATargetOutsideTheLossDomain_ByRowAndColumn(int rows)
    {
        AutoencoderModel model = Models["sigmoid output, 37 wide"]().WithSeed(5).Build();
        Matrix<float> x = TestData.Matrix(rows, 37, seed: 3);
        x[rows - 7, 30] = 1.5f; // finite, but not a binary cross-entropy target
        var e = Assert.Throws<ArgumentException>(() => model.ReconstructionErrors(x, Loss.BinaryCrossEntropy));
        Assert.Contains(Invariant($"row {rows - 7}, column 30"), e.Message);
        Assert.Equal(rows, model.ReconstructionErrors(x, Loss.MeanSquaredError).Count); // no domain for this loss
    }
}

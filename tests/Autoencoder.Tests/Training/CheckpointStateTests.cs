using Autoencoder.Model;
using Autoencoder.Optimizers;
using Autoencoder.Training;

namespace Autoencoder.Tests.Training;

/// <summary>
/// Each part of a run saves its own named state and reads it back: what it wrote comes back
/// exactly, and a value it never writes is refused by the part itself, in its own words.
/// </summary>
public sealed class CheckpointStateTests
{
    private static Adam NewAdam(int parameters) => new(parameters, learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, decoupledWeightDecay: false);

    private static Sgd NewSgd(int parameters, double momentum) => new(parameters, learningRate: 0.1, momentum: momentum, nesterov: false, weightDecay: 0);

    [Fact]
    public void Adam_SavedAndRestored_ContinuesBitIdentically()
    {
        Adam trained = NewAdam(3), restored = NewAdam(3);
        float[] p = [0.5f, -1f, 2f], q;
        trained.Step(p, [0.1f, -0.2f, 0.3f]);
        trained.Step(p, [0.4f, 0.5f, -0.6f]);
        q = (float[])p.Clone();
        var state = new NamedState();
        trained.SaveState(state);
        OptimizerState.Check(state, samplesSeen: 2);
        restored.RestoreState(state);

        Assert.Equal(2, restored.Steps);
        trained.Step(p, [1f, 1f, 1f]);
        restored.Step(q, [1f, 1f, 1f]);
        Assert.Equal(p, q);
        Assert.Equal(trained.SecondMoment.ToArray(), restored.SecondMoment.ToArray());
    }

    [Fact]
    public void Adam_NegativeSecondMoment_IsRefusedByAdam()
    {
        Adam adam = NewAdam(2);
        adam.Step(new float[2], [1f, 1f]);
        var state = new NamedState();
        adam.SaveState(state);
        state.GetTensor("optimizer.v")[1] = -1e-3f;

        Assert.Contains("never negative", Assert.Throws<ModelFormatException>(() => OptimizerState.Check(state, samplesSeen: 10)).Message);
        Assert.Contains("never negative", Assert.Throws<ModelFormatException>(() => NewAdam(2).RestoreState(state)).Message);
    }

    [Fact]
    public void Sgd_MomentumBeforeTheFirstStep_IsRefusedBySgd()
    {
        var state = new NamedState();
        NewSgd(2, momentum: 0.9).SaveState(state);
        state.GetTensor("optimizer.momentum")[0] = 0.5f;
        Assert.Contains("before the first step", Assert.Throws<ModelFormatException>(() => NewSgd(2, momentum: 0.9).RestoreState(state)).Message);
    }

    [Fact]
    public void Optimizer_StateOfAnotherOptimizer_IsRefused()
    {
        var state = new NamedState();
        NewSgd(2, momentum: 0).SaveState(state);
        Assert.Equal("", state.GetText("optimizer_state"));
        var error = Assert.Throws<ModelFormatException>(() => NewAdam(2).RestoreState(state));
        Assert.Contains("optimizer state [] but the optimizer", error.Message);
    }

    [Fact]
    public void EarlyStopping_SavedAndRestored_KeepsEverything()
    {
        var saved = new EarlyStoppingState { BestLoss = 0.25, BestEpoch = 3, EpochsWithoutImprovement = 1, BestWeights = [1f, 2f, 3f, 4f] };
        var state = new NamedState();
        saved.SaveState(state);

        EarlyStoppingState restored = EarlyStoppingState.RestoreState(state, completedEpochs: 4, out bool? keeps);
        Assert.True(keeps);
        Assert.Equal((0.25, 3, 1), (restored.BestLoss, restored.BestEpoch, restored.EpochsWithoutImprovement));
        Assert.Equal(saved.BestWeights, restored.BestWeights);
        Assert.Contains("inconsistent", Assert.Throws<ModelFormatException>(() => EarlyStoppingState.RestoreState(state, completedEpochs: 2, out _)).Message);
    }

    [Fact]
    public void EarlyStopping_BeforeTheFirstEpoch_HoldsNoBestWeightsYet()
    {
        var state = new NamedState();
        new EarlyStoppingState { BestWeights = new float[4] }.SaveState(state);
        Assert.False(state.HasTensor(EarlyStoppingState.BestWeightsTensor));

        EarlyStoppingState restored = EarlyStoppingState.RestoreState(state, completedEpochs: 0, out bool? keeps);
        Assert.True(keeps);
        Assert.Equal(double.PositiveInfinity, restored.BestLoss);
        Assert.Null(restored.BestEpoch);
        Assert.Null(restored.BestWeights); // the resumed run allocates its own
    }

    [Fact]
    public void Plateau_SavedAndRestored_KeepsEverything_AndItsDeclarationMustMatch()
    {
        var saved = new ReduceOnPlateau.PlateauState(0.005, double.PositiveInfinity, 2, 1);
        var state = new NamedState();
        ReduceOnPlateau.PlateauState.Save(saved, state);
        Assert.Equal(saved, ReduceOnPlateau.PlateauState.Restore(state));

        state.SetFlag("plateau_schedule", false);
        Assert.Contains("declares no such schedule", Assert.Throws<ModelFormatException>(() => ReduceOnPlateau.PlateauState.Restore(state)).Message);

        var none = new NamedState();
        ReduceOnPlateau.PlateauState.Save(null, none);
        Assert.Null(ReduceOnPlateau.PlateauState.Restore(none));
    }

    [Fact]
    public void Plateau_StateNoRunOfTheScheduleReaches_IsNotAdmitted()
    {
        var schedule = new ReduceOnPlateau(Patience: 2, Cooldown: 1);
        Assert.True(schedule.Admits(new ReduceOnPlateau.PlateauState(0.1, 1, 2, 1)));
        Assert.False(schedule.Admits(new ReduceOnPlateau.PlateauState(0.1, 1, 3, 0)));
        Assert.False(schedule.Admits(new ReduceOnPlateau.PlateauState(0.1, 1, 0, 2)));
    }

    [Fact]
    public void TrainingState_SavedAndRestored_KeepsThePositionOrderGeneratorAndHistory()
    {
        var random = new Pcg32(5, 2);
        var saved = new TrainingState(6, random) { Epoch = 2, Batch = 1, EpochStarted = true, LossSum = 1.5, EpochSamples = 4, SamplesSeen = 10, LastValidation = 0.75, LearningRate = 0.01 };
        saved.Random.Shuffle(saved.Order);
        saved.History.Add(new EpochResult(1, 0.5, 0.75, TimeSpan.FromTicks(1234), 0.01));
        var state = new NamedState();
        saved.SaveState(state);

        TrainingState restored = TrainingState.RestoreState(state, out CheckpointHistory history);
        Assert.Equal(saved.Order, restored.Order);
        Assert.Equal(saved.Random.NextUInt32(), restored.Random.NextUInt32());
        Assert.Equal((2, 1, true, 1.5, 4, 10L, (double?)0.75, 0.01), (restored.Epoch, restored.Batch, restored.EpochStarted, restored.LossSum, restored.EpochSamples, restored.SamplesSeen, restored.LastValidation, restored.LearningRate));
        Assert.Equal(saved.History, history);
    }

    [Theory]
    [InlineData("epoch_samples", "3", "position is impossible")]
    [InlineData("rng", "0000000000000001:0000000000000002", "the second odd")]
    [InlineData("loss_sum", "1.50", "canonical form")]
    public void TrainingState_ValueNoRunWrites_IsRefused(string key, string value, string expected)
    {
        var saved = new TrainingState(6, new Pcg32(5, 2)) { Epoch = 2, Batch = 1, EpochStarted = true, LossSum = 1.5, EpochSamples = 4, SamplesSeen = 10, LearningRate = 0.01 };
        saved.History.Add(new EpochResult(1, 0.5, null, TimeSpan.Zero, 0.01));
        var state = new NamedState();
        saved.SaveState(state);
        state.SetText(key, value);
        Assert.Contains(expected, Assert.Throws<ModelFormatException>(() => TrainingState.RestoreState(state, out _)).Message);
    }
}

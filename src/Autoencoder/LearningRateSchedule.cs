using Autoencoder.Model;

namespace Autoencoder;

/// <summary>
/// How the learning rate changes from epoch to epoch, starting from the optimizer's
/// <see cref="OptimizerOptions.LearningRate"/> (the base rate). The rate of each epoch is recorded in
/// <see cref="EpochResult.LearningRate"/>. Set it with <see cref="TrainingOptions.LearningRateSchedule"/>.
/// </summary>
/// <remarks>
/// Write your own by deriving a record and overriding <see cref="RateFor"/> (and <see cref="Validate"/>
/// for its settings):
/// <code>
/// sealed record WarmUp(int Epochs) : LearningRateSchedule
/// {
///     public override double RateFor(int epoch, double baseRate, IReadOnlyList&lt;EpochResult&gt; history) =>
///         baseRate * Math.Min(1.0, epoch / (double)Epochs);
/// }
/// </code>
/// The record's printed form (its type and properties) is part of a checkpoint's options
/// fingerprint, so a run resumes only with an equal schedule; a record prints a collection property
/// as its type only, so override <c>PrintMembers</c> if the schedule holds one. A rate of 0 is
/// allowed (a decay's floor); NaN, negative rates and rates beyond float range stop training with an
/// <see cref="InvalidOperationException"/>.
/// </remarks>
public abstract record LearningRateSchedule
{
    /// <summary>For derived schedules.</summary>
    protected LearningRateSchedule()
    {
    }

    /// <summary>
    /// The learning rate of epoch <paramref name="epoch"/> (1-based), asked before the epoch starts,
    /// from the base rate and the results of the epochs completed so far (their losses and rates;
    /// empty before the first). It must lie in [0, <see cref="float.MaxValue"/>]. Make it a function of
    /// its arguments alone, so a run resumed from a checkpoint (which restores the history) continues exactly.
    /// </summary>
    public abstract double RateFor(int epoch, double baseRate, IReadOnlyList<EpochResult> history);

    /// <summary>
    /// Checks the schedule's settings before training starts; override to throw an
    /// <see cref="ArgumentException"/> (or a derived type) naming a bad one. Does nothing by default.
    /// </summary>
    protected internal virtual void Validate()
    {
    }

    /// <summary>Starts one training run from <paramref name="baseRate"/>.</summary>
    internal virtual ScheduleRun Start(double baseRate) => new HistoryRun(this, baseRate);

    /// <summary>The schedule's state during one run.</summary>
    internal abstract class ScheduleRun
    {
        /// <summary>The learning rate of epoch <paramref name="epoch"/> (1-based), asked before the epoch starts.</summary>
        public abstract double RateFor(int epoch, IReadOnlyList<EpochResult> history);

        /// <summary>Told the monitored loss (validation when there is validation data, else training) after each epoch.</summary>
        public virtual void EpochEnded(int epoch, double monitoredLoss)
        {
        }

        /// <summary>The run's mutable state for a checkpoint, or null when it has none (only <see cref="ReduceOnPlateau"/> keeps any).</summary>
        public virtual ReduceOnPlateau.PlateauState? Snapshot => null;

        /// <summary>Continues from a <see cref="Snapshot"/>.</summary>
        public virtual void Restore(ReduceOnPlateau.PlateauState state)
        {
        }
    }

    /// <summary>A schedule that is a function of the epoch, the base rate and the history.</summary>
    private sealed class HistoryRun(LearningRateSchedule schedule, double baseRate) : ScheduleRun
    {
        public override double RateFor(int epoch, IReadOnlyList<EpochResult> history) => schedule.RateFor(epoch, baseRate, history);
    }
}

/// <summary>
/// Multiplies the rate by <paramref name="Gamma"/> every <paramref name="StepSize"/> epochs:
/// epoch <c>e</c> (1-based) trains at <c>base · Gamma^⌊(e − 1) / StepSize⌋</c>, as PyTorch's <c>StepLR</c>.
/// </summary>
/// <param name="StepSize">Epochs between two decays; positive.</param>
/// <param name="Gamma">Factor in (0, 1]. Default 0.1.</param>
public sealed record StepDecay(int StepSize, double Gamma = 0.1) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override double RateFor(int epoch, double baseRate, IReadOnlyList<EpochResult> history) =>
        baseRate * Math.Pow(Gamma, (epoch - 1) / StepSize);

    /// <inheritdoc/>
    protected internal override void Validate()
    {
        Guard.Positive(StepSize, "options.LearningRateSchedule.StepSize");
        Guard.InRange(Gamma, double.Epsilon, 1, maxInclusive: true, "options.LearningRateSchedule.Gamma");
    }
}

/// <summary>
/// Multiplies the rate by <paramref name="Gamma"/> every epoch: epoch <c>e</c> trains at
/// <c>base · Gamma^(e − 1)</c>, as PyTorch's <c>ExponentialLR</c>.
/// </summary>
/// <param name="Gamma">Factor in (0, 1].</param>
public sealed record ExponentialDecay(double Gamma) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override double RateFor(int epoch, double baseRate, IReadOnlyList<EpochResult> history) =>
        baseRate * Math.Pow(Gamma, epoch - 1);

    /// <inheritdoc/>
    protected internal override void Validate() => Guard.InRange(Gamma, double.Epsilon, 1, maxInclusive: true, "options.LearningRateSchedule.Gamma");
}

/// <summary>
/// Half a cosine from the base rate down to <paramref name="MinimumRate"/> over <paramref name="Period"/>
/// epochs: epoch <c>e</c> trains at <c>min + (base − min)·(1 + cos(π·t / Period)) / 2</c> with
/// <c>t = min(e − 1, Period)</c>, the closed form of PyTorch's <c>CosineAnnealingLR</c> held at the
/// minimum once the period is over (PyTorch's would rise again).
/// </summary>
/// <param name="Period">Epochs from the base rate to the minimum; positive (usually the number of epochs).</param>
/// <param name="MinimumRate">The final rate; non-negative and below the base rate. Default 0.</param>
public sealed record CosineAnnealing(int Period, double MinimumRate = 0) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override double RateFor(int epoch, double baseRate, IReadOnlyList<EpochResult> history)
    {
        int t = Math.Min(epoch - 1, Period);
        return MinimumRate + (baseRate - MinimumRate) * (1 + Math.Cos(Math.PI * t / Period)) / 2;
    }

    /// <inheritdoc/>
    protected internal override void Validate()
    {
        Guard.Positive(Period, "options.LearningRateSchedule.Period");
        Guard.NonNegative(MinimumRate, "options.LearningRateSchedule.MinimumRate");
    }

    internal override ScheduleRun Start(double baseRate)
    {
        if (MinimumRate > baseRate)
        {
            throw new ArgumentOutOfRangeException(
                "options.LearningRateSchedule.MinimumRate", Invariant($"options.LearningRateSchedule.MinimumRate must not exceed the base learning rate {baseRate}; got {MinimumRate}."));
        }

        return base.Start(baseRate);
    }
}

/// <summary>
/// Multiplies the rate by <paramref name="Factor"/> when the monitored loss (validation loss when
/// there is validation data, else training loss) has not improved by more than
/// <paramref name="MinDelta"/> for more than <paramref name="Patience"/> epochs, then waits
/// <paramref name="Cooldown"/> epochs before counting again; never below <paramref name="MinimumRate"/>.
/// PyTorch's <c>ReduceLROnPlateau</c> rule in absolute-threshold mode (Keras' reduces one epoch
/// earlier: when the bad epochs reach its patience rather than exceed it).
/// </summary>
/// <param name="Factor">Factor in (0, 1). Default 0.1.</param>
/// <param name="Patience">Epochs without improvement tolerated; non-negative. Default 10.</param>
/// <param name="MinDelta">Smallest decrease that counts as an improvement; non-negative. Default 1e-4.</param>
/// <param name="MinimumRate">Lower bound of the rate; non-negative. Default 0.</param>
/// <param name="Cooldown">Epochs after a reduction during which no epoch counts as bad; non-negative. Default 0.</param>
public sealed record ReduceOnPlateau(double Factor = 0.1, int Patience = 10, double MinDelta = 1e-4, double MinimumRate = 0, int Cooldown = 0) : LearningRateSchedule
{
    /// <summary>
    /// The rate of epoch <paramref name="epoch"/>: the rule replayed over the monitored losses of
    /// <paramref name="history"/> (each epoch's validation loss, else its training loss).
    /// </summary>
    public override double RateFor(int epoch, double baseRate, IReadOnlyList<EpochResult> history)
    {
        var run = new PlateauRun(this, baseRate);
        for (int e = 0; e < Math.Min(epoch - 1, history.Count); e++)
        {
            run.EpochEnded(e + 1, history[e].ValidationLoss ?? history[e].TrainLoss);
        }

        return run.RateFor(epoch, history);
    }

    /// <inheritdoc/>
    protected internal override void Validate()
    {
        if (!(Factor > 0 && Factor < 1))
        {
            throw new ArgumentOutOfRangeException("options.LearningRateSchedule.Factor", Invariant($"options.LearningRateSchedule.Factor must be in (0, 1); got {Factor}."));
        }

        Guard.NonNegative(Patience, "options.LearningRateSchedule.Patience");
        Guard.NonNegative(MinDelta, "options.LearningRateSchedule.MinDelta");
        Guard.NonNegative(MinimumRate, "options.LearningRateSchedule.MinimumRate");
        Guard.NonNegative(Cooldown, "options.LearningRateSchedule.Cooldown");
    }

    internal override ScheduleRun Start(double baseRate) => new PlateauRun(this, baseRate);

    /// <summary>
    /// Whether <paramref name="state"/> is one a run of this schedule can be in between epochs: a
    /// reduction resets the bad epochs, so there are at most <see cref="Patience"/>, and the
    /// cooldown counts down from <see cref="Cooldown"/>.
    /// </summary>
    internal bool Admits(PlateauState state) => state.BadEpochs <= Patience && state.CooldownLeft <= Cooldown;

    private sealed class PlateauRun(ReduceOnPlateau settings, double baseRate) : ScheduleRun
    {
        private double _rate = baseRate;
        private double _best = double.PositiveInfinity;
        private int _badEpochs;
        private int _cooldownLeft;

        public override double RateFor(int epoch, IReadOnlyList<EpochResult> history) => _rate;

        public override PlateauState? Snapshot => new(_rate, _best, _badEpochs, _cooldownLeft);

        public override void Restore(PlateauState state) =>
            (_rate, _best, _badEpochs, _cooldownLeft) = (state.Rate, state.Best, state.BadEpochs, state.CooldownLeft);

        public override void EpochEnded(int epoch, double monitoredLoss)
        {
            if (monitoredLoss < _best - settings.MinDelta)
            {
                _best = monitoredLoss;
                _badEpochs = 0;
            }
            else
            {
                _badEpochs++;
            }

            if (_cooldownLeft > 0)
            {
                _cooldownLeft--;
                _badEpochs = 0;
            }

            if (_badEpochs > settings.Patience)
            {
                _rate = Math.Max(_rate * settings.Factor, settings.MinimumRate);
                _cooldownLeft = settings.Cooldown;
                _badEpochs = 0;
            }
        }
    }

    /// <summary>
    /// A run's state between epochs (the rate, the best monitored loss, the bad epochs counted, the
    /// cooldown epochs left), which a checkpoint keeps. Saved as entry <c>plateau</c>,
    /// <c>rate:best:bad:cooldown</c> in canonical numbers, with <c>plateau_schedule</c> declaring
    /// whether the run has such a schedule, so a file missing the state is refused.
    /// </summary>
    /// <param name="Rate">The learning rate of the coming epochs, in [0, <see cref="float.MaxValue"/>].</param>
    /// <param name="Best">The lowest monitored loss so far; +∞ before the first epoch.</param>
    /// <param name="BadEpochs">Epochs without improvement since the last reduction.</param>
    /// <param name="CooldownLeft">Epochs of cooldown still to come.</param>
    internal sealed record PlateauState(double Rate, double Best, int BadEpochs, int CooldownLeft)
    {
        private const string Key = "plateau";
        private const string DeclarationKey = "plateau_schedule";

        /// <summary>Writes <paramref name="state"/>, the state of the run's schedule (null when it is not a <see cref="ReduceOnPlateau"/>), to <paramref name="entries"/>.</summary>
        public static void Save(PlateauState? state, NamedState entries)
        {
            entries.SetFlag(DeclarationKey, state is not null);
            if (state is not null)
            {
                entries.SetText(Key, Invariant($"{NamedState.Format(state.Rate)}:{NamedState.Format(state.Best)}:{NamedState.Format(state.BadEpochs)}:{NamedState.Format(state.CooldownLeft)}"));
            }
        }

        /// <summary>
        /// The state <paramref name="entries"/> hold: null when they declare no plateau schedule,
        /// else its state, which must then be there and well-formed.
        /// </summary>
        /// <exception cref="ModelFormatException">The declaration and the state disagree, or the state is malformed.</exception>
        public static PlateauState? Restore(NamedState entries)
        {
            bool declared = entries.GetFlag(DeclarationKey);
            if (entries.TryGetText(Key, out string? text) != declared)
            {
                throw new ModelFormatException(declared
                    ? Invariant($"Metadata '{DeclarationKey}' declares a ReduceOnPlateau schedule but its state, metadata '{Key}', is missing.")
                    : Invariant($"Metadata '{Key}' holds a ReduceOnPlateau schedule's state but '{DeclarationKey}' declares no such schedule."));
            }

            if (text is null)
            {
                return null;
            }

            string[] fields = text.Split(':');
            if (fields.Length != 4)
            {
                throw new ModelFormatException(Invariant($"Metadata '{Key}' must be rate:best:bad:cooldown; got '{ShownText.Of(text)}'."));
            }

            var state = new PlateauState(
                NamedState.ParseNumber(fields[0], Key),
                NamedState.ParseNumber(fields[1], Key, allowInfinity: true),
                NamedState.ParseInt(fields[2], Key, 0),
                NamedState.ParseInt(fields[3], Key, 0));
            if (!(state.Rate >= 0 && state.Rate <= float.MaxValue))
            {
                throw new ModelFormatException(Invariant($"Metadata '{Key}' must hold a learning rate in [0, {float.MaxValue}]; got {state.Rate}."));
            }

            return state;
        }
    }
}

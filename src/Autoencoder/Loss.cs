using System.Diagnostics.CodeAnalysis;
using Autoencoder.Losses;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder;

/// <summary>
/// The reconstruction loss a model is trained, evaluated and scored with: <c>ℓ(x̂, x)</c> per element
/// (prediction <c>x̂</c>, target <c>x</c>), summed over elements and, as in Keras and PyTorch,
/// averaged over every element of a batch (<see cref="AutoencoderModel.Evaluate(MathNet.Numerics.LinearAlgebra.Matrix{float}, Loss)"/>) or of one row
/// (<see cref="AutoencoderModel.ReconstructionErrors(MathNet.Numerics.LinearAlgebra.Matrix{float}, Loss)"/>). Built in: <see cref="MeanSquaredError"/>,
/// <see cref="BinaryCrossEntropy"/>, <see cref="MeanAbsoluteError"/> and <see cref="Huber"/>.
/// </summary>
/// <remarks>
/// A loss of your own derives from this class and overrides <see cref="Value"/> and
/// <see cref="Derivative"/> (and <see cref="Accepts"/> when only some targets are valid); it then
/// works in <see cref="AutoencoderModel.Fit(Autoencoder.Data.DataSource, TrainingOptions?, CancellationToken)"/>, <see cref="AutoencoderModel.Evaluate(MathNet.Numerics.LinearAlgebra.Matrix{float}, Loss)"/>,
/// <see cref="AutoencoderModel.ReconstructionErrors(MathNet.Numerics.LinearAlgebra.Matrix{float}, Loss)"/> and an <see cref="AnomalyDetector"/>. Its
/// methods may be called from several threads at once (large batches are summed in two halves in
/// parallel, and a model may be evaluated from many threads), so keep no state in the instance but
/// its settings. Its <see cref="object.ToString"/> is part of a checkpoint's options fingerprint:
/// override it to include every setting (the default prints only the type), so that a resume with
/// other settings is refused. Only the built-in losses can be written into a detector file, by name.
/// Two losses are equal when they are the same built-in loss with the same settings (or, for a loss
/// of your own, as its <see cref="object.Equals(object)"/> says); <c>==</c> compares the same way.
/// </remarks>
// Every loss type keeps its public methods when an app is trimmed or compiled ahead of time, so
// TargetRule can still see whether a derived loss overrides Accepts.
[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)]
public abstract class Loss
{
    /// <summary>For derived losses.</summary>
    protected Loss()
    {
    }

    /// <summary>
    /// Mean squared error: <c>ℓ = (x̂ − x)²</c> (Keras <c>mse</c>, PyTorch <c>MSELoss</c>). For a
    /// variational model, the likelihood of a unit-variance Gaussian.
    /// </summary>
    public static Loss MeanSquaredError { get; } = new MeanSquaredErrorLoss();

    /// <summary>
    /// Binary cross-entropy: <c>ℓ = −x·ln x̂ − (1 − x)·ln(1 − x̂)</c>; targets must lie in [0, 1]. With a
    /// <see cref="Activation.Sigmoid"/> output it is computed from the logits <c>z</c> as
    /// <c>max(z, 0) − z·x + ln(1 + e^(−|z|))</c>: finite for any logit, never clamped, accurate to float
    /// precision, with the exact gradient <c>σ(z) − x</c>; otherwise the output is clamped to
    /// [1e-7, 1 − 1e-7] as Keras does. For a variational model, the Bernoulli likelihood.
    /// </summary>
    public static Loss BinaryCrossEntropy { get; } = new BinaryCrossEntropyLoss();

    /// <summary>
    /// Mean absolute error: <c>ℓ = |x̂ − x|</c>, PyTorch's <c>L1Loss</c> (its gradient <c>sign(x̂ − x)</c>, 0 where
    /// they are equal); less sensitive to outliers than the squared error.
    /// </summary>
    public static Loss MeanAbsoluteError { get; } = new MeanAbsoluteErrorLoss();

    /// <summary>
    /// Huber loss with threshold <paramref name="delta"/>, PyTorch's <c>HuberLoss</c>: with
    /// <c>d = |x̂ − x|</c>, <c>ℓ = ½d²</c> for <c>d &lt; δ</c> and <c>δ(d − ½δ)</c> beyond; quadratic near the
    /// target, linear for outliers.
    /// </summary>
    /// <param name="delta">δ, positive and within float range. Default 1, as in PyTorch.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is not positive or outside float range.</exception>
    public static Loss Huber(double delta = 1.0)
    {
        Guard.PositiveFloat(delta);
        return new HuberLoss((float)delta);
    }

    /// <summary>The loss of one element: prediction <paramref name="prediction"/>, target <paramref name="target"/>.</summary>
    public abstract double Value(float prediction, float target);

    /// <summary><c>∂ℓ/∂x̂</c> of one element.</summary>
    public abstract double Derivative(float prediction, float target);

    /// <summary>Whether <paramref name="target"/> is a value this loss is defined for (every finite value unless overridden).</summary>
    public virtual bool Accepts(float target) => true;

    /// <summary>
    /// <c>Σ ℓ(predictions[i], targets[i])</c> in double. By default a loop over <see cref="Value"/>;
    /// the built-in losses override it with vectorised kernels.
    /// </summary>
    public virtual double Sum(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets)
    {
        double sum = 0;
        for (int i = 0; i < predictions.Length; i++)
        {
            sum += Value(predictions[i], targets[i]);
        }

        return sum;
    }

    /// <summary>
    /// Overwrites <paramref name="dPredictions"/> with <c>scale · ∂ℓ/∂x̂</c> per element; it may be the
    /// same memory as either input. By default a loop over <see cref="Derivative"/>.
    /// </summary>
    public virtual void Gradient(ReadOnlySpan<float> predictions, ReadOnlySpan<float> targets, float scale, Span<float> dPredictions)
    {
        for (int i = 0; i < predictions.Length; i++)
        {
            dPredictions[i] = (float)(scale * Derivative(predictions[i], targets[i]));
        }
    }

    /// <summary>Equal to <paramref name="obj"/> when it is the same loss (the built-in losses with settings compare those).</summary>
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <inheritdoc/>
    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

    /// <summary>Whether <paramref name="left"/> and <paramref name="right"/> are equal losses (see <see cref="Equals(object)"/>).</summary>
    public static bool operator ==(Loss? left, Loss? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Whether <paramref name="left"/> and <paramref name="right"/> are different losses.</summary>
    public static bool operator !=(Loss? left, Loss? right) => !(left == right);

    /// <summary>
    /// The built-in loss a detector file names by <paramref name="name"/> (a <see cref="FileName"/>:
    /// <c>mean_squared_error</c>, <c>binary_cross_entropy</c>, <c>mean_absolute_error</c>, or <c>huber:δ</c>
    /// with δ in canonical round-trip form), or null when it names none.
    /// </summary>
    internal static Loss? FromFileName(string name)
    {
        foreach (Loss loss in (Loss[])[MeanSquaredError, BinaryCrossEntropy, MeanAbsoluteError])
        {
            if (loss.FileName == name)
            {
                return loss;
            }
        }

        const string huber = "huber:";
        if (name.StartsWith(huber, StringComparison.Ordinal)
            && float.TryParse(name.AsSpan(huber.Length), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out float delta)
            && delta >= Guard.SmallestNormalFloat && delta <= float.MaxValue)
        {
            var loss = new HuberLoss(delta);
            return loss.FileName == name ? loss : null;
        }

        return null;
    }

    /// <summary>The name a detector file records for a built-in loss; null for a loss of your own, which no file can hold.</summary>
    internal virtual string? FileName => null;

    /// <summary>The targets the loss accepts, for messages (e.g. "[0, 1] (binary cross-entropy)").</summary>
    internal virtual string TargetDomain => Invariant($"the values the loss {this} accepts");

    /// <summary>Whether, with this output activation, the loss is computed from the output layer's pre-activation (binary cross-entropy on a sigmoid).</summary>
    internal virtual bool UsesLogits(Activation outputActivation) => false;

    /// <summary>
    /// Whether <see cref="TryRowSumsFeatureMajor"/> has a kernel for this loss: the built-in losses do,
    /// a loss defined outside the library does not.
    /// </summary>
    internal virtual bool SumsFeatureMajor => false;

    /// <summary>
    /// Per-row sums of this loss over feature-major blocks (feature j of row r at <c>j·stride + r</c>),
    /// each with the bits <see cref="Sum"/> gives the row laid out contiguously; false, writing
    /// nothing, without such a kernel (<see cref="SumsFeatureMajor"/>).
    /// </summary>
    internal virtual bool TryRowSumsFeatureMajor(ReadOnlySpan<float> predictions, int predictionStride, ReadOnlySpan<float> targets, int targetStride, int rows, int width, Span<double> sums) => false;

    /// <summary>The likelihood this loss stands for in a variational model, or none.</summary>
    internal virtual VariationalLikelihood Likelihood => VariationalLikelihood.None;

    /// <summary>
    /// The rule streamed rows are checked by: any finite value, and <see cref="Accepts"/> value by
    /// value when a loss overrides it. Found once per loss (by reflection) and kept, so a scoring
    /// call allocates nothing for it.
    /// </summary>
    internal Data.ValueRule TargetRule => _targetRule ??=
        this is BinaryCrossEntropyLoss ? UnitInterval
        : GetType().GetMethod(nameof(Accepts), [typeof(float)])!.DeclaringType == typeof(Loss) ? Data.ValueRule.AnyFinite
        : new Data.ValueRule(float.NegativeInfinity, float.PositiveInfinity, Accepts, Invariant($", which the loss {this} does not accept."));

    private Data.ValueRule? _targetRule;

    private static Data.ValueRule UnitInterval { get; } =
        new(0f, 1f, null, ", outside [0, 1], which binary cross-entropy does not accept. Scale the data (e.g. pixels / 255) or use Loss.MeanSquaredError.");

    /// <summary>
    /// Throws when a value of <paramref name="data"/> is outside what the loss accepts, naming its
    /// row and column (first in column-major order).
    /// </summary>
    internal virtual void CheckTargets(Matrix<float> data, string name)
    {
        float[] storage = Guard.DenseColumnMajor(data);
        int rows = data.RowCount;
        for (int i = 0; i < storage.Length; i++)
        {
            if (!Accepts(storage[i]))
            {
                throw new ArgumentException(
                    Invariant($"{name} holds {storage[i]} at row {i % rows}, column {i / rows}, which the loss {this} does not accept."), name);
            }
        }
    }
}

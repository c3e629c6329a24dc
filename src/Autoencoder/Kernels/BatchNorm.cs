namespace Autoencoder.Kernels;

/// <summary>
/// Batch normalization over the rows of a row-major <c>rows × features</c> batch (one row per
/// sample), with the semantics of PyTorch's <c>BatchNorm1d</c> on a 2-D input. Per-feature vectors
/// (γ, β, running statistics, 1/σ) have length <c>features</c>.
/// </summary>
/// <remarks>
/// <para>
/// With n = rows, feature j and row i, the training forward (<see cref="TrainingForward"/>) and its
/// backward (<see cref="Backward"/>) are:
/// </para>
/// <code>
/// forward                                   backward (given dY, x̂ and s from the forward)
/// μⱼ  = (1/n)·Σᵢ xᵢⱼ                         dβⱼ  = Σᵢ dYᵢⱼ
/// σ²ⱼ = (1/n)·Σᵢ (xᵢⱼ − μⱼ)²   (biased)      dγⱼ  = Σᵢ dYᵢⱼ·x̂ᵢⱼ
/// sⱼ  = 1/√(σ²ⱼ + ε)                         dXᵢⱼ = (γⱼ·sⱼ/n)·(n·dYᵢⱼ − dβⱼ − x̂ᵢⱼ·dγⱼ)
/// x̂ᵢⱼ = (xᵢⱼ − μⱼ)·sⱼ
/// yᵢⱼ = γⱼ·x̂ᵢⱼ + βⱼ
/// </code>
/// <para>
/// and the running statistics move towards the batch's with momentum m, the variance unbiased:
/// <c>running_mean' = (1 − m)·running_mean + m·μ</c>,
/// <c>running_var' = (1 − m)·running_var + m·Σᵢ (xᵢⱼ − μⱼ)²/(n − 1)</c>. Training needs n ≥ 2 (the
/// unbiased variance of one sample is undefined; PyTorch refuses it too). Inference
/// (<see cref="InferenceForward"/>) uses the running statistics instead of the batch's:
/// <c>y = γ·(x − running_mean)/√(running_var + ε) + β</c>.
/// </para>
/// <para>
/// The backward formula is the gradient through the batch statistics: with
/// <c>dx̂ = γ·dY</c>, <c>dX = s·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂))</c> over the rows, which is the
/// line above multiplied out. It holds in training mode only; in inference the statistics are
/// constants and the gradient is simply <c>γ·s·dY</c>.
/// </para>
/// <para>
/// Plain scalar code, the same bits on every machine: sums over the batch are taken in double,
/// rows in order, for each feature; the per-feature statistics are computed in double and each
/// result is rounded once to float. Only additions, subtractions, multiplications, divisions and
/// square roots are used (each correctly rounded by IEEE 754), never a fused multiply-add, so no
/// instruction set can change a result. NaN and infinities in the inputs propagate; they are not
/// checked here.
/// </para>
/// <para>
/// Aliasing: an output may be the same memory as the input named in its parameter's
/// description (each such pair is checked: exactly the same start, or no overlap); every other
/// output must not overlap any input or another output (not checked).
/// </para>
/// </remarks>
internal static class BatchNorm
{
    /// <summary>
    /// The training forward: batch statistics, the normalized values, the outputs and the next
    /// running statistics (see the class remarks for the formulas).
    /// </summary>
    /// <param name="x">The batch, <paramref name="rows"/> × <paramref name="features"/> row-major.</param>
    /// <param name="rows">Samples in the batch; at least 2.</param>
    /// <param name="features">Values per sample; at least 1.</param>
    /// <param name="gamma">Per-feature scale γ.</param>
    /// <param name="beta">Per-feature shift β.</param>
    /// <param name="runningMean">Per-feature running mean before this batch.</param>
    /// <param name="runningVariance">Per-feature running (unbiased) variance before this batch.</param>
    /// <param name="momentum">Weight of this batch in the running statistics, in [0, 1] (PyTorch's default is 0.1).</param>
    /// <param name="epsilon">Added to the variance before the square root; positive and finite (PyTorch's default is 1e-5).</param>
    /// <param name="y">Receives the outputs, <paramref name="rows"/> × <paramref name="features"/>; may be the same memory as <paramref name="x"/>.</param>
    /// <param name="normalized">Receives x̂, <paramref name="rows"/> × <paramref name="features"/>, for <see cref="Backward"/>.</param>
    /// <param name="inverseStd">Receives <c>1/√(σ² + ε)</c> per feature, for <see cref="Backward"/>.</param>
    /// <param name="nextRunningMean">Receives the updated running mean; may be the same memory as <paramref name="runningMean"/> (an update in place).</param>
    /// <param name="nextRunningVariance">Receives the updated running variance; may be the same memory as <paramref name="runningVariance"/> (an update in place).</param>
    /// <param name="scratch">Working storage of at least <c>2·features</c> doubles; its contents on return are unspecified.</param>
    /// <exception cref="ArgumentException">A span is too short, a count or hyper-parameter is out of range, or an allowed alias overlaps partly.</exception>
    public static void TrainingForward(
        ReadOnlySpan<float> x, int rows, int features, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVariance, float momentum, float epsilon,
        Span<float> y, Span<float> normalized, Span<float> inverseStd, Span<float> nextRunningMean, Span<float> nextRunningVariance,
        Span<double> scratch)
    {
        CheckTrainingRows(rows);
        Guard.Positive(features);
        Guard.InRange(momentum, 0, 1, maxInclusive: true);
        Guard.Positive(epsilon);
        long size = (long)rows * features;
        CheckLength(x.Length, size, nameof(x), "rows × features");
        CheckLength(gamma.Length, features, nameof(gamma), "one per feature");
        CheckLength(beta.Length, features, nameof(beta), "one per feature");
        CheckLength(runningMean.Length, features, nameof(runningMean), "one per feature");
        CheckLength(runningVariance.Length, features, nameof(runningVariance), "one per feature");
        CheckLength(y.Length, size, nameof(y), "rows × features");
        CheckLength(normalized.Length, size, nameof(normalized), "rows × features");
        CheckLength(inverseStd.Length, features, nameof(inverseStd), "one per feature");
        CheckLength(nextRunningMean.Length, features, nameof(nextRunningMean), "one per feature");
        CheckLength(nextRunningVariance.Length, features, nameof(nextRunningVariance), "one per feature");
        CheckLength(scratch.Length, 2L * features, nameof(scratch), "2 × features doubles");
        CheckSameOrSeparate(x, y, nameof(x), nameof(y));
        CheckSameOrSeparate(runningMean, nextRunningMean, nameof(runningMean), nameof(nextRunningMean));
        CheckSameOrSeparate(runningVariance, nextRunningVariance, nameof(runningVariance), nameof(nextRunningVariance));

        // scratch[j] holds Σ x then μ; scratch[features + j] holds Σ (x − μ)² then 1/√(σ² + ε).
        Span<double> mean = scratch[..features];
        Span<double> deviation = scratch.Slice(features, features);
        mean.Clear();
        deviation.Clear();
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<float> row = x.Slice(i * features, features);
            for (int j = 0; j < features; j++)
            {
                mean[j] += row[j];
            }
        }

        for (int j = 0; j < features; j++)
        {
            mean[j] /= rows;
        }

        // A second pass for the variance: Σ (x − μ)² does not cancel as Σ x² − n·μ² does.
        for (int i = 0; i < rows; i++)
        {
            ReadOnlySpan<float> row = x.Slice(i * features, features);
            for (int j = 0; j < features; j++)
            {
                double d = row[j] - mean[j];
                deviation[j] += d * d;
            }
        }

        double m = momentum, eps = epsilon;
        for (int j = 0; j < features; j++)
        {
            double squares = deviation[j];
            double inverse = 1.0 / Math.Sqrt((squares / rows) + eps);
            // Each running value is read before its own slot is written, so the update may be in place.
            nextRunningMean[j] = (float)(((1.0 - m) * runningMean[j]) + (m * mean[j]));
            nextRunningVariance[j] = (float)(((1.0 - m) * runningVariance[j]) + (m * (squares / (rows - 1))));
            inverseStd[j] = (float)inverse;
            deviation[j] = inverse;
        }

        // Each x is read before the y in its place is written, so y may be x.
        for (int i = 0; i < rows; i++)
        {
            int start = i * features;
            for (int j = 0; j < features; j++)
            {
                double hat = (x[start + j] - mean[j]) * deviation[j];
                normalized[start + j] = (float)hat;
                y[start + j] = (float)((gamma[j] * hat) + beta[j]);
            }
        }
    }

    /// <summary>
    /// The inference forward: <c>y = γ·(x − running_mean)/√(running_var + ε) + β</c>, with the
    /// statistics taken as given (nothing is updated).
    /// </summary>
    /// <param name="x">The batch, <paramref name="rows"/> × <paramref name="features"/> row-major.</param>
    /// <param name="rows">Samples in the batch; 0 or more (0 does nothing).</param>
    /// <param name="features">Values per sample; at least 1.</param>
    /// <param name="gamma">Per-feature scale γ.</param>
    /// <param name="beta">Per-feature shift β.</param>
    /// <param name="runningMean">Per-feature running mean.</param>
    /// <param name="runningVariance">Per-feature running variance.</param>
    /// <param name="epsilon">Added to the variance before the square root; positive and finite.</param>
    /// <param name="y">Receives the outputs, <paramref name="rows"/> × <paramref name="features"/>; may be the same memory as <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">A span is too short, a count or <paramref name="epsilon"/> is out of range, or <paramref name="y"/> overlaps <paramref name="x"/> partly.</exception>
    public static void InferenceForward(
        ReadOnlySpan<float> x, int rows, int features, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVariance, float epsilon, Span<float> y)
    {
        if (rows < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), Invariant($"{nameof(rows)} must be non-negative; got {rows}."));
        }

        Guard.Positive(features);
        Guard.Positive(epsilon);
        long size = (long)rows * features;
        CheckLength(x.Length, size, nameof(x), "rows × features");
        CheckLength(gamma.Length, features, nameof(gamma), "one per feature");
        CheckLength(beta.Length, features, nameof(beta), "one per feature");
        CheckLength(runningMean.Length, features, nameof(runningMean), "one per feature");
        CheckLength(runningVariance.Length, features, nameof(runningVariance), "one per feature");
        CheckLength(y.Length, size, nameof(y), "rows × features");
        CheckSameOrSeparate(x, y, nameof(x), nameof(y));

        // Feature by feature, so the square root is taken once per feature without scratch;
        // each x is read before the y in its place is written, so y may be x.
        double eps = epsilon;
        for (int j = 0; j < features; j++)
        {
            double mean = runningMean[j];
            double inverse = 1.0 / Math.Sqrt(runningVariance[j] + eps);
            double scale = gamma[j], shift = beta[j];
            for (int i = 0; i < rows; i++)
            {
                int at = (i * features) + j;
                y[at] = (float)((scale * ((x[at] - mean) * inverse)) + shift);
            }
        }
    }

    /// <summary>
    /// <see cref="InferenceForward"/> on feature-major blocks: feature j's <paramref name="rows"/>
    /// values at <c>x[j·xStride, j·xStride + rows)</c> into <c>y[j·yStride, j·yStride + rows)</c>, each
    /// value computed as there, so with the same bits. <paramref name="y"/> must not overlap <paramref name="x"/>.
    /// </summary>
    public static void InferenceForwardFeatureMajor(
        ReadOnlySpan<float> x, int xStride, int rows, int features, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVariance, float epsilon, Span<float> y, int yStride)
    {
        if (rows < 0 || xStride < rows || yStride < rows)
        {
            throw new ArgumentOutOfRangeException(
                nameof(rows), Invariant($"{nameof(rows)} must be non-negative and no more than either stride; got {rows} rows, strides {xStride} and {yStride}."));
        }

        Guard.Positive(features);
        Guard.Positive(epsilon);
        CheckLength(x.Length, ((long)(features - 1) * xStride) + rows, nameof(x), "a run of rows per feature at its stride");
        CheckLength(gamma.Length, features, nameof(gamma), "one per feature");
        CheckLength(beta.Length, features, nameof(beta), "one per feature");
        CheckLength(runningMean.Length, features, nameof(runningMean), "one per feature");
        CheckLength(runningVariance.Length, features, nameof(runningVariance), "one per feature");
        CheckLength(y.Length, ((long)(features - 1) * yStride) + rows, nameof(y), "a run of rows per feature at its stride");

        double eps = epsilon;
        for (int j = 0; j < features; j++)
        {
            double mean = runningMean[j];
            double inverse = 1.0 / Math.Sqrt(runningVariance[j] + eps);
            double scale = gamma[j], shift = beta[j];
            ReadOnlySpan<float> xs = x.Slice(j * xStride, rows);
            Span<float> ys = y.Slice(j * yStride, rows);
            for (int i = 0; i < rows; i++)
            {
                ys[i] = (float)((scale * ((xs[i] - mean) * inverse)) + shift);
            }
        }
    }

    /// <summary>
    /// The training-mode backward: the gradients of γ and β and of the input, through the batch
    /// statistics (see the class remarks for the formulas).
    /// </summary>
    /// <param name="dY">Gradient of the loss with respect to the outputs, <paramref name="rows"/> × <paramref name="features"/>.</param>
    /// <param name="normalized">x̂ from <see cref="TrainingForward"/>, <paramref name="rows"/> × <paramref name="features"/>.</param>
    /// <param name="inverseStd"><c>1/√(σ² + ε)</c> per feature from <see cref="TrainingForward"/>.</param>
    /// <param name="gamma">Per-feature scale γ used in the forward.</param>
    /// <param name="rows">Samples in the batch; at least 2, as in the forward.</param>
    /// <param name="features">Values per sample; at least 1.</param>
    /// <param name="dGamma">Receives dγ per feature (overwritten, not accumulated).</param>
    /// <param name="dBeta">Receives dβ per feature (overwritten, not accumulated).</param>
    /// <param name="dX">Receives the input gradient, <paramref name="rows"/> × <paramref name="features"/>; may be the same memory as <paramref name="dY"/> or as <paramref name="normalized"/>.</param>
    /// <param name="scratch">Working storage of at least <c>2·features</c> doubles; its contents on return are unspecified.</param>
    /// <exception cref="ArgumentException">A span is too short, a count is out of range, or <paramref name="dX"/> overlaps an input partly.</exception>
    public static void Backward(
        ReadOnlySpan<float> dY, ReadOnlySpan<float> normalized, ReadOnlySpan<float> inverseStd, ReadOnlySpan<float> gamma,
        int rows, int features, Span<float> dGamma, Span<float> dBeta, Span<float> dX, Span<double> scratch)
    {
        CheckTrainingRows(rows);
        Guard.Positive(features);
        long size = (long)rows * features;
        CheckLength(dY.Length, size, nameof(dY), "rows × features");
        CheckLength(normalized.Length, size, nameof(normalized), "rows × features");
        CheckLength(inverseStd.Length, features, nameof(inverseStd), "one per feature");
        CheckLength(gamma.Length, features, nameof(gamma), "one per feature");
        CheckLength(dGamma.Length, features, nameof(dGamma), "one per feature");
        CheckLength(dBeta.Length, features, nameof(dBeta), "one per feature");
        CheckLength(dX.Length, size, nameof(dX), "rows × features");
        CheckLength(scratch.Length, 2L * features, nameof(scratch), "2 × features doubles");
        CheckSameOrSeparate(dY, dX, nameof(dY), nameof(dX));
        CheckSameOrSeparate(normalized, dX, nameof(normalized), nameof(dX));

        // scratch[j] holds dβ = Σ dY, scratch[features + j] holds dγ = Σ dY·x̂, both in double.
        Span<double> sumDY = scratch[..features];
        Span<double> sumDYHat = scratch.Slice(features, features);
        sumDY.Clear();
        sumDYHat.Clear();
        for (int i = 0; i < rows; i++)
        {
            int start = i * features;
            for (int j = 0; j < features; j++)
            {
                double g = dY[start + j];
                sumDY[j] += g;
                sumDYHat[j] += g * normalized[start + j];
            }
        }

        // Each dY and x̂ is read before the dX in its place is written, so dX may be either.
        for (int i = 0; i < rows; i++)
        {
            int start = i * features;
            for (int j = 0; j < features; j++)
            {
                double g = dY[start + j];
                double hat = normalized[start + j];
                double scale = (double)gamma[j] * inverseStd[j];
                dX[start + j] = (float)(scale * ((rows * g) - sumDY[j] - (hat * sumDYHat[j])) / rows);
            }
        }

        for (int j = 0; j < features; j++)
        {
            dBeta[j] = (float)sumDY[j];
            dGamma[j] = (float)sumDYHat[j];
        }
    }

    /// <summary>Training needs at least two rows: the unbiased variance divides by n − 1.</summary>
    private static void CheckTrainingRows(int rows)
    {
        if (rows < 2)
        {
            throw new ArgumentOutOfRangeException(
                nameof(rows),
                Invariant($"Batch normalization in training needs at least 2 rows (the variance of one sample is undefined); got {rows}."));
        }
    }

    /// <summary>Throws when a span holds fewer than <paramref name="needed"/> values.</summary>
    private static void CheckLength(int length, long needed, string name, string what)
    {
        if (length < needed)
        {
            throw new ArgumentException(Invariant($"{name} must hold at least {needed} values ({what}); got {length}."), name);
        }
    }

    /// <summary>Throws when <paramref name="output"/> overlaps <paramref name="input"/> without starting at the same element.</summary>
    private static void CheckSameOrSeparate(ReadOnlySpan<float> input, ReadOnlySpan<float> output, string inputName, string outputName)
    {
        if (input.Overlaps(output, out int offset) && offset != 0)
        {
            throw new ArgumentException(
                Invariant($"{outputName} must be the same memory as {inputName} or not overlap it; got {outputName} starting at offset {offset} from {inputName}."), outputName);
        }
    }
}

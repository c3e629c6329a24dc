namespace Autoencoder.Layers;

/// <summary>
/// The latent layer of a variational autoencoder: a dense layer of <c>2k</c> identity outputs, the
/// mean <c>μ</c> in columns <c>[0, k)</c> and the log-variance <c>v = log σ²</c> in <c>[k, 2k)</c>
/// (stored as one <c>Inputs × 2k</c> weight matrix), followed by the reparameterised sample
/// <c>z = μ + exp(v/2)·ε</c>, <c>ε ~ N(0, 1)</c>. Its output is <c>z</c> (<c>rows × k</c>) in
/// training and <c>μ</c> at inference. Backward adds <c>β·KL(q(z | x) ‖ N(0, I))</c> per sample to the loss.
/// </summary>
internal sealed class GaussianHeadLayer : DenseLayer
{
    public GaussianHeadLayer(string name, int inputs, int latent)
        : base(name, inputs, 2 * latent, Activation.Identity, LayerShape.Vector(latent))
    {
        Latent = latent;
    }

    /// <summary>Latent size <c>k</c>.</summary>
    public int Latent { get; }

    /// <inheritdoc/>
    public override string Kind => "gaussian head";

    /// <inheritdoc/>
    public override string Description => "mean, log-variance";

    /// <inheritdoc/>
    public override Activation OutputActivation => Activation.Identity;

    /// <summary>The head (<c>rows × 2k</c>), the noise <c>ε</c> (<c>rows × k</c>) and the head's gradient (<c>rows × 2k</c>).</summary>
    public override long SavedCount(int rows) => 5L * rows * Latent;

    /// <summary>Training: the head into the saved buffer, <c>ε</c> drawn (one Gaussian per value, in order), <c>z</c> into <paramref name="y"/>. Inference: <c>μ</c>.</summary>
    public override void Forward(ref ForwardPass pass, ReadOnlySpan<float> x, Span<float> y, Span<float> saved)
    {
        int rows = pass.Rows, k = Latent;
        if (pass.Training)
        {
            Span<float> head = saved[..(rows * 2 * k)];
            Forward(pass.Parameters, x, rows, head, head);
            Sample(head, rows, k, saved.Slice(rows * 2 * k, rows * k), y, ref pass.Random);
            return;
        }

        float[] buffer = pass.Arrays.Rent(rows * 2 * k);
        try
        {
            Distribution(pass.Parameters, x, rows, buffer);
            CopyMeans(buffer, rows, k, y);
        }
        finally
        {
            pass.Arrays.Return(buffer);
        }
    }

    /// <summary>Writes the head, <c>μ</c> then <c>v</c> in each row (<c>rows × 2k</c>), to <paramref name="head"/>.</summary>
    public void Distribution(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, int rows, Span<float> head) =>
        Forward(parameters, x, rows, head, head);

    /// <summary>
    /// Adds <c>β·Σ KL / rows</c> to the loss, forms <c>dμ = dz + (β/rows)·μ</c> and
    /// <c>dv = dz·ε·exp(v/2)/2 + (β/rows)·(eᵛ − 1)/2</c>, then runs the dense backward pass on them.
    /// </summary>
    public override void Backward(ref BackwardPass pass, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> saved, Span<float> dY, Span<float> dX)
    {
        int rows = pass.Rows, k = Latent;
        ReadOnlySpan<float> head = saved[..(rows * 2 * k)];
        ReadOnlySpan<float> epsilon = saved.Slice(rows * 2 * k, rows * k);
        Span<float> dHead = saved.Slice(rows * 3 * k, rows * 2 * k);
        pass.Loss += pass.KlWeight * KlSum(head, rows, k) / rows;
        HeadBackward(head, epsilon, dY, rows, k, (float)(pass.KlWeight / rows), dHead);
        BackwardFromPreActivation(pass.Parameters, x, dHead, rows, pass.Gradients, dX);
    }

    /// <inheritdoc/>
    public override bool TryWriteFileToken(Span<byte> utf8, out int written) =>
        System.Text.Unicode.Utf8.TryWrite(utf8, System.Globalization.CultureInfo.InvariantCulture, $"gaussian_head", out written);

    /// <summary>The mean half of the head, as inference exports it: one <c>[inputs, k]</c> Gemm.</summary>
    public override string EmitOnnx(IOnnxGraph graph, ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> state, string input, string? output)
    {
        ReadOnlySpan<float> stored = parameters.Span.Slice(WeightOffset, WeightCount);
        var means = new float[Inputs * Latent];
        for (int i = 0; i < Inputs; i++)
        {
            stored.Slice(i * Outputs, Latent).CopyTo(means.AsSpan(i * Latent, Latent));
        }

        return EmitGemm(graph, Invariant($"{Name}.mean"), means, parameters.Slice(BiasOffset, Latent), Latent, input, output);
    }

    /// <summary>
    /// Reparameterised sample: draws <c>ε ~ N(0, 1)</c> into <paramref name="epsilon"/> and writes
    /// <c>z = μ + exp(v/2)·ε</c> (<c>rows × k</c>).
    /// </summary>
    public static void Sample(ReadOnlySpan<float> head, int rows, int k, Span<float> epsilon, Span<float> z, ref Pcg32 random)
    {
        for (int i = 0; i < rows * k; i++)
        {
            epsilon[i] = (float)random.NextGaussian();
        }

        Reparameterize(head, rows, k, epsilon, z);
    }

    /// <summary><c>z = μ + exp(v/2)·ε</c> for a given <paramref name="epsilon"/>.</summary>
    public static void Reparameterize(ReadOnlySpan<float> head, int rows, int k, ReadOnlySpan<float> epsilon, Span<float> z)
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> mean = head.Slice(r * 2 * k, k);
            ReadOnlySpan<float> logVariance = head.Slice((r * 2 * k) + k, k);
            for (int j = 0; j < k; j++)
            {
                z[(r * k) + j] = mean[j] + (MathF.Exp(0.5f * logVariance[j]) * epsilon[(r * k) + j]);
            }
        }
    }

    /// <summary>
    /// <c>Σ_rows Σⱼ KL(N(μ, σ²) ‖ N(0, 1)) = Σ −½·(1 + v − μ² − eᵛ)</c>, in double; one entry per row
    /// in <paramref name="rowSums"/> when it is not empty.
    /// </summary>
    public static double KlSum(ReadOnlySpan<float> head, int rows, int k, Span<double> rowSums = default)
    {
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            double sum = 0;
            for (int j = 0; j < k; j++)
            {
                double mean = head[(r * 2 * k) + j];
                double logVariance = head[(r * 2 * k) + k + j];
                sum += -0.5 * (1 + logVariance - (mean * mean) - Math.Exp(logVariance));
            }

            if (!rowSums.IsEmpty)
            {
                rowSums[r] = sum;
            }

            total += sum;
        }

        return total;
    }

    /// <summary>
    /// Overwrites <paramref name="dHead"/> (<c>rows × 2k</c>) with the gradient of
    /// <c>loss(z) + klScale·KlSum</c> given <c>dz</c>: <c>dμ = dz + klScale·μ</c> and
    /// <c>dv = dz·ε·exp(v/2)/2 + klScale·(eᵛ − 1)/2</c>.
    /// </summary>
    public static void HeadBackward(ReadOnlySpan<float> head, ReadOnlySpan<float> epsilon, ReadOnlySpan<float> dz, int rows, int k, float klScale, Span<float> dHead)
    {
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < k; j++)
            {
                int mi = (r * 2 * k) + j, vi = mi + k, zi = (r * k) + j;
                float mean = head[mi], logVariance = head[vi];
                float sigma = MathF.Exp(0.5f * logVariance);
                dHead[mi] = dz[zi] + (klScale * mean);
                dHead[vi] = (0.5f * dz[zi] * epsilon[zi] * sigma) + (0.5f * klScale * ((sigma * sigma) - 1));
            }
        }
    }

    /// <summary>
    /// Copies the mean half of each row of a head (<c>rows × 2k</c>) to <paramref name="means"/>
    /// (<c>rows × k</c>); <paramref name="means"/> may be <paramref name="head"/> itself.
    /// </summary>
    public static void CopyMeans(ReadOnlySpan<float> head, int rows, int k, Span<float> means)
    {
        for (int r = 0; r < rows; r++)
        {
            // Forward order is safe in place: row r's target starts at or before its source.
            head.Slice(r * 2 * k, k).CopyTo(means.Slice(r * k, k));
        }
    }
}

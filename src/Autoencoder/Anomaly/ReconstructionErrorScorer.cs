using System.Buffers;
using Autoencoder.Losses;
using Autoencoder.Model;
using Autoencoder.Training;

namespace Autoencoder.Anomaly;

/// <summary>
/// Scores a row by its reconstruction error: the mean element loss (MSE or binary cross-entropy)
/// of reconstructing it, the same figure as <see cref="AutoencoderModel.ReconstructionErrors"/>.
/// </summary>
internal sealed class ReconstructionErrorScorer : IRowScorer
{
    /// <summary>Below this <c>e^(−|z|)</c>, <c>ln(1 + e)</c> is taken from its series (as the loss kernels do).</summary>
    private const double SeriesLimit = 1e-4;

    private readonly Network _network;
    private readonly LossFunction _loss;

    public ReconstructionErrorScorer(Network network, Loss loss)
    {
        _network = network;
        _loss = new LossFunction(loss, network.OutputActivation);
    }

    public Loss Loss => _loss.Kind;

    public int InputSize => _network.InputSize;

    public string? Domain => _loss.Kind == Loss.BinaryCrossEntropy ? "[0, 1] (binary cross-entropy)" : null;

    public bool Accepts(float value) => _loss.Kind != Loss.BinaryCrossEntropy || (value >= 0f && value <= 1f);

    public void Scores(ReadOnlySpan<float> rows, int count, Span<float> scores)
    {
        double[] sums = ArrayPool<double>.Shared.Rent(count);
        try
        {
            // The model's own per-row loss, so scores equal ReconstructionErrors bit for bit.
            Scoring.RowLossSums(_network, _loss, rows, count, sums);
            for (int i = 0; i < count; i++)
            {
                scores[i] = (float)(sums[i] / InputSize);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(sums);
        }
    }

    /// <summary>
    /// Each element's loss divided by <c>InputSize</c>, evaluated in double: MSE <c>(x̂ − x)²</c>;
    /// BCE from logits <c>max(z, 0) − z·x + ln(1 + e^(−|z|))</c> (sigmoid output) or from
    /// probabilities clamped to [ε, 1 − ε] (any other output), the formulas of the loss itself.
    /// </summary>
    public void Contributions(ReadOnlySpan<float> rows, int count, Span<float> contributions)
    {
        int width = InputSize;
        float[] output = ArrayPool<float>.Shared.Rent(count * width);
        float[] logits = ArrayPool<float>.Shared.Rent(count * width);
        try
        {
            _network.Run(0, _network.Layers.Count, rows, count, output, logits);
            double n = width;
            for (int i = 0; i < count * width; i++)
            {
                double x = rows[i];
                double term;
                if (_loss.Kind == Loss.MeanSquaredError)
                {
                    double d = output[i] - x;
                    term = d * d;
                }
                else if (_loss.FromLogits)
                {
                    double z = logits[i];
                    term = Math.Max(z, 0.0) - (z * x) + Log1pExp(-Math.Abs(z));
                }
                else
                {
                    double p = Math.Clamp(output[i], BinaryCrossEntropy.Epsilon, 1f - BinaryCrossEntropy.Epsilon);
                    term = -((x * Math.Log(p)) + ((1 - x) * Math.Log(1 - p)));
                }

                contributions[i] = (float)(term / n);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(output);
            ArrayPool<float>.Shared.Return(logits);
        }
    }

    /// <summary>ln(1 + e^t) for t ≤ 0, accurate when e^t is tiny.</summary>
    private static double Log1pExp(double t)
    {
        double e = Math.Exp(t);
        return e < SeriesLimit ? e * (1.0 - (e * (0.5 - (e / 3.0)))) : Math.Log(1.0 + e);
    }
}

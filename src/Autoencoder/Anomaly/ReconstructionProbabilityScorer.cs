using Autoencoder.Layers;
using Autoencoder.Losses;
using Autoencoder.Model;
using Autoencoder.Training;

namespace Autoencoder.Anomaly;

/// <summary>
/// Scores a row by a variational model's reconstruction probability (An and Cho, 2015): the
/// negative log-likelihood <c>−(1/L)·Σₗ log p(x | zₗ)</c> summed over features, with
/// <c>zₗ = μ + σ·εₗ</c> drawn from <c>q(z | x)</c>. The draws come from a generator seeded by the
/// row's own values, so a row's score is the same whichever rows share its batch, in every run.
/// </summary>
internal sealed class ReconstructionProbabilityScorer : IRowScorer
{
    /// <summary>Latent draws per row.</summary>
    public const int Samples = 10;

    private const ulong Stream = 5;
    private static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);

    private readonly Network _network;
    private readonly LossFunction _loss;

    public ReconstructionProbabilityScorer(Network network, Loss likelihood)
    {
        _network = network;
        _loss = new LossFunction(likelihood, network.OutputActivation);
    }

    public int InputSize => _network.InputSize;

    public string? Domain => _loss.Loss.Likelihood == VariationalLikelihood.Bernoulli ? "[0, 1] (Bernoulli likelihood)" : null;

    public bool Accepts(float value) => _loss.Loss.Accepts(value);

    public void Scores(ReadOnlySpan<float> rows, int count, Span<float> scores)
    {
        float[] terms = _network.Scratch.Floats.Rent(count * InputSize);
        try
        {
            Contributions(rows, count, terms);
            for (int r = 0; r < count; r++)
            {
                double sum = 0;
                foreach (float term in terms.AsSpan(r * InputSize, InputSize))
                {
                    sum += term;
                }

                scores[r] = (float)sum;
            }
        }
        finally
        {
            _network.Scratch.Floats.Return(terms);
        }
    }

    /// <summary>
    /// Each feature's negative log-likelihood averaged over the draws, in double: Bernoulli
    /// <c>−(x·ln p + (1 − x)·ln(1 − p))</c> from logits when the output is a sigmoid, or the
    /// unit-variance Gaussian <c>½(x̂ − x)² + ½·ln 2π</c>.
    /// </summary>
    public void Contributions(ReadOnlySpan<float> rows, int count, Span<float> contributions)
    {
        int width = InputSize, k = _network.LatentSize;
        float[] head = _network.Scratch.Floats.Rent(2 * k);
        float[] epsilon = _network.Scratch.Floats.Rent(Samples * k);
        float[] z = _network.Scratch.Floats.Rent(Samples * k);
        float[] output = _network.Scratch.Floats.Rent(Samples * width);
        float[] logits = _network.Scratch.Floats.Rent(Samples * width);
        double[] sums = _network.Scratch.Doubles.Rent(width);
        try
        {
            for (int r = 0; r < count; r++)
            {
                ReadOnlySpan<float> row = rows.Slice(r * width, width);
                _network.Run(0, _network.EncoderEnd, row, 1, head, fullHead: true);
                var random = new Pcg32(Fingerprint(row), Stream);
                for (int s = 0; s < Samples; s++)
                {
                    // One row's μ and log σ², reused for each draw.
                    GaussianHeadLayer.Sample(head, 1, k, epsilon.AsSpan(s * k, k), z.AsSpan(s * k, k), ref random);
                }

                // The draws decoded as rows, in blocks the network's scratch bound allows (each row's result is its own).
                int drawsPerBlock = Math.Min(Samples, _network.InferenceBlockRows);
                for (int s = 0; s < Samples; s += drawsPerBlock)
                {
                    int draws = Math.Min(drawsPerBlock, Samples - s);
                    _network.Run(
                        _network.EncoderEnd, _network.Layers.Count, z.AsSpan(s * k, draws * k), draws,
                        output.AsSpan(s * width, draws * width), logits.AsSpan(s * width, draws * width));
                }

                Array.Clear(sums, 0, width);
                for (int s = 0; s < Samples; s++)
                {
                    for (int i = 0; i < width; i++)
                    {
                        sums[i] += Term(row[i], output[(s * width) + i], logits[(s * width) + i]);
                    }
                }

                for (int i = 0; i < width; i++)
                {
                    contributions[(r * width) + i] = (float)(sums[i] / Samples);
                }
            }
        }
        finally
        {
            _network.Scratch.Floats.Return(head);
            _network.Scratch.Floats.Return(epsilon);
            _network.Scratch.Floats.Return(z);
            _network.Scratch.Floats.Return(output);
            _network.Scratch.Floats.Return(logits);
            _network.Scratch.Doubles.Return(sums);
        }
    }

    /// <summary>
    /// One feature's negative log-likelihood from the loss's own per-element term: Bernoulli, the
    /// binary cross-entropy (from the logit on a sigmoid output); Gaussian, <c>½(x̂ − x)² + ½·ln 2π</c>.
    /// </summary>
    private double Term(float x, float output, float logit)
    {
        double term = _loss.Term(logit, output, x);
        return _loss.Loss.Likelihood == VariationalLikelihood.Gaussian ? (0.5 * term) + HalfLog2Pi : term;
    }

    /// <summary>FNV-1a over the row's float bits (−0 read as +0): equal rows always seed the same draws.</summary>
    private static ulong Fingerprint(ReadOnlySpan<float> row)
    {
        ulong hash = 14695981039346656037UL;
        foreach (float value in row)
        {
            float canonical = value == 0f ? 0f : value;
            hash = unchecked((hash ^ (uint)BitConverter.SingleToInt32Bits(canonical)) * 1099511628211UL);
        }

        return hash;
    }
}

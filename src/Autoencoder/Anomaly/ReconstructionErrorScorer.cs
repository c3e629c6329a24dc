using Autoencoder.Losses;
using Autoencoder.Model;
using Autoencoder.Training;

namespace Autoencoder.Anomaly;

/// <summary>
/// Scores a row by its reconstruction error: the mean element loss (any <see cref="Loss"/>) of
/// reconstructing it, the same figure as <see cref="AutoencoderModel.ReconstructionErrors(MathNet.Numerics.LinearAlgebra.Matrix{float}, Loss)"/>.
/// </summary>
internal sealed class ReconstructionErrorScorer : IRowScorer
{
    private readonly Network _network;
    private readonly LossFunction _loss;

    public ReconstructionErrorScorer(Network network, Loss loss)
    {
        _network = network;
        _loss = new LossFunction(loss, network.OutputActivation);
    }

    public Loss Loss => _loss.Loss;

    public int InputSize => _network.InputSize;

    public string? Domain => _loss.Loss.TargetDomain;

    public bool Accepts(float value) => _loss.Loss.Accepts(value);

    public void Scores(ReadOnlySpan<float> rows, int count, Span<float> scores)
    {
        double[] sums = _network.Scratch.Doubles.Rent(count);
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
            _network.Scratch.Doubles.Return(sums);
        }
    }

    /// <summary>
    /// Each element's loss divided by <c>InputSize</c>, evaluated in double by the loss itself
    /// (<see cref="LossFunction.Term"/>: binary cross-entropy from the logit on a sigmoid output).
    /// </summary>
    public void Contributions(ReadOnlySpan<float> rows, int count, Span<float> contributions)
    {
        int width = InputSize;
        float[] output = _network.Scratch.Floats.Rent(count * width);
        float[] logits = _network.Scratch.Floats.Rent(count * width);
        try
        {
            _network.Run(0, _network.Layers.Count, rows, count, output, logits);
            double n = width;
            for (int i = 0; i < count * width; i++)
            {
                double term = _loss.Term(logits[i], output[i], rows[i]);
                contributions[i] = (float)(term / n);
            }
        }
        finally
        {
            _network.Scratch.Floats.Return(output);
            _network.Scratch.Floats.Return(logits);
        }
    }
}

using Autoencoder.Data;
using Autoencoder.Losses;
using Autoencoder.Training;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoder;

public sealed partial class AutoencoderModel
{
    /// <summary>
    /// Variational models: the mean and log-variance of <c>q(z | x)</c> for every row of
    /// <paramref name="x"/>, two <c>N × LatentSize</c> matrices (the mean is what <see cref="Encode(Matrix{float})"/> returns).
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not variational.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, has the wrong column count, or holds NaN or infinity.</exception>
    public (Matrix<float> Mean, Matrix<float> LogVariance) EncodeDistribution(Matrix<float> x)
    {
        RequireVariational(nameof(EncodeDistribution));
        Guard.Data(x, InputSize, "one per input feature of the model");
        Matrix<float> head = Apply(x, 0, _network.EncoderEnd, 2 * LatentSize, fullHead: true);
        return (head.SubMatrix(0, head.RowCount, 0, LatentSize), head.SubMatrix(0, head.RowCount, LatentSize, LatentSize));
    }

    /// <summary>
    /// Variational models: <paramref name="count"/> new samples, decoded from codes drawn from the
    /// prior <c>N(0, I)</c> (the decoder's output, e.g. pixel probabilities with a sigmoid output): a
    /// <c>count × InputSize</c> matrix. The same <paramref name="seed"/> gives the same samples.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not variational.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive, or too large for one matrix.</exception>
    public Matrix<float> Generate(int count, int? seed = null)
    {
        RequireVariational(nameof(Generate));
        Guard.Positive(count);
        long values = Math.Max((long)count * LatentSize, (long)count * InputSize);
        if (values > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(count), Invariant($"{nameof(count)} must be at most {Array.MaxLength / Math.Max(LatentSize, InputSize)} for this model (one matrix must hold the samples); got {count}."));
        }

        var random = new Pcg32((ulong)(uint)(seed ?? Random.Shared.Next()), GenerationStream);
        var codes = new float[checked(count * LatentSize)];
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = (float)random.NextGaussian();
        }

        // Column-major storage of a count × LatentSize matrix of independent draws is as good as any.
        return Decode(Matrix<float>.Build.Dense(count, LatentSize, codes));
    }

    /// <summary>
    /// Variational models: the reconstruction log-likelihood of every row,
    /// <c>(1/S)·Σₛ log p(x | zₛ)</c> with <c>zₛ ~ q(z | x)</c> (<paramref name="samples"/> draws), the
    /// "reconstruction probability" used to score anomalies (low values are anomalous). The likelihood
    /// is Bernoulli for <see cref="Loss.BinaryCrossEntropy"/> and a unit-variance Gaussian for
    /// <see cref="Loss.MeanSquaredError"/>, in nats. The same <paramref name="seed"/> gives the same values.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not variational.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, has the wrong column count, holds NaN or infinity, or (BCE) values outside [0, 1].</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is not positive.</exception>
    public Vector<float> ReconstructionLogLikelihood(Matrix<float> x, Loss loss, int samples = 10, int? seed = null)
    {
        double[] nll = VariationalTerms(nameof(ReconstructionLogLikelihood), x, loss, samples, seed, out _);
        return Vector<float>.Build.Dense(nll.Length, i => (float)-nll[i]);
    }

    /// <summary>
    /// Variational models: the evidence lower bound averaged over the rows of <paramref name="x"/>,
    /// <c>mean(log p(x | z) − KL(q(z | x) ‖ N(0, I)))</c>, estimated with <paramref name="samples"/> draws of
    /// <c>z</c> per row (higher is better; training minimises its negative).
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not variational.</exception>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty, has the wrong column count, holds NaN or infinity, or (BCE) values outside [0, 1].</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is not positive.</exception>
    public double Elbo(Matrix<float> x, Loss loss, int samples = 1, int? seed = null)
    {
        double[] nll = VariationalTerms(nameof(Elbo), x, loss, samples, seed, out double[] kl);
        double total = 0;
        for (int i = 0; i < nll.Length; i++)
        {
            total -= nll[i] + kl[i];
        }

        return total / nll.Length;
    }

    private double[] VariationalTerms(string method, Matrix<float> x, Loss loss, int samples, int? seed, out double[] kl)
    {
        RequireVariational(method);
        ArgumentNullException.ThrowIfNull(loss);
        RequireLikelihood(loss, nameof(loss));
        Guard.Positive(samples);
        Guard.Data(x, InputSize, "one per input feature of the model");
        ValidateTargets(x, loss, nameof(x));
        var random = new Pcg32((ulong)(uint)(seed ?? Random.Shared.Next()), GenerationStream);
        var lossFunction = new LossFunction(loss, _network.OutputActivation);
        var nll = new double[x.RowCount];
        kl = new double[x.RowCount];
        float[] rows = RowMajor.ToArray(x);
        Scoring.VariationalRowTerms(_network, lossFunction, rows, x.RowCount, samples, ref random, nll, kl);
        return nll;
    }

    private void RequireVariational(string method)
    {
        if (!IsVariational)
        {
            throw new InvalidOperationException(
                Invariant($"{method} needs a variational model (built with {nameof(AutoencoderBuilder)}.{nameof(AutoencoderBuilder.WithVariationalLatent)}); this model is a plain autoencoder."));
        }
    }

    /// <summary>A variational model's likelihood comes from its loss: binary cross-entropy (Bernoulli) or squared error (Gaussian).</summary>
    private void RequireLikelihood(Loss loss, string name)
    {
        if (IsVariational && loss.Likelihood == VariationalLikelihood.None)
        {
            throw new ArgumentException(
                Invariant($"{name} must be Loss.BinaryCrossEntropy (a Bernoulli likelihood) or Loss.MeanSquaredError (a unit-variance Gaussian) for a variational model; got {loss}."), name);
        }
    }
}

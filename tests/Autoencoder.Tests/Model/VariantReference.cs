using Autoencoder.Layers;
using Autoencoder.Model;
using MathNet.Numerics;

namespace Autoencoder.Tests.Model;

/// <summary>
/// The whole training objective of a network with its variants (dropout, activity and sparsity
/// penalties, tied weights, variational head, contractive penalty, batch normalization), in double, written from the
/// formulas over whole batches. Random draws (corrupted inputs, dropout masks, ε) are given, so
/// the objective is a plain function of the parameters that finite differences can probe.
/// </summary>
internal static class VariantReference
{
    public static double Objective(
        Network network, double[] theta, double[] clean, double[] input, int rows, Loss loss,
        float[][] masks, float[] epsilon, double klWeight)
    {
        var layers = network.DenseLayers;
        NetworkSpec spec = network.Spec;
        int head = network.IsVariational ? network.EncoderLayerCount - 1 : -1;
        int k = network.LatentSize;
        double[] x = input;
        double total = 0;
        double[] z = [];
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            int n = layer.Inputs, m = layer.Outputs;
            z = new double[rows * m];
            var a = new double[rows * m];
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < m; j++)
                {
                    double sum = theta[layer.BiasOffset + j];
                    for (int i = 0; i < n; i++)
                    {
                        sum += x[(r * n) + i] * Weight(layer, theta, i, j);
                    }

                    z[(r * m) + j] = sum;
                    a[(r * m) + j] = Reference.Activate(layer.Activation, sum);
                }
            }

            if (network.LayerOptions[l].BatchNormalization)
            {
                // BatchNorm1d in training: batch mean and biased variance per unit, then γ·x̂ + β, then the activation.
                var norm = network.Layers.OfType<BatchNormLayer>().Single(b => b.Name == layer.Name + ".batch_norm");
                double bnEpsilon = norm.Epsilon;
                for (int j = 0; j < m; j++)
                {
                    double mean = 0, variance = 0;
                    for (int r = 0; r < rows; r++)
                    {
                        mean += z[(r * m) + j] / rows;
                    }

                    for (int r = 0; r < rows; r++)
                    {
                        variance += (z[(r * m) + j] - mean) * (z[(r * m) + j] - mean) / rows;
                    }

                    double gamma = theta[norm.ParameterOffset + j], beta = theta[norm.ParameterOffset + m + j];
                    for (int r = 0; r < rows; r++)
                    {
                        double normalized = (z[(r * m) + j] - mean) / Math.Sqrt(variance + bnEpsilon);
                        a[(r * m) + j] = Reference.Activate(network.Spec.Encoder.Concat(network.Spec.Decoder).ElementAt(l).Activation, (gamma * normalized) + beta);
                    }
                }
            }

            if (l < layers.Count - 1)
            {
                LayerOptions options = network.LayerOptions[l];
                total += a.Sum(v => (options.ActivityL1 * Math.Abs(v)) + (options.ActivityL2 * v * v)) / rows;
            }

            if (l == network.EncoderLayerCount - 1 && spec.SparsityWeight > 0)
            {
                double rho = spec.SparsityTarget;
                for (int j = 0; j < m; j++)
                {
                    double mean = Enumerable.Range(0, rows).Average(r => a[(r * m) + j]);
                    total += spec.SparsityWeight * ((rho * Math.Log(rho / mean)) + ((1 - rho) * Math.Log((1 - rho) / (1 - mean))));
                }
            }

            if (l == 0 && spec.ContractiveWeight > 0)
            {
                double jacobian = 0;
                for (int r = 0; r < rows; r++)
                {
                    for (int j = 0; j < m; j++)
                    {
                        double slope = Slope(layer.Activation, z[(r * m) + j]);
                        for (int i = 0; i < n; i++)
                        {
                            double w = Weight(layer, theta, i, j);
                            jacobian += slope * slope * w * w;
                        }
                    }
                }

                total += spec.ContractiveWeight * jacobian / rows;
            }

            if (l == head)
            {
                var sample = new double[rows * k];
                for (int r = 0; r < rows; r++)
                {
                    for (int j = 0; j < k; j++)
                    {
                        double mean = a[(r * 2 * k) + j], logVariance = a[(r * 2 * k) + k + j];
                        sample[(r * k) + j] = mean + (Math.Exp(logVariance / 2) * epsilon[(r * k) + j]);
                        total += klWeight * -0.5 * (1 + logVariance - (mean * mean) - Math.Exp(logVariance)) / rows;
                    }
                }

                x = sample;
            }
            else if (masks[l].Length > 0)
            {
                x = a.Select((v, i) => v * masks[l][i]).ToArray();
            }
            else
            {
                x = a;
            }
        }

        int width = network.OutputSize;
        bool logits = loss == Loss.BinaryCrossEntropy && layers[^1].Activation == Activation.Sigmoid;
        double reconstruction = 0;
        for (int i = 0; i < rows * width; i++)
        {
            reconstruction += logits
                ? Math.Max(z[i], 0) - (z[i] * clean[i]) + Math.Log(1 + Math.Exp(-Math.Abs(z[i])))
                : Reference.ElementLoss(loss, x[i], clean[i]);
        }

        if (!network.IsVariational)
        {
            return total + (reconstruction / (rows * width));
        }

        return loss == Loss.MeanSquaredError
            ? total + (0.5 * reconstruction / rows) + (0.5 * width * Math.Log(2 * Math.PI))
            : total + (reconstruction / rows);
    }

    /// <summary>Effective <c>W[i, j]</c> of a layer (input i, output j), reading tied weights transposed.</summary>
    private static double Weight(Autoencoder.Layers.DenseLayer layer, double[] theta, int i, int j) =>
        layer.TransposedWeights ? theta[layer.WeightOffset + (j * layer.Inputs) + i] : theta[layer.WeightOffset + (i * layer.Outputs) + j];

    /// <summary>f′(z) written from each activation's formula.</summary>
    private static double Slope(Activation activation, double z) => activation switch
    {
        Activation.Identity => 1,
        Activation.Sigmoid => Reference.Activate(Activation.Sigmoid, z) * (1 - Reference.Activate(Activation.Sigmoid, z)),
        Activation.Tanh => 1 - (Math.Tanh(z) * Math.Tanh(z)),
        Activation.Elu => z > 0 ? 1 : Math.Exp(z),
        Activation.Softplus => Reference.Activate(Activation.Sigmoid, z),
        Activation.Gelu => (0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2))) + (z * Math.Exp(-z * z / 2) / Math.Sqrt(2 * Math.PI)),
        Activation.Relu => z > 0 ? 1 : 0,
        Activation.LeakyRelu => z > 0 ? 1 : 0.01,
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };
}

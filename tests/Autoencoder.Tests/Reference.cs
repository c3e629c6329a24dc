using MathNet.Numerics;

namespace Autoencoder.Tests;

/// <summary>
/// Double-precision references written straight from the formulas, independent of the library's
/// kernels: the oracles for value and finite-difference gradient checks.
/// </summary>
internal static class Reference
{
    public static double Activate(Activation activation, double z) => activation switch
    {
        Activation.Identity => z,
        Activation.Relu => Math.Max(z, 0),
        Activation.LeakyRelu => z > 0 ? z : 0.01 * z,
        Activation.Sigmoid => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z)),
        Activation.Tanh => Math.Tanh(z),
        Activation.Elu => z > 0 ? z : Math.Exp(z) - 1, // exact enough in double for the test range
        Activation.Gelu => z * 0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2)),
        Activation.Softplus => Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z))),
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    /// <summary>Central finite difference of <paramref name="f"/> at <paramref name="x"/>.</summary>
    public static double Derivative(Func<double, double> f, double x, double h = 1e-6) => (f(x + h) - f(x - h)) / (2 * h);

    /// <summary>Element loss, with BCE on probabilities clamped as Keras does.</summary>
    public static double ElementLoss(Loss loss, double output, double target) =>
        loss == Loss.MeanSquaredError ? (output - target) * (output - target)
        : loss == Loss.BinaryCrossEntropy ? Bce(Math.Clamp(output, 1e-7, 1 - 1e-7), target)
        : loss == Loss.MeanAbsoluteError ? Math.Abs(output - target)
        : loss is Autoencoder.Losses.HuberLoss huber ? Huber(output - target, huber.Delta)
        : throw new ArgumentOutOfRangeException(nameof(loss));

    /// <summary>PyTorch's <c>HuberLoss</c> of a difference <paramref name="d"/>, in double.</summary>
    public static double Huber(double d, double delta) => Math.Abs(d) < delta ? 0.5 * d * d : delta * (Math.Abs(d) - (0.5 * delta));

    public static double Bce(double p, double x) => -(x * Math.Log(p) + (1 - x) * Math.Log(1 - p));

    /// <summary>
    /// The baseline every autoencoder must beat: the mean element loss on <paramref name="heldOut"/>
    /// of predicting the mean image of <paramref name="train"/> for every row.
    /// </summary>
    public static double MeanImageLoss(MathNet.Numerics.LinearAlgebra.Matrix<float> train, MathNet.Numerics.LinearAlgebra.Matrix<float> heldOut, Loss loss)
    {
        MathNet.Numerics.LinearAlgebra.Vector<float> mean = train.ColumnSums() / train.RowCount;
        double sum = 0;
        for (int r = 0; r < heldOut.RowCount; r++)
        {
            for (int c = 0; c < heldOut.ColumnCount; c++)
            {
                sum += ElementLoss(loss, mean[c], heldOut[r, c]);
            }
        }

        return sum / ((double)heldOut.RowCount * heldOut.ColumnCount);
    }

    /// <summary>
    /// The mean loss of a network described by <paramref name="layers"/> with parameters
    /// <paramref name="theta"/> (same layout as the library's buffer) on row-major data.
    /// With a sigmoid output and BCE the loss is evaluated from the logit in double, which equals
    /// the probability form wherever the clamp is inactive.
    /// </summary>
    public static double NetworkLoss(IReadOnlyList<LayerDescription> layers, double[] theta, double[] x, int rows, Loss loss)
    {
        int inputSize = layers[0].Inputs;
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            double[] a = x.AsSpan(r * inputSize, inputSize).ToArray();
            double[] target = a;
            int offset = 0;
            double[] z = [];
            foreach (LayerDescription layer in layers)
            {
                z = new double[layer.Units];
                var next = new double[layer.Units];
                for (int j = 0; j < layer.Units; j++)
                {
                    double sum = theta[offset + layer.Inputs * layer.Units + j];
                    for (int i = 0; i < layer.Inputs; i++)
                    {
                        sum += a[i] * theta[offset + i * layer.Units + j];
                    }

                    z[j] = sum;
                    next[j] = Activate(layer.Activation, sum);
                }

                offset += layer.Inputs * layer.Units + layer.Units;
                a = next;
            }

            bool logits = loss == Loss.BinaryCrossEntropy && layers[^1].Activation == Activation.Sigmoid;
            for (int j = 0; j < a.Length; j++)
            {
                total += logits
                    ? Math.Max(z[j], 0) - z[j] * target[j] + Math.Log(1 + Math.Exp(-Math.Abs(z[j])))
                    : ElementLoss(loss, a[j], target[j]);
            }
        }

        return total / ((double)rows * inputSize);
    }
}

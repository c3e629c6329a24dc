using Autoencoder.Kernels;
using Autoencoder.Layers;
using Autoencoder.Losses;
using Autoencoder.Model;

namespace Autoencoder.Training;

/// <summary>What a training step draws or weighs besides the network: input noise and the KL weight.</summary>
/// <param name="Corruption">Noise applied to the inputs (not the targets), or null.</param>
/// <param name="KlWeight">β of a variational model's KL term for this step.</param>
internal readonly record struct StepSettings(InputCorruption? Corruption, double KlWeight)
{
    public static StepSettings Default => new(null, 1);
}

/// <summary>One training-mode forward and backward pass over a network's layers, for a batch held in a <see cref="TrainingWorkspace"/>.</summary>
internal static class Backpropagation
{
    private static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary><see cref="Run(Network, TrainingWorkspace, int, LossFunction, in StepSettings, ref Pcg32)"/> with no noise and a fixed generator.</summary>
    public static double Run(Network network, TrainingWorkspace workspace, int rows, LossFunction loss)
    {
        var random = new Pcg32(0, 0);
        return Run(network, workspace, rows, loss, StepSettings.Default, ref random);
    }

    /// <summary>
    /// Runs the network on the first <paramref name="rows"/> rows of <see cref="TrainingWorkspace.Input"/>
    /// (the targets; the network sees their corrupted copy when <see cref="StepSettings.Corruption"/>
    /// is set), overwrites <see cref="TrainingWorkspace.Gradients"/> with the gradient of the batch
    /// loss and <see cref="TrainingWorkspace.NextState"/> with the layers' updated state, and returns
    /// that loss: the mean element loss (the negative ELBO per sample for a variational model) plus
    /// every penalty. The noise is drawn from <paramref name="random"/> first, then each layer's
    /// draws in layer order.
    /// </summary>
    public static double Run(Network network, TrainingWorkspace workspace, int rows, LossFunction loss, in StepSettings settings, ref Pcg32 random) =>
        Run(network, workspace, 0, rows, loss, settings, ref random);

    /// <summary>
    /// <see cref="Run(Network, TrainingWorkspace, int, LossFunction, in StepSettings, ref Pcg32)"/> on
    /// the <paramref name="rows"/> rows of <see cref="TrainingWorkspace.Input"/> from row
    /// <paramref name="firstRow"/> on: one slice of a batch, as if it were the whole batch.
    /// </summary>
    public static double Run(Network network, TrainingWorkspace workspace, int firstRow, int rows, LossFunction loss, in StepSettings settings, ref Pcg32 random)
    {
        // Dozens of products and element-wise passes in a row, each split over the threads: the
        // helpers stay awake between them, and through the optimizer step that follows (the linger).
        using WorkerPool.AwakeScope awake = WorkerPool.Awake();
        var layers = network.Layers;
        float[] parameters = network.Parameters;
        int inputCount = rows * network.InputSize;
        ReadOnlySpan<float> targets = workspace.Input.AsSpan(firstRow * network.InputSize, inputCount);
        ReadOnlySpan<float> input = targets;
        if (settings.Corruption is { } corruption)
        {
            corruption.Apply(targets, workspace.CorruptedInput.AsSpan(0, inputCount), ref random);
            input = workspace.CorruptedInput.AsSpan(0, inputCount);
        }

        // Forward: every layer keeps its output and what it saves for the backward pass. The next
        // state starts as the current one, so a layer that leaves its state alone keeps it.
        network.State.CopyTo(workspace.NextState, 0);
        var forward = new ForwardPass(rows, parameters, network.State, workspace.NextState, workspace.DoubleScratch, ref random);
        ReadOnlySpan<float> x = input;
        for (int l = 0; l < layers.Count; l++)
        {
            Span<float> y = workspace.Outputs[l].AsSpan(0, rows * layers[l].OutputSize);
            layers[l].Forward(ref forward, x, y, workspace.Saved[l]);
            x = y;
        }

        // The reconstruction term: a mean over elements, or for a variational model the negative
        // log-likelihood summed over features (Bernoulli for BCE, unit-variance Gaussian for MSE).
        int outputCount = rows * network.OutputSize;
        Layer last = layers[^1];
        ReadOnlySpan<float> output = workspace.Outputs[^1].AsSpan(0, outputCount);
        ReadOnlySpan<float> logits = last.PreActivation(InputOf(network, workspace, layers.Count - 1, rows, input), output, workspace.Saved[^1])[..outputCount];
        double reconstructionScale = ReconstructionScale(network, loss, rows);
        double total = loss.Sum(logits, output, targets) * reconstructionScale;
        if (network.IsVariational && loss.Loss.Likelihood == VariationalLikelihood.Gaussian)
        {
            total += network.OutputSize * HalfLog2Pi;
        }

        // Backward: the loss gives the output layer's gradient through its activation; then layer
        // by layer towards the input, each layer's output penalties first.
        float[] dY = workspace.GradientA;
        loss.Gradient(logits, output, targets, (float)reconstructionScale, dY.AsSpan(0, outputCount));
        var backward = new BackwardPass(rows, parameters, workspace.Gradients, settings.KlWeight, workspace.DoubleScratch, total) { FromPreActivation = true };
        for (int l = layers.Count - 1; l >= 0; l--)
        {
            Layer layer = layers[l];
            Span<float> dOutput = dY.AsSpan(0, rows * layer.OutputSize);
            ReadOnlySpan<float> y = workspace.Outputs[l].AsSpan(0, rows * layer.OutputSize);
            var penalties = layer.Penalties;
            for (int p = 0; p < penalties.Count; p++)
            {
                backward.Loss += penalties[p].Apply(y, rows, dOutput, workspace.DoubleScratch);
            }

            float[] dX = dY == workspace.GradientA ? workspace.GradientB : workspace.GradientA;
            Span<float> dInput = l == 0 ? default : dX.AsSpan(0, rows * layer.InputSize);
            layer.Backward(ref backward, InputOf(network, workspace, l, rows, input), y, workspace.Saved[l], dOutput, dInput);
            backward.FromPreActivation = false;
            dY = dX;
        }

        return backward.Loss;
    }

    /// <summary>
    /// Factor from the summed element loss to the reconstruction term: <c>1/(rows·n)</c> (a mean), or
    /// for a variational model <c>1/rows</c> (BCE) and <c>1/(2·rows)</c> (MSE as a unit-variance Gaussian).
    /// </summary>
    public static double ReconstructionScale(Network network, LossFunction loss, int rows) =>
        !network.IsVariational ? 1.0 / ((double)rows * network.OutputSize)
        : loss.Loss.Likelihood == VariationalLikelihood.Gaussian ? 0.5 / rows
        : 1.0 / rows;

    /// <summary>What layer <paramref name="l"/> read: the network's input or the previous layer's output.</summary>
    private static ReadOnlySpan<float> InputOf(Network network, TrainingWorkspace workspace, int l, int rows, ReadOnlySpan<float> input) =>
        l == 0 ? input : workspace.Outputs[l - 1].AsSpan(0, rows * network.Layers[l - 1].OutputSize);
}

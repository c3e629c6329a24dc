using Autoencoder.Activations;
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

/// <summary>One forward and backward pass over a batch held in a <see cref="TrainingWorkspace"/>.</summary>
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
    /// loss, and returns that loss: the mean element loss (the negative ELBO per sample for a
    /// variational model) plus every regularisation penalty. Noise, dropout masks and the
    /// variational sample are drawn from <paramref name="random"/> in that order.
    /// </summary>
    public static double Run(Network network, TrainingWorkspace workspace, int rows, LossFunction loss, in StepSettings settings, ref Pcg32 random)
    {
        var layers = network.Layers;
        var options = network.LayerOptions;
        NetworkSpec spec = network.Spec;
        float[] parameters = network.Parameters;
        int inputCount = rows * network.InputSize;
        ReadOnlySpan<float> targets = workspace.Input.AsSpan(0, inputCount);
        ReadOnlySpan<float> input = targets;
        if (settings.Corruption is { } corruption)
        {
            corruption.Apply(targets, workspace.CorruptedInput.AsSpan(0, inputCount), ref random);
            input = workspace.CorruptedInput.AsSpan(0, inputCount);
        }

        int head = network.IsVariational ? network.EncoderLayerCount - 1 : -1;
        int k = network.LatentSize;

        // Forward: keep Z and A of every layer (and masks, noise) for the backward pass.
        ReadOnlySpan<float> x = input;
        for (int l = 0; l < layers.Count; l++)
        {
            int count = rows * layers[l].Outputs;
            layers[l].Forward(parameters, x, rows, workspace.PreActivations[l], workspace.Activations[l]);
            if (l == head)
            {
                VariationalHead.Sample(workspace.Activations[l], rows, k, workspace.Epsilon, workspace.Latent, ref random);
            }
            else if (workspace.Dropped[l].Length > 0)
            {
                Regularizers.Dropout(
                    options[l].Dropout, workspace.Activations[l].AsSpan(0, count), workspace.DropoutMasks[l], workspace.Dropped[l], ref random);
            }

            x = OutputOf(workspace, l, head, rows, layers[l].Outputs, k);
        }

        // The reconstruction term: a mean over elements, or for a variational model the negative
        // log-likelihood summed over features (Bernoulli for BCE, unit-variance Gaussian for MSE).
        int outputCount = rows * network.OutputSize;
        ReadOnlySpan<float> logits = workspace.PreActivations[^1].AsSpan(0, outputCount);
        ReadOnlySpan<float> output = workspace.Activations[^1].AsSpan(0, outputCount);
        double reconstructionScale = ReconstructionScale(network, loss, rows);
        double total = loss.Sum(logits, output, targets) * reconstructionScale;
        if (network.IsVariational && loss.Loss.Likelihood == VariationalLikelihood.Gaussian)
        {
            total += network.OutputSize * HalfLog2Pi;
        }

        // Backward: dZ of the last layer from the loss, then layer by layer towards the input.
        float[] dZ = workspace.GradientA;
        loss.Gradient(logits, output, targets, (float)reconstructionScale, dZ.AsSpan(0, outputCount));
        for (int l = layers.Count - 1; l >= 0; l--)
        {
            var layer = layers[l];
            ReadOnlySpan<float> layerInput = l == 0 ? input : OutputOf(workspace, l - 1, head, rows, layers[l - 1].Outputs, k);
            float[] dX = dZ == workspace.GradientA ? workspace.GradientB : workspace.GradientA;
            Span<float> dInput = l == 0 ? default : dX.AsSpan(0, rows * layer.Inputs);
            if (l == 0 && spec.ContractiveWeight > 0)
            {
                total += Regularizers.ContractivePenalty(
                    spec.ContractiveWeight, layer, parameters, workspace.PreActivations[0], workspace.Activations[0], rows, dZ, workspace.DoubleScratch);
            }

            layer.Backward(parameters, layerInput, dZ, rows, workspace.Gradients, dInput);
            if (l == 0 && spec.ContractiveWeight > 0)
            {
                Regularizers.ContractiveWeightGradient(spec.ContractiveWeight, layer, parameters, workspace.Gradients, workspace.DoubleScratch);
            }

            if (l == 0)
            {
                break;
            }

            int below = l - 1;
            int belowCount = rows * layers[below].Outputs;
            if (below == head)
            {
                // dInput is dL/dz; the head's identity activation makes dZ = dA.
                total += settings.KlWeight * VariationalHead.KlSum(workspace.Activations[below], rows, k) / rows;
                VariationalHead.Backward(workspace.Activations[below], workspace.Epsilon, dInput, rows, k, (float)(settings.KlWeight / rows), workspace.HeadGradient);
                dZ = workspace.HeadGradient;
                continue;
            }

            ReadOnlySpan<float> a = workspace.Activations[below].AsSpan(0, belowCount);
            if (workspace.DropoutMasks[below].Length > 0)
            {
                Regularizers.DropoutBackward(workspace.DropoutMasks[below].AsSpan(0, belowCount), dInput);
            }

            LayerOptions belowOptions = options[below];
            if (belowOptions.ActivityL1 > 0 || belowOptions.ActivityL2 > 0)
            {
                total += Regularizers.ActivityPenalty(belowOptions.ActivityL1, belowOptions.ActivityL2, a, rows, dInput);
            }

            if (below == network.EncoderLayerCount - 1 && spec.SparsityWeight > 0)
            {
                total += Regularizers.SparsityPenalty(spec.SparsityTarget, spec.SparsityWeight, a, rows, k, dInput, workspace.DoubleScratch);
            }

            ActivationFunctions.Backward(layers[below].Activation, workspace.PreActivations[below].AsSpan(0, belowCount), a, dInput, dInput);
            dZ = dX;
        }

        return total;
    }

    /// <summary>
    /// Factor from the summed element loss to the reconstruction term: <c>1/(rows·n)</c> (a mean), or
    /// for a variational model <c>1/rows</c> (BCE) and <c>1/(2·rows)</c> (MSE as a unit-variance Gaussian).
    /// </summary>
    public static double ReconstructionScale(Network network, LossFunction loss, int rows) =>
        !network.IsVariational ? 1.0 / ((double)rows * network.OutputSize)
        : loss.Loss.Likelihood == VariationalLikelihood.Gaussian ? 0.5 / rows
        : 1.0 / rows;

    /// <summary>What layer <paramref name="l"/> passes to the next one: its sample, its dropped-out output, or its activation.</summary>
    private static ReadOnlySpan<float> OutputOf(TrainingWorkspace workspace, int l, int head, int rows, int width, int k) =>
        l == head ? workspace.Latent.AsSpan(0, rows * k)
        : workspace.Dropped[l].Length > 0 ? workspace.Dropped[l].AsSpan(0, rows * width)
        : workspace.Activations[l].AsSpan(0, rows * width);
}

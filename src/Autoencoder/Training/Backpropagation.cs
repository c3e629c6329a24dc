using Autoencoder.Activations;
using Autoencoder.Losses;
using Autoencoder.Model;

namespace Autoencoder.Training;

/// <summary>One forward and backward pass over a batch held in a <see cref="TrainingWorkspace"/>.</summary>
internal static class Backpropagation
{
    /// <summary>
    /// Runs the network on the first <paramref name="rows"/> rows of <see cref="TrainingWorkspace.Input"/>
    /// (which are also the targets), overwrites <see cref="TrainingWorkspace.Gradients"/> with the
    /// gradient of the batch's mean element loss, and returns that mean loss.
    /// </summary>
    public static double Run(Network network, TrainingWorkspace workspace, int rows, LossFunction loss)
    {
        var layers = network.Layers;
        float[] parameters = network.Parameters;
        ReadOnlySpan<float> input = workspace.Input.AsSpan(0, rows * network.InputSize);

        // Forward: keep Z and A of every layer for the backward pass.
        ReadOnlySpan<float> x = input;
        for (int l = 0; l < layers.Count; l++)
        {
            layers[l].Forward(parameters, x, rows, workspace.PreActivations[l], workspace.Activations[l]);
            x = workspace.Activations[l].AsSpan(0, rows * layers[l].Outputs);
        }

        int outputCount = rows * network.OutputSize;
        ReadOnlySpan<float> logits = workspace.PreActivations[^1].AsSpan(0, outputCount);
        ReadOnlySpan<float> output = workspace.Activations[^1].AsSpan(0, outputCount);
        double meanLoss = loss.Sum(logits, output, input) / outputCount;

        // Backward: dZ of the last layer from the loss, then layer by layer towards the input.
        float[] dZ = workspace.GradientA, dX = workspace.GradientB;
        loss.Gradient(logits, output, input, 1f / outputCount, dZ.AsSpan(0, outputCount));
        for (int l = layers.Count - 1; l >= 0; l--)
        {
            var layer = layers[l];
            ReadOnlySpan<float> layerInput = l == 0 ? input : workspace.Activations[l - 1].AsSpan(0, rows * layer.Inputs);
            Span<float> dInput = l == 0 ? default : dX.AsSpan(0, rows * layer.Inputs);
            layer.Backward(parameters, layerInput, dZ, rows, workspace.Gradients, dInput);
            if (l > 0)
            {
                var below = layers[l - 1];
                ActivationFunctions.Backward(
                    below.Activation,
                    workspace.PreActivations[l - 1].AsSpan(0, dInput.Length),
                    workspace.Activations[l - 1].AsSpan(0, dInput.Length),
                    dInput,
                    dInput);
                (dZ, dX) = (dX, dZ);
            }
        }

        return meanLoss;
    }
}

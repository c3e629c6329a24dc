using Autoencoder.Model;

namespace Autoencoder.Training;

/// <summary>
/// Every buffer one training step needs, sized once for a batch size and reused by every step of
/// the run, so steady-state training allocates nothing. Shapes are row-major, one row per sample.
/// </summary>
internal sealed class TrainingWorkspace
{
    public TrainingWorkspace(Network network, int batchSize)
    {
        BatchSize = batchSize;
        Input = new float[batchSize * network.InputSize];
        PreActivations = new float[network.Layers.Count][];
        Activations = new float[network.Layers.Count][];
        for (int l = 0; l < network.Layers.Count; l++)
        {
            int width = network.Layers[l].Outputs;
            PreActivations[l] = new float[batchSize * width];
            Activations[l] = new float[batchSize * width];
        }

        GradientA = new float[batchSize * network.MaxWidth];
        GradientB = new float[batchSize * network.MaxWidth];
        Gradients = new float[network.Parameters.Length];
    }

    public int BatchSize { get; }

    /// <summary>The batch's inputs, which are also its reconstruction targets: <c>batch × InputSize</c>.</summary>
    public float[] Input { get; }

    /// <summary><c>Z</c> of every layer: <c>batch × Outputs</c>.</summary>
    public float[][] PreActivations { get; }

    /// <summary><c>A = f(Z)</c> of every layer: <c>batch × Outputs</c>.</summary>
    public float[][] Activations { get; }

    /// <summary>Two gradient buffers used in turn for <c>dZ</c> of a layer and <c>dX</c> of the one before.</summary>
    public float[] GradientA { get; }

    /// <inheritdoc cref="GradientA"/>
    public float[] GradientB { get; }

    /// <summary>Gradient of the loss with respect to every parameter, laid out like the parameter buffer.</summary>
    public float[] Gradients { get; }
}

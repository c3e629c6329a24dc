using Autoencoder.Layers;
using Autoencoder.Model;

namespace Autoencoder.Training;

/// <summary>
/// Every buffer one training step needs, sized once for a batch size from the layers' declared
/// shapes and reused by every step of the run, so steady-state training allocates nothing. Shapes
/// are row-major, one row per sample.
/// </summary>
internal sealed class TrainingWorkspace
{
    public TrainingWorkspace(Network network, int batchSize, bool corruption = false)
    {
        BatchSize = batchSize;
        Input = new float[batchSize * network.InputSize];
        CorruptedInput = corruption ? new float[batchSize * network.InputSize] : [];
        int count = network.Layers.Count;
        Outputs = new float[count][];
        Saved = new float[count][];
        for (int l = 0; l < count; l++)
        {
            Layer layer = network.Layers[l];
            Outputs[l] = new float[batchSize * layer.OutputSize];
            Saved[l] = new float[layer.SavedCount(batchSize)];
        }

        GradientA = new float[batchSize * network.MaxWidth];
        GradientB = new float[batchSize * network.MaxWidth];
        Gradients = new float[network.Parameters.Length];
        NextState = new float[network.State.Length];
        DoubleScratch = new double[2 * network.MaxWidth];
    }

    public int BatchSize { get; }

    /// <summary>The batch's clean inputs, which are also its reconstruction targets: <c>batch × InputSize</c>.</summary>
    public float[] Input { get; private set; }

    /// <summary>Makes <paramref name="batch"/> (of <see cref="Input"/>'s length) the batch's inputs and returns the array it replaces.</summary>
    public float[] SwapInput(float[] batch)
    {
        float[] previous = Input;
        Input = batch;
        return previous;
    }

    /// <summary>The corrupted copy of <see cref="Input"/> the network sees when training a denoising model (else empty).</summary>
    public float[] CorruptedInput { get; }

    /// <summary>Each layer's output: <c>batch × OutputSize</c>.</summary>
    public float[][] Outputs { get; }

    /// <summary>What each layer keeps from its forward pass for its backward pass (<see cref="Layer.SavedCount"/>).</summary>
    public float[][] Saved { get; }

    /// <summary>Two gradient buffers used in turn for a layer's <c>dY</c> and its <c>dX</c>.</summary>
    public float[] GradientA { get; }

    /// <inheritdoc cref="GradientA"/>
    public float[] GradientB { get; }

    /// <summary>Gradient of the loss with respect to every parameter, laid out like the parameter buffer.</summary>
    public float[] Gradients { get; }

    /// <summary>The state the step's forward pass writes (running statistics), laid out like the state buffer.</summary>
    public float[] NextState { get; private set; }

    /// <summary>Per-unit accumulators of penalties and statistics.</summary>
    public double[] DoubleScratch { get; }

    /// <summary>Takes the buffer the model's state was swapped out of as the next step's <see cref="NextState"/>.</summary>
    public void ReuseState(float[] previous) => NextState = previous;
}

using Autoencoder.Model;

namespace Autoencoder.Training;

/// <summary>
/// Every buffer one training step needs, sized once for a batch size and reused by every step of
/// the run, so steady-state training allocates nothing. Shapes are row-major, one row per sample.
/// </summary>
internal sealed class TrainingWorkspace
{
    public TrainingWorkspace(Network network, int batchSize, bool corruption = false)
    {
        BatchSize = batchSize;
        Input = new float[batchSize * network.InputSize];
        CorruptedInput = corruption ? new float[batchSize * network.InputSize] : [];
        int count = network.Layers.Count;
        PreActivations = new float[count][];
        Activations = new float[count][];
        DropoutMasks = new float[count][];
        Dropped = new float[count][];
        for (int l = 0; l < count; l++)
        {
            int width = network.Layers[l].Outputs;
            PreActivations[l] = new float[batchSize * width];
            Activations[l] = new float[batchSize * width];
            bool dropout = network.LayerOptions[l].Dropout > 0 && l < count - 1;
            DropoutMasks[l] = dropout ? new float[batchSize * width] : [];
            Dropped[l] = dropout ? new float[batchSize * width] : [];
        }

        int latent = network.IsVariational ? network.LatentSize : 0;
        Epsilon = new float[batchSize * latent];
        Latent = new float[batchSize * latent];
        HeadGradient = new float[batchSize * 2 * latent];
        GradientA = new float[batchSize * network.MaxWidth];
        GradientB = new float[batchSize * network.MaxWidth];
        Gradients = new float[network.Parameters.Length];
        DoubleScratch = new double[2 * network.MaxWidth];
    }

    public int BatchSize { get; }

    /// <summary>The batch's clean inputs, which are also its reconstruction targets: <c>batch × InputSize</c>.</summary>
    public float[] Input { get; }

    /// <summary>The corrupted copy of <see cref="Input"/> the network sees when training a denoising model (else empty).</summary>
    public float[] CorruptedInput { get; }

    /// <summary><c>Z</c> of every layer: <c>batch × Outputs</c>.</summary>
    public float[][] PreActivations { get; }

    /// <summary><c>A = f(Z)</c> of every layer: <c>batch × Outputs</c>.</summary>
    public float[][] Activations { get; }

    /// <summary>Per layer with dropout, the inverted-dropout mask of the batch (else empty).</summary>
    public float[][] DropoutMasks { get; }

    /// <summary>Per layer with dropout, <c>A ⊙ mask</c>, the next layer's input (else empty).</summary>
    public float[][] Dropped { get; }

    /// <summary>Variational models: the batch's noise <c>ε</c>, <c>batch × LatentSize</c> (else empty).</summary>
    public float[] Epsilon { get; }

    /// <summary>Variational models: the sampled code <c>z = μ + σ·ε</c>, <c>batch × LatentSize</c> (else empty).</summary>
    public float[] Latent { get; }

    /// <summary>Variational models: the gradient with respect to the head's output, <c>batch × 2·LatentSize</c> (else empty).</summary>
    public float[] HeadGradient { get; }

    /// <summary>Two gradient buffers used in turn for <c>dZ</c> of a layer and <c>dX</c> of the one before.</summary>
    public float[] GradientA { get; }

    /// <inheritdoc cref="GradientA"/>
    public float[] GradientB { get; }

    /// <summary>Gradient of the loss with respect to every parameter, laid out like the parameter buffer.</summary>
    public float[] Gradients { get; }

    /// <summary>Per-unit accumulators of the sparsity and contractive penalties.</summary>
    public double[] DoubleScratch { get; }
}

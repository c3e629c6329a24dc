namespace Autoencoder.Layers;

/// <summary>What every layer of one backward pass shares: the batch size, the weights, the gradient buffer and the running loss.</summary>
internal ref struct BackwardPass
{
    public BackwardPass(int rows, ReadOnlySpan<float> parameters, Span<float> gradients, double klWeight, Span<double> scratch, double loss)
    {
        Rows = rows;
        Parameters = parameters;
        Gradients = gradients;
        KlWeight = klWeight;
        Scratch = scratch;
        Loss = loss;
    }

    /// <summary>Samples in the batch.</summary>
    public int Rows { get; }

    /// <summary>The whole parameter buffer, as the forward pass read it.</summary>
    public ReadOnlySpan<float> Parameters { get; }

    /// <summary>The gradient of the loss with respect to every parameter, laid out like the parameter buffer.</summary>
    public Span<float> Gradients { get; }

    /// <summary>β of a variational head's KL term for this step.</summary>
    public double KlWeight { get; }

    /// <summary>Double scratch for per-unit accumulators (at least twice the widest layer).</summary>
    public Span<double> Scratch { get; }

    /// <summary>
    /// True for the output layer when the loss has already taken its gradient through the layer's
    /// activation: the layer's <c>dY</c> is then the gradient with respect to its pre-activation.
    /// </summary>
    public bool FromPreActivation { get; set; }

    /// <summary>The batch loss so far: the reconstruction term, then each penalty added in backward order.</summary>
    public double Loss { get; set; }
}

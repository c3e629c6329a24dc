using System.Numerics.Tensors;
using Autoencoder.Activations;
using Autoencoder.Kernels;

namespace Autoencoder.Layers;

/// <summary>
/// A fully connected layer <c>A = f(X·W + b)</c> whose weights live in a slice of the network's
/// flat parameter buffer. Shapes (all row-major, one row per sample): <c>X</c> is
/// <c>batch × Inputs</c>, <c>W</c> is <c>Inputs × Outputs</c>, <c>b</c> has <c>Outputs</c>
/// entries, <c>Z</c> and <c>A</c> are <c>batch × Outputs</c>. The layer holds no per-batch state:
/// callers pass every buffer, so one layer serves any number of threads.
/// A layer with <see cref="TransposedWeights"/> reads another layer's <c>W</c> (stored
/// <c>Outputs × Inputs</c>) as <c>Wᵀ</c>: the tied decoder layer of an encoder layer.
/// </summary>
internal sealed class DenseLayer
{
    public DenseLayer(int inputs, int outputs, Activation activation, int weightOffset, int biasOffset, bool transposedWeights = false)
    {
        Inputs = inputs;
        Outputs = outputs;
        Activation = activation;
        WeightOffset = weightOffset;
        BiasOffset = biasOffset;
        TransposedWeights = transposedWeights;
    }

    public int Inputs { get; }

    public int Outputs { get; }

    public Activation Activation { get; }

    /// <summary>
    /// Start of <c>W</c> in the parameter buffer: row-major <c>Inputs × Outputs</c>, or
    /// <c>Outputs × Inputs</c> read as its transpose when <see cref="TransposedWeights"/>.
    /// </summary>
    public int WeightOffset { get; }

    public int WeightCount => Inputs * Outputs;

    /// <summary>Start of <c>b</c> in the parameter buffer.</summary>
    public int BiasOffset { get; }

    /// <summary>True when this layer uses another layer's weights transposed (tied weights).</summary>
    public bool TransposedWeights { get; }

    /// <summary>
    /// True when a tied layer above this one also writes this layer's weight gradient, so
    /// <see cref="Backward"/> adds to it instead of overwriting it.
    /// </summary>
    public bool AccumulatesWeightGradient { get; init; }

    /// <summary>
    /// Forward pass: <c>Z = X·W + b</c>, then <c>A = f(Z)</c>. Overwrites <paramref name="z"/> and
    /// <paramref name="a"/> (first <c>batch·Outputs</c> entries); <paramref name="a"/> may be the
    /// same memory as <paramref name="z"/> when the caller does not need <c>Z</c> afterwards.
    /// </summary>
    public void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, int batch, Span<float> z, Span<float> a)
    {
        ReadOnlySpan<float> weights = parameters.Slice(WeightOffset, WeightCount);
        ReadOnlySpan<float> bias = parameters.Slice(BiasOffset, Outputs);
        int count = batch * Outputs;
        Span<float> zOut = z[..count];
        // The bias is added inside the product, to each output tile while it is in L1.
        int ldw = TransposedWeights ? Inputs : Outputs;
        Gemm.Multiply(false, TransposedWeights, batch, Outputs, Inputs, x, Inputs, weights, ldw, zOut, Outputs, accumulate: false, bias);
        ActivationFunctions.Forward(Activation, zOut, a[..count]);
    }

    /// <summary>
    /// Backward pass given <c>dZ</c> (the gradient with respect to this layer's pre-activation):
    /// overwrites <c>dW = Xᵀ·dZ</c> (adds it when <see cref="AccumulatesWeightGradient"/>; writes
    /// <c>dZᵀ·X</c>, the gradient of the stored matrix, when <see cref="TransposedWeights"/>) and
    /// <c>db = Σ_rows dZ</c> in this layer's slices of <paramref name="gradients"/>, and, unless
    /// <paramref name="dX"/> is empty, overwrites <c>dX = dZ·Wᵀ</c> (<c>batch × Inputs</c>).
    /// Reads <paramref name="x"/>, <paramref name="dZ"/> and the weights.
    /// </summary>
    public void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> dZ, int batch, Span<float> gradients, Span<float> dX)
    {
        ReadOnlySpan<float> weights = parameters.Slice(WeightOffset, WeightCount);
        Span<float> dWeights = gradients.Slice(WeightOffset, WeightCount);
        Span<float> dBias = gradients.Slice(BiasOffset, Outputs);
        ReadOnlySpan<float> dZIn = dZ[..(batch * Outputs)];

        if (TransposedWeights)
        {
            // The stored matrix is Outputs × Inputs, so its gradient is (Xᵀ·dZ)ᵀ = dZᵀ·X.
            Gemm.Multiply(true, false, Outputs, Inputs, batch, dZIn, Outputs, x, Inputs, dWeights, Inputs, AccumulatesWeightGradient);
        }
        else
        {
            Gemm.Multiply(true, false, Inputs, Outputs, batch, x, Inputs, dZIn, Outputs, dWeights, Outputs, AccumulatesWeightGradient);
        }

        dBias.Clear();
        for (int r = 0; r < batch; r++)
        {
            TensorPrimitives.Add(dBias, dZIn.Slice(r * Outputs, Outputs), dBias);
        }

        if (!dX.IsEmpty)
        {
            if (TransposedWeights)
            {
                Gemm.Multiply(false, false, batch, Inputs, Outputs, dZIn, Outputs, weights, Inputs, dX, Inputs, accumulate: false);
            }
            else
            {
                Gemm.Multiply(false, true, batch, Inputs, Outputs, dZIn, Outputs, weights, Outputs, dX, Inputs, accumulate: false);
            }
        }
    }
}

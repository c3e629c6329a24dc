using Autoencoder.Activations;
using Autoencoder.Kernels;

namespace Autoencoder.Layers;

/// <summary>
/// A fully connected layer <c>A = f(X·W + b)</c> with its activation fused in. Shapes (row-major,
/// one row per sample): <c>X</c> is <c>batch × Inputs</c>, <c>W</c> is <c>Inputs × Outputs</c>
/// (stored in the parameter buffer at <see cref="WeightOffset"/>), <c>b</c> has <c>Outputs</c>
/// entries (at <see cref="BiasOffset"/>), <c>Z</c> and <c>A</c> are <c>batch × Outputs</c>.
/// Training keeps <c>Z</c> for the backward pass.
/// </summary>
/// <remarks>
/// The activation is fused, not a layer of its own, because that measures faster: the bias is
/// added inside the GEMM to each output tile while it is in L1, and the activation then runs over
/// <c>Z</c> once, so inference needs no second buffer and training no extra copy of <c>A</c>
/// (docs/benchmarks.md). <see cref="ActivationLayer"/> exists for activations that follow another
/// layer, such as batch normalization.
/// </remarks>
internal class DenseLayer : Layer
{
    public DenseLayer(string name, int inputs, int outputs, Activation activation)
        : this(name, inputs, outputs, activation, LayerShape.Vector(outputs))
    {
    }

    /// <summary>A layer whose output shape is not its <paramref name="outputs"/> units (a variational head samples from them).</summary>
    private protected DenseLayer(string name, int inputs, int outputs, Activation activation, LayerShape outputShape)
        : base(name, LayerShape.Vector(inputs), outputShape)
    {
        Inputs = inputs;
        Outputs = outputs;
        Activation = activation;
    }

    /// <summary>Features per input sample.</summary>
    public int Inputs { get; }

    /// <summary>Units (features per output sample).</summary>
    public int Outputs { get; }

    /// <summary>The fused activation <c>f</c>.</summary>
    public Activation Activation { get; }

    /// <inheritdoc/>
    public override string Kind => "dense";

    /// <inheritdoc/>
    public override string Description => ActivationFunctions.Name(Activation);

    /// <inheritdoc/>
    public override Activation OutputActivation => Activation;

    /// <inheritdoc/>
    public override bool WritesPreActivation => true;

    /// <inheritdoc/>
    public override int ParameterCount => checked((Inputs * Outputs) + Outputs);

    /// <summary>Values of <c>W</c>.</summary>
    public int WeightCount => Inputs * Outputs;

    /// <summary>
    /// Start of <c>W</c> in the parameter buffer: row-major <c>Inputs × Outputs</c>, or for a
    /// <see cref="TiedDenseLayer"/> the <c>Outputs × Inputs</c> matrix of its encoder layer read as its transpose.
    /// </summary>
    public virtual int WeightOffset => ParameterOffset;

    /// <summary>Start of <c>b</c> in the parameter buffer.</summary>
    public virtual int BiasOffset => ParameterOffset + WeightCount;

    /// <summary>True when the layer reads another layer's weights transposed (<see cref="TiedDenseLayer"/>).</summary>
    public virtual bool TransposedWeights => false;

    /// <summary>
    /// True when a tied layer above this one also writes this layer's weight gradient, so
    /// <see cref="Backward"/> adds to it instead of overwriting it.
    /// </summary>
    public bool AccumulatesWeightGradient { get; set; }

    /// <summary>Weight λ of the contractive penalty on this layer (a one-layer encoder), or 0; see <see cref="ContractivePenalty"/>.</summary>
    public double ContractiveWeight { get; init; }

    /// <inheritdoc/>
    public override long SavedCount(int rows) => (long)rows * Outputs;

    /// <inheritdoc/>
    public override void Initialize(Span<float> parameters, Span<float> state, WeightInitialization initialization, ref Pcg32 random)
    {
        parameters.Slice(BiasOffset, Outputs).Clear();
        WeightFill.Fill(parameters.Slice(WeightOffset, WeightCount), initialization, Inputs, Outputs, ref random);
    }

    /// <summary>
    /// <c>Z = X·W + b</c> into the saved buffer (training), the pass's pre-activation buffer (the
    /// last layer at inference, when asked) or <paramref name="y"/> itself; then <c>A = f(Z)</c> into <paramref name="y"/>.
    /// </summary>
    public override void Forward(ref ForwardPass pass, ReadOnlySpan<float> x, Span<float> y, Span<float> saved)
    {
        Span<float> z = pass.Training ? saved : !pass.PreActivation.IsEmpty ? pass.PreActivation : y;
        Forward(pass.Parameters, x, pass.Rows, z, y);
    }

    /// <summary>
    /// <c>Z = X·W + b</c>, then <c>A = f(Z)</c>. Overwrites <paramref name="z"/> and <paramref name="a"/>
    /// (first <c>batch·Outputs</c> entries); <paramref name="a"/> may be the same memory as <paramref name="z"/>.
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
    /// Inference into column-major storage: <c>Zᵀ = Wᵀ·Xᵀ + b·1ᵀ</c> into <paramref name="zT"/>
    /// (<c>Outputs × batch</c>, in cache), then unit j's <c>f(Z)</c> into
    /// <c>destination[j·stride, j·stride + batch)</c>, so the output of a block of rows lands in a
    /// MathNet matrix's storage without a transpose. Each element gets the bits of
    /// <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float}, Span{float})"/>
    /// (<see cref="Gemm.Multiply"/>: the transposed product with the bias per row) when
    /// <paramref name="batch"/> and <see cref="Outputs"/> both exceed one.
    /// </summary>
    public void ForwardIntoColumns(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, int batch, Span<float> zT, Span<float> destination, int stride)
    {
        ReadOnlySpan<float> weights = parameters.Slice(WeightOffset, WeightCount);
        ReadOnlySpan<float> bias = parameters.Slice(BiasOffset, Outputs);
        Span<float> z = zT[..(batch * Outputs)];

        // op(A) = Wᵀ (stored Inputs × Outputs, or Outputs × Inputs when tied), op(B) = Xᵀ (X stored batch × Inputs).
        int ldw = TransposedWeights ? Inputs : Outputs;
        Gemm.Multiply(!TransposedWeights, true, Outputs, batch, Inputs, weights, ldw, x, Inputs, z, batch, accumulate: false, bias, biasPerRow: true);
        for (int j = 0; j < Outputs; j++)
        {
            ActivationFunctions.Forward(Activation, z.Slice(j * batch, batch), destination.Slice(j * stride, batch));
        }
    }

    /// <summary>
    /// Inference on a feature-major block (feature i's values of the <paramref name="batch"/> samples
    /// at <c>xT[i·ldx, i·ldx + batch)</c>, as in a MathNet matrix's storage): <c>Zᵀ = Wᵀ·Xᵀ + b·1ᵀ</c>
    /// into <paramref name="zT"/>, unit j's values at <c>zT[j·batch, (j + 1)·batch)</c>; the caller
    /// applies the activation. Each element gets the bits of
    /// <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float}, Span{float})"/>'s
    /// <c>Z</c> when <paramref name="batch"/> and <see cref="Outputs"/> both exceed one.
    /// </summary>
    public void ForwardFeatureMajor(ReadOnlySpan<float> parameters, ReadOnlySpan<float> xT, int ldx, int batch, Span<float> zT)
    {
        ReadOnlySpan<float> weights = parameters.Slice(WeightOffset, WeightCount);
        ReadOnlySpan<float> bias = parameters.Slice(BiasOffset, Outputs);

        // op(A) = Wᵀ (stored Inputs × Outputs, or Outputs × Inputs when tied), op(B) = Xᵀ as stored.
        int ldw = TransposedWeights ? Inputs : Outputs;
        Gemm.Multiply(!TransposedWeights, false, Outputs, batch, Inputs, weights, ldw, xT, ldx, zT[..(batch * Outputs)], batch, accumulate: false, bias, biasPerRow: true);
    }

    /// <summary>
    /// Turns <c>dA</c> into <c>dZ = dA ⊙ f′(Z)</c> in place (unless it already is <c>dZ</c>), adds the
    /// contractive penalty's share, then runs <see cref="BackwardFromPreActivation"/>.
    /// </summary>
    public override void Backward(ref BackwardPass pass, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> saved, Span<float> dY, Span<float> dX)
    {
        int count = pass.Rows * Outputs;
        Span<float> dZ = dY[..count];
        if (!pass.FromPreActivation)
        {
            ActivationFunctions.Backward(Activation, saved[..count], y[..count], dZ, dZ);
        }

        if (ContractiveWeight > 0)
        {
            pass.Loss += ContractivePenalty.Apply(ContractiveWeight, this, pass.Parameters, saved, y, pass.Rows, dZ, pass.Scratch);
        }

        BackwardFromPreActivation(pass.Parameters, x, dZ, pass.Rows, pass.Gradients, dX);
        if (ContractiveWeight > 0)
        {
            ContractivePenalty.AddWeightGradient(ContractiveWeight, this, pass.Parameters, pass.Gradients, pass.Scratch);
        }
    }

    /// <inheritdoc/>
    public override ReadOnlySpan<float> PreActivation(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> saved) => saved;

    /// <summary>
    /// Backward pass given <c>dZ</c>: overwrites <c>dW = Xᵀ·dZ</c> (adds it when
    /// <see cref="AccumulatesWeightGradient"/>; writes <c>dZᵀ·X</c>, the gradient of the stored
    /// matrix, when <see cref="TransposedWeights"/>) and <c>db = Σ_rows dZ</c> in this layer's
    /// slices of <paramref name="gradients"/>, and, unless <paramref name="dX"/> is empty,
    /// overwrites <c>dX = dZ·Wᵀ</c> (<c>batch × Inputs</c>). Reads <paramref name="x"/>, <paramref name="dZ"/> and the weights.
    /// </summary>
    public void BackwardFromPreActivation(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> dZ, int batch, Span<float> gradients, Span<float> dX)
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

        // Each entry one chain of additions down the rows in order (what adding the rows one by one
        // into a cleared vector gives), the sums kept in registers.
        ColumnSums.Compute(dZIn, batch, Outputs, dBias);

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

    /// <inheritdoc/>
    public override bool TryWriteFileToken(Span<byte> utf8, out int written) =>
        System.Text.Unicode.Utf8.TryWrite(utf8, System.Globalization.CultureInfo.InvariantCulture, $"dense:{ActivationFunctions.Name(Activation)}", out written);

    /// <inheritdoc/>
    public override IEnumerable<LayerTensor> Tensors =>
    [
        new(Name + ".weight", [Inputs, Outputs], WeightOffset, WeightCount),
        new(Name + ".bias", [Outputs], BiasOffset, Outputs),
    ];

    /// <inheritdoc/>
    public override string? OnnxPreActivation => Invariant($"{Name}/Gemm");

    /// <summary>One <c>Gemm</c> (<c>Y = X·W + b</c>, <c>W</c> as <c>[inputs, outputs]</c>) and the activation's nodes.</summary>
    public override string EmitOnnx(IOnnxGraph graph, ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> state, string input, string? output) =>
        EmitGemm(graph, Name, parameters.Slice(WeightOffset, WeightCount), parameters.Slice(BiasOffset, Outputs), Outputs, input, output);

    /// <summary>The nodes of <c>f(X·W + b)</c> for a row-major <c>[Inputs, outputs]</c> weight matrix (the first <paramref name="outputs"/> columns are used).</summary>
    private protected string EmitGemm(IOnnxGraph graph, string name, ReadOnlyMemory<float> weights, ReadOnlyMemory<float> bias, int outputs, string input, string? output)
    {
        string weight = graph.Initializer(Invariant($"{name}.weight"), [Inputs, outputs], weights);
        string biasName = graph.Initializer(Invariant($"{name}.bias"), [outputs], bias);

        // Gemm: Y = A·B + C with A = [batch, inputs], B = [inputs, outputs] (transB = 0), C = [outputs] broadcast over rows.
        string z = graph.Node("Gemm", Invariant($"{Name}/Gemm"), [input, weight, biasName], Activation == Activation.Identity ? output : null);
        return ActivationOnnx.Emit(graph, Activation, Name, z, output);
    }
}

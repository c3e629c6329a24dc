namespace Autoencoder.Layers;

/// <summary>
/// One step of a network's pipeline: it maps a batch of samples of <see cref="InputShape"/> to
/// samples of <see cref="OutputShape"/>, owns <see cref="ParameterCount"/> trainable values (a
/// slice of the model's parameter buffer that the optimizer steps) and <see cref="StateCount"/>
/// non-trainable ones (a slice of the state buffer the optimizer never touches, such as batch
/// normalization's running statistics), and has its forward and backward passes side by side.
/// </summary>
/// <remarks>
/// <para>
/// Batches are row-major, one row of <see cref="LayerShape.Size"/> floats per sample. A layer holds
/// no per-batch data: every buffer comes from the caller (<see cref="ForwardPass"/>,
/// <see cref="BackwardPass"/> and the spans of each call), so one layer serves any number of
/// threads at once, and training sizes everything once from <see cref="SavedCount"/>.
/// </para>
/// <para>
/// Each kind is one file: it declares its shapes and counts, initializes its slices, lists its
/// tensors for the model file (<see cref="Tensors"/>) and emits its own ONNX nodes
/// (<see cref="EmitOnnx"/>).
/// </para>
/// </remarks>
internal abstract class Layer
{
    private OutputPenalty[] _penalties = [];

    protected Layer(string name, LayerShape inputShape, LayerShape outputShape)
    {
        Name = name;
        InputShape = inputShape;
        OutputShape = outputShape;
    }

    /// <summary>Where the layer sits, e.g. <c>encoder.0</c> or <c>encoder.0.dropout</c>: the prefix of its tensors' names.</summary>
    public string Name { get; }

    /// <summary>The kind, in words, for the model summary (e.g. <c>dense</c>, <c>dropout</c>).</summary>
    public abstract string Kind { get; }

    /// <summary>Shape of one input sample.</summary>
    public LayerShape InputShape { get; }

    /// <summary>Shape of one output sample.</summary>
    public LayerShape OutputShape { get; }

    /// <summary>Floats per input sample.</summary>
    public int InputSize => InputShape.Size;

    /// <summary>Floats per output sample.</summary>
    public int OutputSize => OutputShape.Size;

    /// <summary>Trainable values this layer owns in the parameter buffer.</summary>
    public virtual int ParameterCount => 0;

    /// <summary>Non-trainable values this layer owns in the state buffer.</summary>
    public virtual int StateCount => 0;

    /// <summary>Start of this layer's slice of the parameter buffer (set once by <see cref="Place"/>).</summary>
    public int ParameterOffset { get; private set; }

    /// <summary>Start of this layer's slice of the state buffer (set once by <see cref="Place"/>).</summary>
    public int StateOffset { get; private set; }

    /// <summary>
    /// The activation the layer applies last (identity when it applies none): a loss may fuse its
    /// gradient with it when the layer is the network's output (see <see cref="BackwardPass.FromPreActivation"/>).
    /// </summary>
    public virtual Activation OutputActivation => Activation.Identity;

    /// <summary>The fewest rows a training batch must hold for this layer (batch normalization needs two to have a variance); 1 for most.</summary>
    public virtual int MinimumTrainingRows => 1;

    /// <summary>True when an inference <see cref="Forward"/> writes the pass's <see cref="ForwardPass.PreActivation"/> (a layer with an activation); for the others the output is its own pre-activation.</summary>
    public virtual bool WritesPreActivation => false;

    /// <summary>True when the layer passes its input through unchanged at inference (dropout): inference then skips it.</summary>
    public virtual bool IdentityAtInference => false;

    /// <summary>Penalties on this layer's output, applied to its output gradient before <see cref="Backward"/> (see <see cref="OutputPenalty"/>).</summary>
    public IReadOnlyList<OutputPenalty> Penalties => _penalties;

    /// <summary>What the summary prints in its activation column (the activation's name, or empty).</summary>
    public virtual string Description => string.Empty;

    /// <summary>Assigns the layer its slices of the parameter and state buffers.</summary>
    public void Place(int parameterOffset, int stateOffset)
    {
        ParameterOffset = parameterOffset;
        StateOffset = stateOffset;
    }

    /// <summary>Attaches penalties on the layer's output.</summary>
    public void AddPenalty(OutputPenalty penalty)
    {
        var penalties = new OutputPenalty[_penalties.Length + 1];
        _penalties.CopyTo(penalties, 0);
        penalties[^1] = penalty;
        _penalties = penalties;
    }

    /// <summary>Floats of training data kept from <see cref="Forward"/> for <see cref="Backward"/> besides the input and output (pre-activations, masks, noise), for a batch of <paramref name="rows"/>.</summary>
    public virtual long SavedCount(int rows) => 0;

    /// <summary>Sets the layer's parameters and state to their initial values, drawing from <paramref name="random"/> in a fixed order.</summary>
    public virtual void Initialize(Span<float> parameters, Span<float> state, WeightInitialization initialization, ref Pcg32 random)
    {
    }

    /// <summary>
    /// Forward pass over <see cref="ForwardPass.Rows"/> samples: overwrites <paramref name="y"/>
    /// (<c>rows × OutputSize</c>) from <paramref name="x"/> (<c>rows × InputSize</c>). In training
    /// (<see cref="ForwardPass.Training"/>) it also overwrites <paramref name="saved"/>
    /// (<see cref="SavedCount"/> floats) and may draw from <see cref="ForwardPass.Random"/> and write
    /// <see cref="ForwardPass.NextState"/>; at inference <paramref name="saved"/> is empty.
    /// </summary>
    public abstract void Forward(ref ForwardPass pass, ReadOnlySpan<float> x, Span<float> y, Span<float> saved);

    /// <summary>
    /// Backward pass, given <paramref name="dY"/>, the gradient of the loss with respect to
    /// <paramref name="y"/> (or to the layer's pre-activation when <see cref="BackwardPass.FromPreActivation"/>):
    /// overwrites this layer's slice of <see cref="BackwardPass.Gradients"/> (tied weights add to
    /// theirs, see <see cref="DenseLayer.AccumulatesWeightGradient"/>), adds any penalty the layer
    /// computes to <see cref="BackwardPass.Loss"/>, and, unless <paramref name="dX"/> is empty,
    /// overwrites <paramref name="dX"/> (<c>rows × InputSize</c>). Reads what <see cref="Forward"/>
    /// kept (and may use the rest of <paramref name="saved"/> as scratch); may overwrite <paramref name="dY"/>, which never shares memory with <paramref name="dX"/>.
    /// </summary>
    public abstract void Backward(ref BackwardPass pass, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> saved, Span<float> dY, Span<float> dX);

    /// <summary>The pre-activation of the training forward's output (what a loss from logits reads); the output itself when the layer has no activation.</summary>
    public virtual ReadOnlySpan<float> PreActivation(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> saved) => y;

    /// <summary>
    /// Writes the layer's step in the model file's pipeline description (ASCII: its kind, then what
    /// it computes with, e.g. <c>dense:relu</c>, <c>dropout:0.25</c>) to <paramref name="utf8"/>;
    /// false when it does not fit.
    /// </summary>
    public abstract bool TryWriteFileToken(Span<byte> utf8, out int written);

    /// <summary>The layer's tensors as the model file names and stores them, in buffer order.</summary>
    public virtual IEnumerable<LayerTensor> Tensors => [];

    /// <summary>
    /// Appends the layer's inference nodes to <paramref name="graph"/>, reading the tensor named
    /// <paramref name="input"/>; returns the name of the layer's output (<paramref name="output"/> when given).
    /// </summary>
    public abstract string EmitOnnx(IOnnxGraph graph, ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> state, string input, string? output);

    /// <summary>
    /// The name <see cref="EmitOnnx"/> gives the pre-activation of a layer with an activation (in the
    /// graph's layout of <see cref="OutputShape"/>), which a score from logits reads; null for the
    /// kinds that have none.
    /// </summary>
    public virtual string? OnnxPreActivation => null;
}

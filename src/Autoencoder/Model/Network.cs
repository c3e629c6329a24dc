using System.Buffers;
using Autoencoder.Activations;
using Autoencoder.Kernels;
using Autoencoder.Layers;

namespace Autoencoder.Model;

/// <summary>
/// A network as one pipeline of <see cref="Layer"/>s over one <see cref="ParameterStore"/>,
/// compiled from a <see cref="NetworkSpec"/> (see <see cref="Pipeline"/> for what each spec layer
/// becomes). Layers <c>[0, EncoderEnd)</c> form the encoder, whose output is the code; the rest form
/// the decoder, whose output is the reconstruction. Inference runs here (<see cref="Run"/>);
/// training's forward and backward run the same layers in training mode (<c>Training/Backpropagation.cs</c>).
/// </summary>
internal sealed partial class Network
{
    /// <summary>The most rows processed per block during inference.</summary>
    public const int MaxInferenceBlockRows = 256;

    /// <summary>
    /// Floats per inference scratch buffer (16 MiB): a block holds as many rows of the widest layer
    /// as fit, so scratch memory per call is bounded by bytes, not rows, and never below one row.
    /// </summary>
    public const int InferenceScratchFloats = 1 << 22;

    private ScratchArrays? _scratch;

    public Network(NetworkSpec spec)
    {
        Pipeline pipeline = Pipeline.Compile(spec);
        Spec = spec;
        InputSize = spec.InputSize;
        EncoderLayerCount = spec.Encoder.Count;
        Layers = pipeline.Layers;
        SpecLayers = pipeline.Main;
        LatentSize = spec.Variational ? spec.Encoder[^1].Units : pipeline.Main[EncoderLayerCount - 1].OutputSize;
        EncoderEnd = pipeline.EncoderEnd;
        LayerEnds = pipeline.Ends;
        LayerOptions = spec.Encoder.Concat(spec.Decoder).Select(l => l.Options).ToArray();
        Store = new ParameterStore(pipeline.ParameterCount, pipeline.StateCount);
        MaxWidth = pipeline.MaxWidth;
    }

    /// <summary>A plain network (no variational head, no tied weights, no regularisation).</summary>
    public Network(int inputSize, IReadOnlyList<(int Units, Activation Activation)> encoder, IReadOnlyList<(int Units, Activation Activation)> decoder)
        : this(new NetworkSpec(
            inputSize,
            encoder.Select(l => new LayerSpec(l.Units, l.Activation)).ToArray(),
            decoder.Select(l => new LayerSpec(l.Units, l.Activation)).ToArray()))
    {
    }

    public NetworkSpec Spec { get; }

    public int InputSize { get; }

    /// <summary>Dense layers of the spec in the encoder (the latent layer included).</summary>
    public int EncoderLayerCount { get; }

    public int LatentSize { get; }

    public bool IsVariational => Spec.Variational;

    public int OutputSize => Layers[^1].OutputSize;

    /// <summary>The pipeline, input to output.</summary>
    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>End (exclusive) of the encoder in <see cref="Layers"/>: the first decoder layer's index.</summary>
    public int EncoderEnd { get; }

    /// <summary>The layer each spec layer compiles to (its batch normalization, activation and dropout steps follow it), encoder then decoder, as the model file and the summary name them.</summary>
    public IReadOnlyList<Layer> SpecLayers { get; }

    /// <summary><see cref="SpecLayers"/> when every one is dense; empty otherwise.</summary>
    public IReadOnlyList<DenseLayer> DenseLayers => SpecLayers.All(l => l is DenseLayer) ? SpecLayers.Cast<DenseLayer>().ToArray() : [];

    /// <summary>For each of <see cref="SpecLayers"/>, the end (exclusive) in <see cref="Layers"/> of the steps that make its output.</summary>
    public IReadOnlyList<int> LayerEnds { get; }

    /// <summary>Training-time regularisation of each spec layer's output, by layer index.</summary>
    public IReadOnlyList<LayerOptions> LayerOptions { get; }

    /// <summary>The parameter and state buffers.</summary>
    public ParameterStore Store { get; }

    /// <summary>All trainable values, layer after layer (training swaps buffers, see <see cref="ParameterStore.Swap"/>).</summary>
    public float[] Parameters => Store.Parameters;

    /// <summary>All non-trainable values, layer after layer.</summary>
    public float[] State => Store.State;

    /// <summary>The widest layer (or input, or a variational head's two halves), sizing scratch buffers.</summary>
    public int MaxWidth { get; }

    /// <summary>The arrays this network's inference and scoring calls borrow, created on first use.</summary>
    public ScratchArrays Scratch => LazyInitializer.EnsureInitialized(ref _scratch, static () => new ScratchArrays());

    /// <summary>
    /// Rows per inference block: <see cref="MaxInferenceBlockRows"/>, or fewer when the widest layer
    /// is so wide that they would pass <see cref="InferenceScratchFloats"/>; at least one.
    /// </summary>
    public int InferenceBlockRows => Math.Clamp(InferenceScratchFloats / MaxWidth, 1, MaxInferenceBlockRows);

    /// <summary>The activation of the network's output, which a loss may fuse its gradient with.</summary>
    public Activation OutputActivation => Layers[^1].OutputActivation;

    /// <summary>
    /// Initializes every layer in order (weights drawn from <paramref name="initialization"/> with
    /// <paramref name="random"/>, biases zero; tied layers share their encoder layer's draw).
    /// </summary>
    public void Initialize(WeightInitialization initialization, ref Pcg32 random)
    {
        foreach (Layer layer in Layers)
        {
            layer.Initialize(Parameters, State, initialization, ref random);
        }
    }

    /// <summary>
    /// Runs layers <c>[first, end)</c> at inference on <paramref name="rows"/> row-major samples in
    /// <paramref name="x"/> and overwrites <paramref name="output"/> (<c>rows × width</c>, the width
    /// of layer <c>end−1</c>'s output, or twice the latent size when that layer is a variational head
    /// and <paramref name="fullHead"/> is true: mean then log-variance). When
    /// <paramref name="lastLogits"/> is not empty it also receives the last layer's pre-activation.
    /// Scratch memory is borrowed per call (<see cref="Scratch"/>), so any number of threads may run at once.
    /// </summary>
    public void Run(int first, int end, ReadOnlySpan<float> x, int rows, Span<float> output, Span<float> lastLogits = default, bool fullHead = false)
    {
        if (rows > InferenceBlockRows)
        {
            throw new ArgumentOutOfRangeException(
                nameof(rows), Invariant($"Inference runs at most {InferenceBlockRows} rows at once for this network (its widest layer has {MaxWidth} units); got {rows}."));
        }

        using WorkerPool.AwakeScope awake = rows == 1 ? AwakeFor(rows) : default;

        // One buffer of each kind for the whole pass, read once (training swaps buffers between steps).
        float[] parameters = Parameters, state = State;
        int last = LastComputing(first, end);
        if (last < first)
        {
            x[..(rows * Layers[end - 1].OutputSize)].CopyTo(output);
            if (!lastLogits.IsEmpty)
            {
                x[..(rows * Layers[end - 1].OutputSize)].CopyTo(lastLogits);
            }

            return;
        }

        ArrayPool<float> arrays = Scratch.Floats;
        float[] bufferA = arrays.Rent(rows * MaxWidth);
        float[] bufferB = arrays.Rent(rows * MaxWidth);
        try
        {
            ReadOnlySpan<float> input = RunHidden(first, last, x, rows, parameters, state, ref bufferA, ref bufferB);
            Layer layer = Layers[last];
            int count = rows * layer.OutputSize;
            var pass = new ForwardPass(rows, parameters, state) { Arrays = arrays };
            if (fullHead && layer is GaussianHeadLayer head)
            {
                head.Distribution(parameters, input, rows, output[..(2 * count)]);
            }
            else
            {
                // Without a caller's buffer the last layer's Z goes to the free scratch buffer (a block
                // of it stays in cache), so the output, often a large array of the caller's, is written once.
                pass.PreActivation = !lastLogits.IsEmpty ? lastLogits[..count] : layer.WritesPreActivation ? bufferA.AsSpan(0, count) : default;
                layer.Forward(ref pass, input, output[..count], default);
                if (!lastLogits.IsEmpty && !layer.WritesPreActivation)
                {
                    output[..count].CopyTo(lastLogits); // no activation: the output is the pre-activation
                }
            }
        }
        finally
        {
            arrays.Return(bufferA);
            arrays.Return(bufferB);
        }
    }

    /// <summary>
    /// The dense layer that would end a pass over layers <c>[first, end)</c> written straight into
    /// column-major storage by <see cref="RunIntoColumns"/>, or null when the pass must run row-major
    /// and be transposed: the last layer computing at inference is a plain or tied dense layer (not a
    /// variational head) with more than one unit and at least as many units as inputs (a narrow one,
    /// an encoder's code, costs less to transpose back than its wide input costs to read transposed).
    /// </summary>
    public DenseLayer? ColumnOutputLayer(int first, int end)
    {
        int last = LastComputing(first, end);
        return last >= first && Layers[last] is DenseLayer dense and not GaussianHeadLayer && dense.Outputs > 1 && dense.Outputs >= dense.Inputs
            ? dense
            : null;
    }

    /// <summary>
    /// Runs layers <c>[first, end)</c> at inference on <paramref name="rows"/> (at least two)
    /// row-major samples in <paramref name="x"/> like <see cref="Run"/>, but writes the output into
    /// column-major storage: value j of sample r at <c>destination[j·stride + r]</c>. The last layer
    /// computes its transposed product (<see cref="DenseLayer.ForwardIntoColumns"/>), so each value
    /// has the bits <see cref="Run"/> gives it. Only for passes <see cref="ColumnOutputLayer"/> accepts.
    /// </summary>
    public void RunIntoColumns(int first, int end, ReadOnlySpan<float> x, int rows, Span<float> destination, int stride)
    {
        DenseLayer last = ColumnOutputLayer(first, end)
            ?? throw new InvalidOperationException(Invariant($"Layers [{first}, {end}) do not end in a dense layer that writes columns."));
        if (rows < 2 || rows > InferenceBlockRows)
        {
            throw new ArgumentOutOfRangeException(
                nameof(rows), Invariant($"A pass into columns runs 2 to {InferenceBlockRows} rows for this network; got {rows}."));
        }

        long needed = ((long)(last.Outputs - 1) * stride) + rows;
        if (stride < rows || destination.Length < needed)
        {
            throw new ArgumentException(
                Invariant($"Columns of {rows} rows at a stride of at least {rows} need {needed} values for {last.Outputs} units; got stride {stride} and {destination.Length} values."),
                nameof(destination));
        }

        float[] parameters = Parameters, state = State;
        ArrayPool<float> arrays = Scratch.Floats;
        float[] bufferA = arrays.Rent(rows * MaxWidth);
        float[] bufferB = arrays.Rent(rows * MaxWidth);
        try
        {
            ReadOnlySpan<float> input = RunHidden(first, LastComputing(first, end), x, rows, parameters, state, ref bufferA, ref bufferB);
            last.ForwardIntoColumns(parameters, input, rows, bufferA, destination, stride);
        }
        finally
        {
            arrays.Return(bufferA);
            arrays.Return(bufferB);
        }
    }

    /// <summary>The last layer of <c>[first, end)</c> that computes at inference, or <c>first − 1</c> when none does.</summary>
    private int LastComputing(int first, int end)
    {
        int last = end - 1;
        while (last >= first && Layers[last].IdentityAtInference)
        {
            last--;
        }

        return last;
    }

    /// <summary>
    /// Layers <c>[first, last)</c> on <paramref name="x"/>, alternating between the two scratch
    /// buffers; returns the last layer's input (<paramref name="x"/> itself when there is no layer
    /// before it) and leaves <paramref name="free"/> as the buffer that input is not in.
    /// </summary>
    private ReadOnlySpan<float> RunHidden(int first, int last, ReadOnlySpan<float> x, int rows, float[] parameters, float[] state, scoped ref float[] free, scoped ref float[] other)
    {
        ReadOnlySpan<float> input = x;
        for (int l = first; l < last; l++)
        {
            Layer layer = Layers[l];
            if (layer.IdentityAtInference)
            {
                continue;
            }

            int count = rows * layer.OutputSize;
            var pass = new ForwardPass(rows, parameters, state) { Arrays = Scratch.Floats };
            layer.Forward(ref pass, input, free.AsSpan(0, count), default);
            input = free.AsSpan(0, count);
            (free, other) = (other, free);
        }

        return input;
    }

    /// <summary>
    /// Keeps the worker pool's helpers awake (<see cref="WorkerPool.Awake"/>) for an inference pass of
    /// <paramref name="rows"/> rows through one block, when its products are large enough to split
    /// over the threads layer after layer: a one-row pass over at least 64K weights (a 784×128 layer
    /// splits), or a block whose rows times weights reach 4M multiply-adds (a product splits from 2M a
    /// thread). Smaller passes run on one thread and leave the helpers asleep.
    /// </summary>
    public WorkerPool.AwakeScope AwakeFor(int rows) =>
        (rows == 1 ? Parameters.Length >= 1 << 16 : (long)rows * Parameters.Length >= 1L << 22) ? WorkerPool.Awake() : default;

    /// <summary>Units (as in the spec: the latent size for a variational head) and activation of spec layers <c>[first, end)</c>.</summary>
    public (int Units, Activation Activation)[] Describe(int first, int end) =>
        Spec.Encoder.Concat(Spec.Decoder).Skip(first).Take(end - first).Select(l => (l.Units, l.Activation)).ToArray();

    /// <summary>Closed-vocabulary text of a stack, e.g. <c>128:relu,32:identity</c>.</summary>
    public static string Format(IEnumerable<(int Units, Activation Activation)> stack) =>
        string.Join(",", stack.Select(s => Invariant($"{s.Units}:{ActivationFunctions.Name(s.Activation)}")));
}

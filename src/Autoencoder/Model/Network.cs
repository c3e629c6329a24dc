using System.Buffers;
using Autoencoder.Activations;
using Autoencoder.Layers;

namespace Autoencoder.Model;

/// <summary>
/// The encoder and decoder stacks of dense layers over one flat parameter buffer
/// (<c>W₀, b₀, W₁, b₁, …</c>; a tied decoder layer has only its bias). Layers
/// <c>[0, EncoderLayerCount)</c> form the encoder, whose last layer is the latent layer; the rest
/// form the decoder, whose last layer is the reconstruction. In a variational network the latent
/// layer is a head of <c>2·LatentSize</c> identity outputs: the mean in columns
/// <c>[0, LatentSize)</c>, the log-variance in <c>[LatentSize, 2·LatentSize)</c>; inference passes
/// the mean on to the decoder.
/// </summary>
internal sealed class Network
{
    /// <summary>The most rows processed per block during inference.</summary>
    public const int MaxInferenceBlockRows = 256;

    /// <summary>
    /// Floats per inference scratch buffer (16 MiB): a block holds as many rows of the widest layer
    /// as fit, so scratch memory per call is bounded by bytes, not rows, and never below one row.
    /// </summary>
    public const int InferenceScratchFloats = 1 << 22;

    public Network(NetworkSpec spec)
    {
        Spec = spec;
        InputSize = spec.InputSize;
        EncoderLayerCount = spec.Encoder.Count;
        LatentSize = spec.Encoder[^1].Units;
        var layers = new DenseLayer[spec.Encoder.Count + spec.Decoder.Count];
        int offset = 0, inputs = spec.InputSize, maxWidth = spec.InputSize;
        for (int index = 0; index < layers.Length; index++)
        {
            bool encoder = index < EncoderLayerCount;
            LayerSpec layer = encoder ? spec.Encoder[index] : spec.Decoder[index - EncoderLayerCount];
            int outputs = spec.Variational && index == EncoderLayerCount - 1 ? 2 * layer.Units : layer.Units;
            if (spec.TiedWeights && !encoder)
            {
                int tiedTo = (2 * EncoderLayerCount) - 1 - index;
                DenseLayer source = layers[tiedTo];
                layers[index] = new DenseLayer(inputs, outputs, layer.Activation, source.WeightOffset, offset, transposedWeights: true);
                layers[tiedTo] = new DenseLayer(source.Inputs, source.Outputs, source.Activation, source.WeightOffset, source.BiasOffset)
                {
                    AccumulatesWeightGradient = true,
                };
                offset = checked(offset + outputs);
            }
            else
            {
                int weights = checked(inputs * outputs);
                layers[index] = new DenseLayer(inputs, outputs, layer.Activation, offset, checked(offset + weights));
                offset = checked(offset + weights + outputs);
            }

            // A variational head feeds only its mean (LatentSize columns) to the decoder.
            inputs = spec.Variational && index == EncoderLayerCount - 1 ? layer.Units : outputs;
            maxWidth = Math.Max(maxWidth, outputs);
        }

        Layers = layers;
        LayerOptions = spec.Encoder.Concat(spec.Decoder).Select(l => l.Options).ToArray();
        Parameters = new float[offset];
        MaxWidth = maxWidth;
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

    public int EncoderLayerCount { get; }

    public int LatentSize { get; }

    public bool IsVariational => Spec.Variational;

    public int OutputSize => Layers[^1].Outputs;

    public IReadOnlyList<DenseLayer> Layers { get; }

    /// <summary>Training-time regularisation of each layer's output, by layer index.</summary>
    public IReadOnlyList<LayerOptions> LayerOptions { get; }

    /// <summary>All weights and biases, layer after layer (training swaps buffers, see <see cref="SwapParameters"/>).</summary>
    public float[] Parameters { get; private set; }

    /// <summary>
    /// Makes <paramref name="next"/> (as long as <see cref="Parameters"/>) the parameter buffer and
    /// returns the one it replaces: training writes each step's weights into a second buffer and
    /// swaps only once they are known to be finite, so a failed step leaves the weights untouched
    /// without a copy.
    /// </summary>
    public float[] SwapParameters(float[] next)
    {
        if (next.Length != Parameters.Length)
        {
            throw new ArgumentException(Invariant($"The new parameter buffer must hold {Parameters.Length} values; got {next.Length}."), nameof(next));
        }

        (Parameters, next) = (next, Parameters);
        return next;
    }

    /// <summary>The widest layer (or input), sizing scratch buffers.</summary>
    public int MaxWidth { get; }

    /// <summary>
    /// Rows per inference block: <see cref="MaxInferenceBlockRows"/>, or fewer when the widest layer
    /// is so wide that they would pass <see cref="InferenceScratchFloats"/>; at least one.
    /// </summary>
    public int InferenceBlockRows => Math.Clamp(InferenceScratchFloats / MaxWidth, 1, MaxInferenceBlockRows);

    public Activation OutputActivation => Layers[^1].Activation;

    /// <summary>
    /// Draws every weight from <paramref name="initialization"/> with <paramref name="random"/> and
    /// sets every bias to zero. Tied layers share their encoder layer's draw.
    /// </summary>
    public void Initialize(WeightInitialization initialization, ref Pcg32 random)
    {
        foreach (DenseLayer layer in Layers)
        {
            Parameters.AsSpan(layer.BiasOffset, layer.Outputs).Clear();
            if (layer.TransposedWeights)
            {
                continue;
            }

            Span<float> weights = Parameters.AsSpan(layer.WeightOffset, layer.WeightCount);
            double fanIn = layer.Inputs, fanOut = layer.Outputs;
            switch (initialization)
            {
                case WeightInitialization.GlorotUniform:
                    FillUniform(weights, Math.Sqrt(6.0 / (fanIn + fanOut)), ref random);
                    break;
                case WeightInitialization.HeUniform:
                    FillUniform(weights, Math.Sqrt(6.0 / fanIn), ref random);
                    break;
                case WeightInitialization.HeNormal:
                    double std = Math.Sqrt(2.0 / fanIn);
                    for (int i = 0; i < weights.Length; i++)
                    {
                        weights[i] = (float)(std * random.NextGaussian());
                    }

                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(initialization), Invariant($"Unknown weight initialization; got {initialization}."));
            }
        }
    }

    private static void FillUniform(Span<float> weights, double limit, ref Pcg32 random)
    {
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)((2.0 * random.NextDouble() - 1.0) * limit);
        }
    }

    /// <summary>
    /// Runs layers <c>[first, end)</c> on <paramref name="rows"/> row-major samples in
    /// <paramref name="x"/> and overwrites <paramref name="output"/> (<c>rows × width</c>, where the
    /// width is that of layer <c>end−1</c>, or <see cref="LatentSize"/> when that layer is a
    /// variational head and <paramref name="fullHead"/> is false). A variational head inside the range
    /// passes its mean on. When <paramref name="lastLogits"/> is not empty it also receives the last
    /// layer's pre-activation. Scratch memory is rented per call, so any number of threads may run at once.
    /// </summary>
    public void Run(int first, int end, ReadOnlySpan<float> x, int rows, Span<float> output, Span<float> lastLogits = default, bool fullHead = false)
    {
        if (rows > InferenceBlockRows)
        {
            throw new ArgumentOutOfRangeException(
                nameof(rows), Invariant($"Inference runs at most {InferenceBlockRows} rows at once for this network (its widest layer has {MaxWidth} units); got {rows}."));
        }

        // One buffer for the whole pass, read once (training swaps buffers between steps).
        float[] parameters = Parameters;
        int scratchLength = rows * MaxWidth;
        float[] bufferA = ArrayPool<float>.Shared.Rent(scratchLength);
        float[] bufferB = ArrayPool<float>.Shared.Rent(scratchLength);
        try
        {
            ReadOnlySpan<float> input = x;
            float[] current = bufferA, next = bufferB;
            for (int l = first; l < end; l++)
            {
                DenseLayer layer = Layers[l];
                int count = rows * layer.Outputs;
                bool head = IsVariational && l == EncoderLayerCount - 1;
                if (l == end - 1 && !(head && !fullHead))
                {
                    Span<float> z = lastLogits.IsEmpty ? current.AsSpan(0, count) : lastLogits[..count];
                    layer.Forward(parameters, input, rows, z, output[..count]);
                }
                else
                {
                    // Z is not needed after inference, so the activation overwrites it in place.
                    layer.Forward(parameters, input, rows, current, current);
                    if (head)
                    {
                        Span<float> means = l == end - 1 ? output : current;
                        CopyMeans(current, rows, LatentSize, means);
                        count = rows * LatentSize;
                        if (l == end - 1)
                        {
                            break;
                        }
                    }

                    input = current.AsSpan(0, count);
                    (current, next) = (next, current);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(bufferA);
            ArrayPool<float>.Shared.Return(bufferB);
        }
    }

    /// <summary>
    /// Copies the mean half of each row of a variational head's output (<c>rows × 2k</c>) to
    /// <paramref name="means"/> (<c>rows × k</c>); <paramref name="means"/> may be <paramref name="head"/> itself.
    /// </summary>
    public static void CopyMeans(ReadOnlySpan<float> head, int rows, int k, Span<float> means)
    {
        for (int r = 0; r < rows; r++)
        {
            // Forward order is safe in place: row r's target starts at or before its source.
            head.Slice(r * 2 * k, k).CopyTo(means.Slice(r * k, k));
        }
    }

    /// <summary>Units (as in the spec: the latent size for a variational head) and activation of layers <c>[first, end)</c>.</summary>
    public (int Units, Activation Activation)[] Describe(int first, int end) =>
        Spec.Encoder.Concat(Spec.Decoder).Skip(first).Take(end - first).Select(l => (l.Units, l.Activation)).ToArray();

    /// <summary>Closed-vocabulary text of a stack, e.g. <c>128:relu,32:identity</c>.</summary>
    public static string Format(IEnumerable<(int Units, Activation Activation)> stack) =>
        string.Join(",", stack.Select(s => Invariant($"{s.Units}:{ActivationFunctions.Name(s.Activation)}")));
}

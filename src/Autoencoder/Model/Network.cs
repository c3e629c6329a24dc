using System.Buffers;
using Autoencoder.Activations;
using Autoencoder.Layers;

namespace Autoencoder.Model;

/// <summary>
/// The encoder and decoder stacks of dense layers over one flat parameter buffer
/// (<c>W₀, b₀, W₁, b₁, …</c>). Layers <c>[0, EncoderLayerCount)</c> form the encoder, whose last
/// layer is the latent code; the rest form the decoder, whose last layer is the reconstruction.
/// </summary>
internal sealed class Network
{
    /// <summary>Rows processed per block during inference, bounding scratch memory per call.</summary>
    public const int InferenceBlockRows = 256;

    public Network(int inputSize, IReadOnlyList<(int Units, Activation Activation)> encoder, IReadOnlyList<(int Units, Activation Activation)> decoder)
    {
        InputSize = inputSize;
        EncoderLayerCount = encoder.Count;
        var layers = new DenseLayer[encoder.Count + decoder.Count];
        int offset = 0, inputs = inputSize, maxWidth = inputSize;
        int index = 0;
        foreach (var (units, activation) in encoder.Concat(decoder))
        {
            layers[index++] = new DenseLayer(inputs, units, activation, offset);
            offset = checked(offset + checked(inputs * units) + units);
            inputs = units;
            maxWidth = Math.Max(maxWidth, units);
        }

        Layers = layers;
        Parameters = new float[offset];
        MaxWidth = maxWidth;
    }

    public int InputSize { get; }

    public int EncoderLayerCount { get; }

    public int LatentSize => Layers[EncoderLayerCount - 1].Outputs;

    public int OutputSize => Layers[^1].Outputs;

    public IReadOnlyList<DenseLayer> Layers { get; }

    /// <summary>All weights and biases, layer after layer.</summary>
    public float[] Parameters { get; }

    /// <summary>The widest layer (or input), sizing scratch buffers.</summary>
    public int MaxWidth { get; }

    public Activation OutputActivation => Layers[^1].Activation;

    /// <summary>
    /// Draws every weight from <paramref name="initialization"/> with <paramref name="random"/> and
    /// sets every bias to zero.
    /// </summary>
    public void Initialize(WeightInitialization initialization, ref Pcg32 random)
    {
        foreach (DenseLayer layer in Layers)
        {
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
                    throw new ArgumentOutOfRangeException(nameof(initialization), initialization, "Unknown weight initialization.");
            }

            Parameters.AsSpan(layer.BiasOffset, layer.Outputs).Clear();
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
    /// <paramref name="x"/> and overwrites <paramref name="output"/> (<c>rows × width of layer end−1</c>).
    /// When <paramref name="lastLogits"/> is not empty it also receives the last layer's
    /// pre-activation. Scratch memory is rented per call, so any number of threads may run at once.
    /// </summary>
    public void Run(int first, int end, ReadOnlySpan<float> x, int rows, Span<float> output, Span<float> lastLogits = default)
    {
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
                if (l == end - 1)
                {
                    Span<float> z = lastLogits.IsEmpty ? current.AsSpan(0, count) : lastLogits[..count];
                    layer.Forward(Parameters, input, rows, z, output[..count]);
                }
                else
                {
                    // Z is not needed after inference, so the activation overwrites it in place.
                    layer.Forward(Parameters, input, rows, current, current);
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

    public (int Units, Activation Activation)[] Describe(int first, int end) =>
        Layers.Skip(first).Take(end - first).Select(l => (l.Outputs, l.Activation)).ToArray();

    /// <summary>Closed-vocabulary text of a stack, e.g. <c>128:relu,32:identity</c>.</summary>
    public static string Format(IEnumerable<(int Units, Activation Activation)> stack) =>
        string.Join(",", stack.Select(s => $"{s.Units}:{ActivationFunctions.Name(s.Activation)}"));
}

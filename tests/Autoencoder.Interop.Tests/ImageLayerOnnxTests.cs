using Autoencoder.Layers;
using Autoencoder.Serialization;
using Microsoft.ML.OnnxRuntime;

namespace Autoencoder.Interop.Tests;

/// <summary>
/// Image layers exported alone (<see cref="OnnxExport.WriteLayers"/>) run in ONNX Runtime on the
/// NCHW transpose of our channels-last batch and give our inference outputs: max pooling
/// (<c>MaxPool</c> with explicit pads), nearest upsampling (<c>Resize</c>) and batch normalization
/// per channel (<c>BatchNormalization</c> on axis 1).
/// </summary>
public sealed class ImageLayerOnnxTests
{
    /// <summary>
    /// Relative tolerance above magnitude 1, absolute below. Pooling and upsampling select and copy
    /// values, so they agree exactly; batch normalization is computed in double here and in float
    /// there, a few ulps apart.
    /// </summary>
    private const float Tolerance = 1e-5f;

    private static readonly int[] BatchSizes = [1, 3];

    public static TheoryData<int, int, int, int, int, int, int, Padding> Pools() => new()
    {
        { 7, 7, 3, 2, 2, 2, 2, Padding.Same },   // Keras: 7 × 7 → 4 × 4, the extra row and column of padding at the bottom and right
        { 28, 28, 5, 3, 3, 2, 2, Padding.Same },
        { 3, 5, 5, 2, 3, 1, 1, Padding.Valid },
        { 7, 7, 1, 3, 3, 3, 3, Padding.Valid },
        { 1, 1, 2, 3, 3, 2, 2, Padding.Same },
        { 7, 7, 17, 2, 3, 1, 3, Padding.Same },  // 17 channels: the vector loop and its scalar tail
        { 3, 5, 1, 3, 2, 3, 1, Padding.Same },   // pads on one axis only
        { 3, 3, 4, 3, 3, 1, 1, Padding.Valid },  // a 1 × 1 output: [N, C] in the graph
    };

    [Theory]
    [MemberData(nameof(Pools))]
    public void MaxPool2D_MatchesOnnxRuntime(int h, int w, int c, int ph, int pw, int sh, int sw, Padding padding) =>
        Check([new MaxPool2DLayer("pool", LayerShape.Image(h, w, c), ph, pw, sh, sw, padding)], [], [], seed: h + w + c + ph + pw + sh + sw);

    [Theory]
    [InlineData(3, 5, 5, 2, 3)]
    [InlineData(7, 7, 1, 2, 2)]
    [InlineData(1, 1, 3, 3, 1)] // a 1 × 1 input: [N, C] in the graph
    [InlineData(1, 1, 3, 1, 1)]
    [InlineData(4, 2, 17, 1, 1)]
    public void UpSampling2D_MatchesOnnxRuntime(int h, int w, int c, int sh, int sw) =>
        Check([new UpSampling2DLayer("up", LayerShape.Image(h, w, c), sh, sw)], [], [], seed: h + w + c + sh + sw);

    [Theory]
    [InlineData(7, 7, 5)]
    [InlineData(3, 5, 4)]
    [InlineData(1, 1, 3)]
    public void BatchNorm_OnAnImage_MatchesOnnxRuntime(int h, int w, int c)
    {
        var norm = new BatchNormLayer("norm", LayerShape.Image(h, w, c));
        var (parameters, state) = Buffers(norm, seed: h + w + c);
        Check([norm], parameters, state, seed: c);
    }

    [Fact]
    public void PoolNormalizeUpsample_InOneGraph_MatchesOnnxRuntime()
    {
        LayerShape image = LayerShape.Image(7, 7, 5);
        var pool = new MaxPool2DLayer("pool", image, 2, 2, 2, 2, Padding.Same);
        var norm = new BatchNormLayer("norm", pool.OutputShape);
        var up = new UpSampling2DLayer("up", norm.OutputShape, 2, 2);
        var (parameters, state) = Buffers(norm, seed: 9);
        Check([pool, norm, up], parameters, state, seed: 10);
    }

    /// <summary>γ, β and running statistics away from their initial values: γ in [−1, 2), β and means in [−1, 1), variances in [0.5, 2.5).</summary>
    private static (float[] Parameters, float[] State) Buffers(BatchNormLayer norm, int seed)
    {
        var random = new Random(seed);
        int c = norm.Features;
        var parameters = new float[norm.ParameterCount];
        var state = new float[norm.StateCount];
        for (int j = 0; j < c; j++)
        {
            parameters[j] = (float)(random.NextDouble() * 3 - 1);
            parameters[c + j] = (float)(random.NextDouble() * 2 - 1);
            state[j] = (float)(random.NextDouble() * 2 - 1);
            state[c + j] = (float)(0.5 + (random.NextDouble() * 2));
        }

        return (parameters, state);
    }

    /// <summary>Runs <paramref name="layers"/> at inference in order, ours on channels-last rows and ONNX Runtime on NCHW, and compares.</summary>
    private static void Check(Layer[] layers, float[] parameters, float[] state, int seed)
    {
        using var stream = new MemoryStream();
        OnnxExport.WriteLayers(stream, layers, parameters, state);
        using var session = new InferenceSession(stream.ToArray());
        LayerShape input = layers[0].InputShape, output = layers[^1].OutputShape;
        var random = new Random(seed);
        foreach (int batch in BatchSizes)
        {
            float[] x = [.. Enumerable.Range(0, batch * input.Size).Select(_ => (float)(random.NextDouble() * 8 - 4))];
            float[] expected = x;
            foreach (Layer layer in layers)
            {
                var y = new float[batch * layer.OutputSize];
                var pass = new ForwardPass(batch, parameters, state);
                layer.Forward(ref pass, expected, y, []);
                expected = y;
            }

            // The graph's layout of each shape: NCHW for an image, [N, C] for a vector (which a 1 × 1 image is).
            using OrtValue value = OrtValue.CreateTensorValueFromMemory(ToNchw(x, batch, input), [batch, .. OnnxExport.OnnxDimensions(input)]);
            using var runOptions = new RunOptions();
            using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, new Dictionary<string, OrtValue> { ["input"] = value }, ["output"]);
            Assert.Equal([batch, .. OnnxExport.OnnxDimensions(output)], outputs[0].GetTensorTypeAndShape().Shape);
            float[] want = ToNchw(expected, batch, output);
            float[] actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            Assert.Equal(want.Length, actual.Length);
            for (int i = 0; i < want.Length; i++)
            {
                Assert.True(
                    Math.Abs(want[i] - actual[i]) <= Tolerance * Math.Max(1f, Math.Abs(want[i])),
                    $"{string.Join(" → ", layers.Select(l => l.Kind))} on {input}, batch {batch}, NCHW element {i}: ours {want[i]:R}, ONNX Runtime {actual[i]:R}");
            }
        }
    }

    /// <summary>A channels-last batch (<c>batch × H × W × C</c>) transposed to NCHW.</summary>
    private static float[] ToNchw(float[] rows, int batch, LayerShape shape)
    {
        int pixels = shape.Height * shape.Width, c = shape.Channels;
        var nchw = new float[rows.Length];
        for (int b = 0; b < batch; b++)
        {
            for (int p = 0; p < pixels; p++)
            {
                for (int k = 0; k < c; k++)
                {
                    nchw[(((b * c) + k) * pixels) + p] = rows[(((b * pixels) + p) * c) + k];
                }
            }
        }

        return nchw;
    }
}

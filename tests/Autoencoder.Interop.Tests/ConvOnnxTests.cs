using Autoencoder.Layers;
using Autoencoder.Serialization;
using Microsoft.ML.OnnxRuntime;

namespace Autoencoder.Interop.Tests;

/// <summary>
/// Each convolution layer's ONNX nodes (a graph of that layer alone, <see cref="OnnxExport.WriteLayers"/>)
/// run in ONNX Runtime on the NCHW transpose of our channels-last input and give our inference
/// output, transposed back.
/// </summary>
public sealed class ConvOnnxTests
{
    /// <summary>
    /// Relative tolerance (absolute below magnitude 1): both sides sum the same at most a few hundred
    /// float products in different orders (ours by im2col and a blocked GEMM, ONNX Runtime's by its
    /// own kernels), so they differ by a few float roundings.
    /// </summary>
    private const float Tolerance = 1e-5f;

    private const int Rows = 3;

    public static TheoryData<string> Layers() => new()
    {
        "conv2d 7x7x3 f4 k3x3 s2x2 same relu",
        "conv2d 7x7x3 f4 k3x3 s2x2 valid identity",
        "conv2d 5x6x2 f3 k2x3 s1x2 same sigmoid",
        "conv2d 6x6x1 f2 k4x4 s2x2 same tanh",
        "conv2d 4x4x3 f5 k1x1 s1x1 valid elu",
        "conv2d 1x1x3 f2 k3x3 s1x1 same identity",
        "conv2d 3x3x2 f4 k3x3 s1x1 valid gelu",
        "transpose 4x4x3 f2 k3x3 s2x2 same relu",
        "transpose 4x4x3 f2 k3x3 s2x2 valid identity",
        "transpose 4x4x3 f2 k3x3 s2x2 same op0x1 sigmoid",
        "transpose 3x5x2 f3 k2x3 s2x1 valid op1x0 tanh",
        "transpose 3x3x2 f2 k2x2 s3x3 valid identity",
        "transpose 3x3x2 f2 k4x4 s2x2 same identity",
        "transpose 1x1x4 f3 k3x3 s2x2 same softplus",
        "transpose 5x5x3 f2 k1x1 s1x1 same identity",
        "conv1d 9x3 f4 k3 s2 same relu",
        "conv1d 9x1 f2 k4 s1 valid identity",
        "conv1d 6x2 f3 k1 s1 same leaky_relu",
    };

    /// <summary>Builds the layer a spec names: kind, input shape, filters, kernel, strides, padding, optional output padding, activation.</summary>
    private static Layer Build(string spec)
    {
        string[] p = spec.Split(' ');
        int[] Numbers(string text) => text.TrimStart('f', 'k', 's', 'o', 'p').Split('x').Select(int.Parse).ToArray();
        Assert.True(Autoencoder.Activations.ActivationFunctions.TryParse(p[^1], out Activation activation));
        Padding padding = p[5] == "same" ? Padding.Same : Padding.Valid;
        int filters = Numbers(p[2])[0];
        int[] shape = Numbers(p[1]), kernel = Numbers(p[3]), stride = Numbers(p[4]);
        return p[0] switch
        {
            "conv2d" => new Conv2DLayer("conv", LayerShape.Image(shape[0], shape[1], shape[2]), filters, kernel[0], kernel[1], stride[0], stride[1], padding, activation),
            "conv1d" => new Conv1DLayer("conv", LayerShape.Image(1, shape[0], shape[1]), filters, kernel[0], stride[0], padding, activation),
            _ => new Conv2DTransposeLayer(
                "up", LayerShape.Image(shape[0], shape[1], shape[2]), filters, kernel[0], kernel[1], stride[0], stride[1], padding,
                p.Length == 8 ? Numbers(p[6])[0] : null, p.Length == 8 ? Numbers(p[6])[1] : null, activation),
        };
    }

    /// <summary>Channels-last rows to NCHW (or the rows themselves for a one-pixel shape, a vector in the graph).</summary>
    private static float[] ToNchw(float[] x, int rows, LayerShape shape)
    {
        var result = new float[x.Length];
        int h = shape.Height, w = shape.Width, c = shape.Channels;
        for (int b = 0; b < rows; b++)
        {
            for (int y = 0; y < h; y++)
            {
                for (int col = 0; col < w; col++)
                {
                    for (int ch = 0; ch < c; ch++)
                    {
                        result[(((b * c + ch) * h) + y) * w + col] = x[(((b * h + y) * w) + col) * c + ch];
                    }
                }
            }
        }

        return result;
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void WriteLayers_RunInOnnxRuntime_MatchesOurForward(string spec)
    {
        Layer layer = Build(spec);
        var random = new Random(17);
        float[] parameters = Enumerable.Range(0, layer.ParameterCount).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] x = Enumerable.Range(0, Rows * layer.InputSize).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var expected = new float[Rows * layer.OutputSize];
        var pass = new ForwardPass(Rows, parameters, []);
        layer.Forward(ref pass, x, expected, []);

        using var stream = new MemoryStream();
        OnnxExport.WriteLayers(stream, [layer], parameters, ReadOnlyMemory<float>.Empty);
        using var session = new InferenceSession(stream.ToArray());
        long[] dims = [Rows, .. OnnxExport.OnnxDimensions(layer.InputShape)];
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(ToNchw(x, Rows, layer.InputShape), dims);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, new Dictionary<string, OrtValue> { ["input"] = input }, ["output"]);
        Assert.Equal([Rows, .. OnnxExport.OnnxDimensions(layer.OutputShape)], outputs[0].GetTensorTypeAndShape().Shape);
        float[] actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        float[] want = ToNchw(expected, Rows, layer.OutputShape);
        Assert.Equal(want.Length, actual.Length);
        for (int i = 0; i < want.Length; i++)
        {
            Assert.True(
                Math.Abs(want[i] - actual[i]) <= Tolerance * Math.Max(1f, Math.Abs(want[i])),
                $"{spec}: value {i} of {want.Length} (NCHW): expected {want[i]:R}, got {actual[i]:R}");
        }
    }
}

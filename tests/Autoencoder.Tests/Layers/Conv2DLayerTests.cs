using Autoencoder.Layers;
using static Autoencoder.Tests.Layers.ConvReference;

namespace Autoencoder.Tests.Layers;

/// <summary>
/// The 2-D convolution against its definition in double (ConvReference.cs): forward, backward and
/// finite differences at odd sizes, both paddings, strides 1 and 2, pointwise and larger kernels;
/// Keras' output sizes; the geometry it refuses; its file token, tensors and initialization.
/// </summary>
public class Conv2DLayerTests
{
    private const int Rows = 3;

    /// <summary>Start of the layer's slice in the test's parameter buffers: not 0, so offsets are exercised.</summary>
    private const int Offset = 3;

    /// <summary>Height, width, input channels, filters, kernel height and width, strides, padding.</summary>
    public static TheoryData<int, int, int, int, int, int, int, int, Padding> Geometries() => new()
    {
        { 1, 1, 1, 1, 1, 1, 1, 1, Padding.Valid },
        { 1, 1, 3, 4, 3, 3, 1, 1, Padding.Same },
        { 1, 1, 3, 4, 3, 3, 2, 2, Padding.Same },
        { 3, 5, 1, 4, 2, 3, 1, 1, Padding.Valid },
        { 3, 5, 3, 1, 3, 3, 2, 2, Padding.Same },
        { 3, 5, 3, 4, 2, 3, 2, 1, Padding.Same },
        { 7, 7, 3, 4, 3, 3, 2, 2, Padding.Same },
        { 7, 7, 1, 4, 2, 3, 2, 2, Padding.Valid },
        { 7, 7, 3, 4, 1, 1, 1, 1, Padding.Same },
        { 7, 7, 2, 3, 1, 1, 2, 2, Padding.Valid },
        { 7, 7, 3, 1, 3, 3, 1, 1, Padding.Valid },
        { 28, 28, 1, 4, 3, 3, 2, 2, Padding.Same },
        { 28, 28, 3, 1, 3, 3, 1, 1, Padding.Valid },
        { 28, 28, 3, 4, 2, 3, 1, 2, Padding.Same },
    };

    private static (Conv2DLayer Layer, float[] Parameters, float[] X, int Ho, int Wo, int Top, int Left) Setup(
        int h, int w, int cin, int f, int kh, int kw, int sh, int sw, Padding padding, Activation activation, int rows = Rows)
    {
        var layer = new Conv2DLayer("conv", LayerShape.Image(h, w, cin), f, kh, kw, sh, sw, padding, activation);
        layer.Place(Offset, 0);
        var (ho, top) = ConvAxis(h, kh, sh, padding);
        var (wo, left) = ConvAxis(w, kw, sw, padding);
        float[] parameters = Values(Offset + layer.ParameterCount, seed: 11);
        float[] x = Values(rows * h * w * cin, seed: 12);
        return (layer, parameters, x, ho, wo, top, left);
    }

    private static double[] Reference(Conv2DLayer layer, float[] parameters, float[] x, int rows, int ho, int wo, int top, int left) =>
        Conv(
            Double(x), rows, layer.InputShape.Height, layer.InputShape.Width, layer.InputShape.Channels,
            Double(parameters.AsSpan(layer.WeightOffset, layer.WeightCount)), Double(parameters.AsSpan(layer.BiasOffset, layer.Filters)), layer.Filters,
            layer.KernelHeight, layer.KernelWidth, layer.StrideHeight, layer.StrideWidth, top, left, ho, wo);

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Forward_MatchesTheDefinition_TrainingAndInferenceAlike(int h, int w, int cin, int f, int kh, int kw, int sh, int sw, Padding padding)
    {
        var (layer, parameters, x, ho, wo, top, left) = Setup(h, w, cin, f, kh, kw, sh, sw, padding, Activation.Tanh);
        Assert.Equal(LayerShape.Image(ho, wo, f), layer.OutputShape);
        Assert.Equal((top, left), (layer.PadTop, layer.PadLeft));

        var (training, saved, inference, pre) = ConvReference.Forward(layer, parameters, x, Rows);
        double[] z = Reference(layer, parameters, x, Rows, ho, wo, top, left);
        AssertClose("Z", z, saved);
        AssertClose("A", z.Select(Math.Tanh).ToArray(), training);
        Assert.Equal(training, inference);
        Assert.Equal(saved.AsSpan(0, z.Length).ToArray(), pre);
        Assert.Equal(saved.AsSpan(0, z.Length).ToArray(), layer.PreActivation(x, training, saved).ToArray());
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Backward_MatchesTheDefinition_AndOverwrites(int h, int w, int cin, int f, int kh, int kw, int sh, int sw, Padding padding)
    {
        // A sigmoid output whose loss already took f′ (FromPreActivation): dY is dZ.
        var (layer, parameters, x, ho, wo, top, left) = Setup(h, w, cin, f, kh, kw, sh, sw, padding, Activation.Sigmoid);
        var (training, saved, _, _) = ConvReference.Forward(layer, parameters, x, Rows);
        float[] dZ = Values(training.Length, seed: 13);
        var (dWeights, dBias, dInput) = ConvBackward(
            Double(x), Rows, h, w, cin, Double(parameters.AsSpan(layer.WeightOffset, layer.WeightCount)), f, kh, kw, sh, sw, top, left, ho, wo, Double(dZ));

        float[] gradients = Enumerable.Repeat(float.NaN, parameters.Length).ToArray();
        float[] dX = Enumerable.Repeat(float.NaN, x.Length).ToArray();
        var pass = new BackwardPass(Rows, parameters, gradients, 1, [], 0) { FromPreActivation = true };
        layer.Backward(ref pass, x, training, saved, (float[])dZ.Clone(), dX);
        AssertClose("dW", dWeights, gradients.AsSpan(layer.WeightOffset, layer.WeightCount));
        AssertClose("db", dBias, gradients.AsSpan(layer.BiasOffset, f));
        AssertClose("dX", dInput, dX);
        Assert.All(gradients[..Offset], g => Assert.True(float.IsNaN(g)));

        // Without dX (a first layer) the parameter gradients are the same bits.
        saved = ConvReference.Forward(layer, parameters, x, Rows).Saved;
        float[] again = new float[parameters.Length];
        var second = new BackwardPass(Rows, parameters, again, 1, [], 0) { FromPreActivation = true };
        layer.Backward(ref second, x, training, saved, (float[])dZ.Clone(), default);
        Assert.Equal(gradients.AsSpan(Offset).ToArray(), again.AsSpan(Offset).ToArray());
    }

    public static TheoryData<int, int, int, int, int, int, int, int, Padding> GradientGeometries() => new()
    {
        { 5, 5, 2, 3, 3, 3, 2, 2, Padding.Same },
        { 4, 6, 1, 2, 2, 3, 1, 2, Padding.Valid },
        { 3, 3, 2, 2, 1, 1, 1, 1, Padding.Valid },
        { 1, 1, 2, 3, 3, 3, 1, 1, Padding.Same },
    };

    /// <summary>
    /// The float backward of <c>L = Σ c·tanh(conv(X, W) + b)</c> (fixed random <c>c</c>) against
    /// central differences of the double definition, for every weight, bias and input.
    /// </summary>
    [Theory]
    [MemberData(nameof(GradientGeometries))]
    public void Backward_MatchesFiniteDifferences(int h, int w, int cin, int f, int kh, int kw, int sh, int sw, Padding padding)
    {
        const int rows = 2;
        var (layer, parameters, x, ho, wo, top, left) = Setup(h, w, cin, f, kh, kw, sh, sw, padding, Activation.Tanh, rows);
        var (training, saved, _, _) = ConvReference.Forward(layer, parameters, x, rows);
        float[] c = Values(training.Length, seed: 14);
        var gradients = new float[parameters.Length];
        var dX = new float[x.Length];
        var pass = new BackwardPass(rows, parameters, gradients, 1, [], 0);
        layer.Backward(ref pass, x, training, saved, (float[])c.Clone(), dX);

        double[] theta = Double(parameters), input = Double(x), weights = Double(c);
        double Loss()
        {
            double[] z = Conv(
                input, rows, h, w, cin, theta[layer.WeightOffset..layer.BiasOffset], theta[layer.BiasOffset..], f, kh, kw, sh, sw, top, left, ho, wo);
            return z.Select((v, i) => weights[i] * Math.Tanh(v)).Sum();
        }

        GradientCheck.Check("parameter", theta, Offset, gradients, Loss);
        GradientCheck.Check("input", input, 0, dX, Loss);
    }

    [Theory]
    [InlineData(7, 3, 2, Padding.Same, 4, 1, 1)]
    [InlineData(7, 2, 2, Padding.Same, 4, 0, 1)]
    [InlineData(28, 3, 2, Padding.Same, 14, 0, 1)]
    [InlineData(28, 3, 2, Padding.Valid, 13, 0, 0)]
    [InlineData(28, 5, 1, Padding.Same, 28, 2, 2)]
    [InlineData(5, 5, 1, Padding.Valid, 1, 0, 0)]
    public void OutputShape_IsKeras(int input, int kernel, int stride, Padding padding, int output, int before, int after)
    {
        var layer = new Conv2DLayer("conv", LayerShape.Image(input, input, 2), 5, kernel, kernel, stride, stride, padding, Activation.Relu);
        Assert.Equal(LayerShape.Image(output, output, 5), layer.OutputShape);
        Assert.Equal((before, before, after, after), (layer.PadTop, layer.PadLeft, layer.PadBottom, layer.PadRight));
    }

    [Fact]
    public void Constructor_ImpossibleGeometry_ThrowsArgumentExceptionNamingLayerRuleAndValue()
    {
        var image = LayerShape.Image(3, 3, 1);
        var e = Assert.Throws<ArgumentException>(() => new Conv2DLayer("encoder.2", image, 4, 5, 5, 1, 1, Padding.Valid, Activation.Relu));
        Assert.Equal("Layer encoder.2 (conv2d): a 5×5 kernel with 'valid' padding needs an input of at least 5×5; got 3×3.", e.Message);
        Assert.Contains("2×4 kernel with 'valid' padding needs an input of at least 2×4; got 3×3", Assert.Throws<ArgumentException>(() => new Conv2DLayer("c", image, 4, 2, 4, 1, 1, Padding.Valid, Activation.Relu)).Message);
        Assert.Contains("at least 1 filter; got 0", Assert.Throws<ArgumentException>(() => new Conv2DLayer("c", image, 0, 3, 3, 1, 1, Padding.Same, Activation.Relu)).Message);
        Assert.Contains("positive height and width; got 0×3", Assert.Throws<ArgumentException>(() => new Conv2DLayer("c", image, 1, 0, 3, 1, 1, Padding.Same, Activation.Relu)).Message);
        Assert.Contains("strides must be positive; got 1×-2", Assert.Throws<ArgumentException>(() => new Conv2DLayer("c", image, 1, 3, 3, 1, -2, Padding.Same, Activation.Relu)).Message);
        Assert.Contains("padding must be one of Valid, Same; got 7", Assert.Throws<ArgumentException>(() => new Conv2DLayer("c", image, 1, 3, 3, 1, 1, (Padding)7, Activation.Relu)).Message);
    }

    [Fact]
    public void Describes_ItsKindTokenTensorsAndBufferSizes()
    {
        var layer = new Conv2DLayer("encoder.0", LayerShape.Image(7, 7, 3), 4, 3, 2, 2, 1, Padding.Same, Activation.LeakyRelu);
        layer.Place(10, 0);
        Assert.Equal("conv2d", layer.Kind);
        Assert.Equal("leaky_relu", layer.Description);
        Assert.Equal(Activation.LeakyRelu, layer.OutputActivation);
        Assert.True(layer.WritesPreActivation);
        Assert.Equal((3 * 2 * 3 * 4) + 4, layer.ParameterCount);
        Assert.Equal(5L * 4 * 7 * (4 + (3 * 2 * 3)), layer.SavedCount(5));
        Assert.Equal(5L * 7 * 7 * 4, new Conv2DLayer("p", LayerShape.Image(7, 7, 3), 4, 1, 1, 1, 1, Padding.Valid, Activation.Relu).SavedCount(5));

        var tensors = layer.Tensors.ToArray();
        Assert.Equal(["encoder.0.weight", "encoder.0.bias"], tensors.Select(t => t.Name));
        Assert.Equal([3, 2, 3, 4], tensors[0].Shape);
        Assert.Equal((10, 72), (tensors[0].Offset, tensors[0].Count));
        Assert.Equal([4], tensors[1].Shape);
        Assert.Equal((82, 4), (tensors[1].Offset, tensors[1].Count));

        var utf8 = new byte[64];
        Assert.True(layer.TryWriteFileToken(utf8, out int written));
        Assert.Equal("conv2d:4:3x2:2x1:same:leaky_relu", System.Text.Encoding.ASCII.GetString(utf8, 0, written));
        Assert.False(layer.TryWriteFileToken(new byte[8], out _));
    }

    [Fact]
    public void Initialize_DrawsGlorotWithConvolutionFans_AndZeroBias()
    {
        var layer = new Conv2DLayer("conv", LayerShape.Image(9, 9, 3), 8, 3, 3, 1, 1, Padding.Same, Activation.Relu);
        var parameters = Enumerable.Repeat(float.NaN, layer.ParameterCount).ToArray();
        var random = new Pcg32(5, 1);
        layer.Initialize(parameters, [], WeightInitialization.GlorotUniform, ref random);
        double limit = Math.Sqrt(6.0 / ((9 * 3) + (9 * 8)));
        float[] weights = parameters[..layer.WeightCount];
        Assert.All(weights, v => Assert.True(Math.Abs(v) <= limit, $"{v} outside ±{limit}"));
        double largest = weights.Max(v => Math.Abs(v));
        Assert.True(largest > 0.95 * limit, $"largest |w| {largest} of 216 draws, limit {limit}");
        Assert.All(parameters[layer.BiasOffset..], v => Assert.Equal(0f, v));
    }

    /// <summary>
    /// Inference in chunks of samples gives the training batch's bits: 150 images of 28×28 need more
    /// columns than one chunk holds, and a one-pixel output (one product row per sample) keeps a
    /// lone trailing sample out of a chunk of its own.
    /// </summary>
    [Theory]
    [InlineData(28, 28, 1, 3, Padding.Same, 150)]
    [InlineData(3, 3, 58_255, 3, Padding.Valid, 3)]
    public void Forward_InferenceInChunks_GivesTrainingBits(int h, int w, int cin, int kernel, Padding padding, int rows)
    {
        int perSample = ConvAxis(h, kernel, 1, padding).Length * ConvAxis(w, kernel, 1, padding).Length * kernel * kernel * cin;
        Assert.True((long)perSample * rows > Convolution.InferenceColumnBudget, "the batch must not fit one chunk");
        var (layer, parameters, x, _, _, _, _) = Setup(h, w, cin, 2, kernel, kernel, 1, 1, padding, Activation.Identity, rows);
        var (training, _, inference, _) = ConvReference.Forward(layer, parameters, x, rows);
        Assert.Equal(training, inference);
    }
}

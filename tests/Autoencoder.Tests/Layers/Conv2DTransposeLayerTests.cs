using Autoencoder.Layers;
using static Autoencoder.Tests.Layers.ConvReference;

namespace Autoencoder.Tests.Layers;

/// <summary>
/// The transposed 2-D convolution against its definition in double (a scatter, ConvReference.cs)
/// and as the adjoint of the convolution it transposes; Keras' sizes with and without output
/// padding; the geometry it refuses; its file token, tensors and initialization.
/// </summary>
public class Conv2DTransposeLayerTests
{
    private const int Rows = 3;

    /// <summary>Start of the layer's slice in the test's parameter buffers: not 0, so offsets are exercised.</summary>
    private const int Offset = 2;

    /// <summary>Height, width, input channels, filters, kernel height and width, strides, padding, output padding (−1: none).</summary>
    public static TheoryData<string> Geometries() => Specs(new()
    {
        "1 1 1 1 1 1 1 1 Valid -1 -1",
        "1 1 3 4 3 3 2 2 Same -1 -1",
        "1 1 3 4 3 3 1 1 Valid -1 -1",
        "3 5 1 4 2 3 1 1 Valid -1 -1",
        "3 5 3 1 3 3 2 2 Same -1 -1",
        "3 5 3 4 2 3 2 1 Same -1 -1",
        "4 4 3 2 3 3 2 2 Same 0 0",
        "4 4 1 3 3 3 2 2 Same 1 0",
        "7 7 2 3 2 3 2 2 Valid 1 0",
        "7 7 3 4 1 1 1 1 Same -1 -1",
        "7 7 3 4 3 3 1 1 Same -1 -1",
        "3 3 2 2 2 2 3 3 Valid -1 -1",
        "3 3 2 2 2 2 3 3 Same 2 1",
        "3 3 1 2 4 4 2 2 Same -1 -1",
        "14 14 2 1 3 3 2 2 Same -1 -1",
        "14 14 3 4 2 3 2 2 Valid -1 -1",
    });

    private static TheoryData<string> Specs(List<string> specs) => new(specs);

    /// <summary>Reads a geometry written as "h w cin f kh kw sh sw padding oph opw".</summary>
    private static (int H, int W, int Cin, int F, int Kh, int Kw, int Sh, int Sw, Padding Padding, int Oph, int Opw) Parse(string spec)
    {
        string[] p = spec.Split(' ');
        int At(int i) => int.Parse(p[i], System.Globalization.CultureInfo.InvariantCulture);
        return (At(0), At(1), At(2), At(3), At(4), At(5), At(6), At(7), Enum.Parse<Padding>(p[8]), At(9), At(10));
    }

    private static int? Optional(int value) => value < 0 ? null : value;

    private sealed record Case(Conv2DTransposeLayer Layer, float[] Parameters, float[] X, int Ho, int Wo, int CropTop, int CropLeft);

    private static Case Setup(
        int h, int w, int cin, int f, int kh, int kw, int sh, int sw, Padding padding, int oph, int opw, Activation activation, int rows = Rows)
    {
        var layer = new Conv2DTransposeLayer("up", LayerShape.Image(h, w, cin), f, kh, kw, sh, sw, padding, Optional(oph), Optional(opw), activation);
        layer.Place(Offset, 0);
        var (ho, top) = TransposedAxis(h, kh, sh, padding, Optional(oph));
        var (wo, left) = TransposedAxis(w, kw, sw, padding, Optional(opw));
        return new Case(layer, Values(Offset + layer.ParameterCount, seed: 21), Values(rows * h * w * cin, seed: 22), ho, wo, top, left);
    }

    private static double[] Reference(Case c, int rows) =>
        Transposed(
            Double(c.X), rows, c.Layer.InputShape.Height, c.Layer.InputShape.Width, c.Layer.InputShape.Channels,
            Double(c.Parameters.AsSpan(c.Layer.WeightOffset, c.Layer.WeightCount)), Double(c.Parameters.AsSpan(c.Layer.BiasOffset, c.Layer.Filters)), c.Layer.Filters,
            c.Layer.KernelHeight, c.Layer.KernelWidth, c.Layer.StrideHeight, c.Layer.StrideWidth, c.CropTop, c.CropLeft, c.Ho, c.Wo);

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Forward_MatchesTheDefinition_TrainingAndInferenceAlike(string geometry)
    {
        var (h, w, cin, f, kh, kw, sh, sw, padding, oph, opw) = Parse(geometry);
        Case c = Setup(h, w, cin, f, kh, kw, sh, sw, padding, oph, opw, Activation.Tanh);
        Assert.Equal(LayerShape.Image(c.Ho, c.Wo, f), c.Layer.OutputShape);
        Assert.Equal((c.CropTop, c.CropLeft), (c.Layer.PadTop, c.Layer.PadLeft));

        var (training, saved, inference, pre) = ConvReference.Forward(c.Layer, c.Parameters, c.X, Rows);
        double[] z = Reference(c, Rows);
        AssertClose("Z", z, saved);
        AssertClose("A", z.Select(Math.Tanh).ToArray(), training);
        Assert.Equal(training, inference);
        Assert.Equal(saved.AsSpan(0, z.Length).ToArray(), pre);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Backward_MatchesTheDefinition_AndOverwrites(string geometry)
    {
        var (h, w, cin, f, kh, kw, sh, sw, padding, oph, opw) = Parse(geometry);
        Case c = Setup(h, w, cin, f, kh, kw, sh, sw, padding, oph, opw, Activation.Sigmoid);
        var (training, saved, _, _) = ConvReference.Forward(c.Layer, c.Parameters, c.X, Rows);
        float[] dZ = Values(training.Length, seed: 23);
        var (dWeights, dBias, dInput) = TransposedBackward(
            Double(c.X), Rows, h, w, cin, Double(c.Parameters.AsSpan(c.Layer.WeightOffset, c.Layer.WeightCount)), f,
            kh, kw, sh, sw, c.CropTop, c.CropLeft, c.Ho, c.Wo, Double(dZ));

        float[] gradients = Enumerable.Repeat(float.NaN, c.Parameters.Length).ToArray();
        float[] dX = Enumerable.Repeat(float.NaN, c.X.Length).ToArray();
        var pass = new BackwardPass(Rows, c.Parameters, gradients, 1, [], 0) { FromPreActivation = true };
        c.Layer.Backward(ref pass, c.X, training, saved, (float[])dZ.Clone(), dX);
        AssertClose("dW", dWeights, gradients.AsSpan(c.Layer.WeightOffset, c.Layer.WeightCount));
        AssertClose("db", dBias, gradients.AsSpan(c.Layer.BiasOffset, f));
        AssertClose("dX", dInput, dX);
        Assert.All(gradients[..Offset], g => Assert.True(float.IsNaN(g)));

        saved = ConvReference.Forward(c.Layer, c.Parameters, c.X, Rows).Saved;
        float[] again = new float[c.Parameters.Length];
        var second = new BackwardPass(Rows, c.Parameters, again, 1, [], 0) { FromPreActivation = true };
        c.Layer.Backward(ref second, c.X, training, saved, (float[])dZ.Clone(), default);
        Assert.Equal(gradients.AsSpan(Offset).ToArray(), again.AsSpan(Offset).ToArray());
    }

    /// <summary>
    /// TensorFlow defines the transposed convolution as the gradient of a convolution with respect to
    /// its input, so <c>⟨conv(Y), X⟩ = ⟨Y, convᵀ(X)⟩</c> for a Keras <see cref="Conv2DLayer"/> on the
    /// transposed layer's output size with the same kernel floats (<c>[kh, kw, filters, Cin]</c> is
    /// that convolution's <c>HWIO</c>). This checks the cropping for 'same' independently of the
    /// reference's formula, for sizes where Keras' convolution maps the output size back to the input size.
    /// </summary>
    [Theory]
    [InlineData(4, 3, 3, 2, Padding.Same)]
    [InlineData(7, 3, 3, 2, Padding.Same)]
    [InlineData(5, 4, 4, 2, Padding.Same)]
    [InlineData(3, 2, 3, 1, Padding.Same)]
    [InlineData(5, 3, 2, 2, Padding.Valid)]
    [InlineData(6, 2, 2, 3, Padding.Same)]
    public void Forward_IsTheAdjointOfKerasConvolution(int size, int kernelHeight, int kernelWidth, int stride, Padding padding)
    {
        const int cin = 2, f = 3, rows = 2;
        var transposed = new Conv2DTransposeLayer("t", LayerShape.Image(size, size + 1, cin), f, kernelHeight, kernelWidth, stride, stride, padding, null, null, Activation.Identity);
        LayerShape big = transposed.OutputShape;
        var conv = new Conv2DLayer("c", big, cin, kernelHeight, kernelWidth, stride, stride, padding, Activation.Identity);
        Assert.Equal(transposed.InputShape, conv.OutputShape);

        // Same kernel floats, zero biases.
        float[] parameters = Values(transposed.ParameterCount, seed: 24);
        parameters.AsSpan(transposed.BiasOffset).Clear();
        float[] convParameters = [.. parameters[..transposed.WeightCount], .. new float[cin]];
        float[] x = Values(rows * transposed.InputSize, seed: 25), y = Values(rows * big.Size, seed: 26);
        float[] tx = ConvReference.Forward(transposed, parameters, x, rows).Inference;
        float[] cy = ConvReference.Forward(conv, convParameters, y, rows).Inference;
        double left = cy.Select((v, i) => (double)v * x[i]).Sum(), right = tx.Select((v, i) => (double)v * y[i]).Sum();
        Assert.True(Math.Abs(left - right) <= 1e-4 * Math.Max(1, Math.Abs(left)), $"⟨conv(Y), X⟩ = {left:R}, ⟨Y, convᵀ(X)⟩ = {right:R}");
    }

    public static TheoryData<string> GradientGeometries() => Specs(new()
    {
        "3 3 2 3 3 3 2 2 Same -1 -1",
        "2 3 1 2 2 3 2 1 Valid 1 0",
        "3 2 2 2 1 1 1 1 Same -1 -1",
        "1 1 3 2 3 3 2 2 Same -1 -1",
    });

    /// <summary>The float backward of <c>L = Σ c·tanh(convᵀ(X, W) + b)</c> against central differences of the double definition.</summary>
    [Theory]
    [MemberData(nameof(GradientGeometries))]
    public void Backward_MatchesFiniteDifferences(string geometry)
    {
        var (h, w, cin, f, kh, kw, sh, sw, padding, oph, opw) = Parse(geometry);
        const int rows = 2;
        Case c = Setup(h, w, cin, f, kh, kw, sh, sw, padding, oph, opw, Activation.Tanh, rows);
        var (training, saved, _, _) = ConvReference.Forward(c.Layer, c.Parameters, c.X, rows);
        float[] weights = Values(training.Length, seed: 27);
        var gradients = new float[c.Parameters.Length];
        var dX = new float[c.X.Length];
        var pass = new BackwardPass(rows, c.Parameters, gradients, 1, [], 0);
        c.Layer.Backward(ref pass, c.X, training, saved, (float[])weights.Clone(), dX);

        double[] theta = Double(c.Parameters), input = Double(c.X), cd = Double(weights);
        double Loss() => Transposed(
                input, rows, h, w, cin, theta[c.Layer.WeightOffset..c.Layer.BiasOffset], theta[c.Layer.BiasOffset..], f,
                kh, kw, sh, sw, c.CropTop, c.CropLeft, c.Ho, c.Wo)
            .Select((v, i) => cd[i] * Math.Tanh(v)).Sum();

        GradientCheck.Check("parameter", theta, Offset, gradients, Loss);
        GradientCheck.Check("input", input, 0, dX, Loss);
    }

    /// <summary>Keras' <c>Conv2DTranspose</c> output lengths (<c>conv_utils.deconv_output_length</c>) and TensorFlow's cropping, worked out by hand.</summary>
    [Theory]
    [InlineData(7, 3, 2, Padding.Same, -1, 14, 0, 1)]  // 7·2; full 15, crop 1 → 0 top, 1 bottom
    [InlineData(7, 3, 2, Padding.Valid, -1, 15, 0, 0)] // 7·2 + 1 = (7 − 1)·2 + 3
    [InlineData(4, 3, 2, Padding.Same, 0, 7, 1, 0)]    // 3·2 + 3 − 2 + 0, the decoder of Conv2D's 7 → 4
    [InlineData(7, 3, 2, Padding.Same, 1, 14, 0, 1)]   // 6·2 + 3 − 2 + 1
    [InlineData(3, 2, 3, Padding.Valid, -1, 9, 0, 1)]  // 3·3 + 0; full 8, one row of bias only
    [InlineData(3, 4, 2, Padding.Same, -1, 6, 1, 2)]   // 3·2; full 8, crop 1 each side; an even kernel implies an output padding of the stride
    [InlineData(5, 5, 1, Padding.Same, -1, 5, 2, 0)]
    public void OutputShape_IsKeras(int input, int kernel, int stride, Padding padding, int outputPadding, int output, int cropTop, int effectiveOutputPadding)
    {
        var layer = new Conv2DTransposeLayer("t", LayerShape.Image(input, input, 2), 3, kernel, kernel, stride, stride, padding, Optional(outputPadding), Optional(outputPadding), Activation.Relu);
        Assert.Equal(LayerShape.Image(output, output, 3), layer.OutputShape);
        Assert.Equal((cropTop, cropTop), (layer.PadTop, layer.PadLeft));
        Assert.Equal((effectiveOutputPadding, effectiveOutputPadding), (layer.OutputPaddingHeight, layer.OutputPaddingWidth));
    }

    [Fact]
    public void Constructor_ImpossibleGeometry_ThrowsArgumentExceptionNamingLayerRuleAndValue()
    {
        var image = LayerShape.Image(3, 3, 1);
        var e = Assert.Throws<ArgumentException>(() => new Conv2DTransposeLayer("decoder.1", image, 4, 3, 3, 2, 2, Padding.Same, 2, 0, Activation.Relu));
        Assert.Equal("Layer decoder.1 (conv2d_transpose): the output padding along the height must be at least 0 and below the stride 2; got 2.", e.Message);
        Assert.Contains("along the width must be at least 0 and below the stride 2; got -1", Assert.Throws<ArgumentException>(() => new Conv2DTransposeLayer("t", image, 4, 3, 3, 2, 2, Padding.Same, 0, -1, Activation.Relu)).Message);
        Assert.Contains(
            "needs an output of at least 1×1; got 0×0",
            Assert.Throws<ArgumentException>(() => new Conv2DTransposeLayer("t", LayerShape.Image(1, 1, 2), 4, 2, 2, 2, 2, Padding.Same, 0, 0, Activation.Relu)).Message);
        Assert.Contains("at least 1 filter; got -3", Assert.Throws<ArgumentException>(() => new Conv2DTransposeLayer("t", image, -3, 3, 3, 1, 1, Padding.Same, null, null, Activation.Relu)).Message);
        Assert.Contains("positive height and width; got 3×0", Assert.Throws<ArgumentException>(() => new Conv2DTransposeLayer("t", image, 1, 3, 0, 1, 1, Padding.Same, null, null, Activation.Relu)).Message);
        Assert.Contains("strides must be positive; got 0×1", Assert.Throws<ArgumentException>(() => new Conv2DTransposeLayer("t", image, 1, 3, 3, 0, 1, Padding.Valid, null, null, Activation.Relu)).Message);
    }

    [Fact]
    public void Describes_ItsKindTokenTensorsAndBufferSizes()
    {
        var layer = new Conv2DTransposeLayer("decoder.3", LayerShape.Image(4, 5, 3), 2, 3, 2, 2, 1, Padding.Same, 0, null, Activation.Sigmoid);
        layer.Place(7, 0);
        Assert.Equal(LayerShape.Image(7, 5, 2), layer.OutputShape);
        Assert.Equal("conv2d_transpose", layer.Kind);
        Assert.Equal("sigmoid", layer.Description);
        Assert.Equal(Activation.Sigmoid, layer.OutputActivation);
        Assert.True(layer.WritesPreActivation);
        Assert.Equal((3 * 2 * 2 * 3) + 2, layer.ParameterCount);
        Assert.Equal(6L * ((7 * 5 * 2) + (4 * 5 * 3 * 2 * 2)), layer.SavedCount(6));

        var tensors = layer.Tensors.ToArray();
        Assert.Equal(["decoder.3.weight", "decoder.3.bias"], tensors.Select(t => t.Name));
        Assert.Equal([3, 2, 2, 3], tensors[0].Shape);
        Assert.Equal((7, 36), (tensors[0].Offset, tensors[0].Count));
        Assert.Equal((43, 2), (tensors[1].Offset, tensors[1].Count));

        // The height's output padding was given (0); the width's is what Keras' size 5·1 implies for a
        // kernel of 2, (5 − 1)·1 + 2 − 2·1 + 1, the stride itself.
        var utf8 = new byte[80];
        Assert.True(layer.TryWriteFileToken(utf8, out int written));
        Assert.Equal("conv2d_transpose:2:3x2:2x1:same:0x1:sigmoid", System.Text.Encoding.ASCII.GetString(utf8, 0, written));
    }

    [Fact]
    public void Initialize_DrawsGlorotWithKerasFans_AndZeroBias()
    {
        var layer = new Conv2DTransposeLayer("t", LayerShape.Image(4, 4, 6), 2, 3, 3, 2, 2, Padding.Same, null, null, Activation.Relu);
        var parameters = Enumerable.Repeat(float.NaN, layer.ParameterCount).ToArray();
        var random = new Pcg32(5, 1);
        layer.Initialize(parameters, [], WeightInitialization.HeUniform, ref random);

        // He uses the fan in, which Keras takes from the kernel's shape [kh, kw, filters, Cin]: kh·kw·filters.
        double limit = Math.Sqrt(6.0 / (9 * 2));
        float[] weights = parameters[..layer.WeightCount];
        Assert.All(weights, v => Assert.True(Math.Abs(v) <= limit, $"{v} outside ±{limit}"));
        Assert.True(weights.Max(v => Math.Abs(v)) > 0.95 * limit);
        Assert.All(parameters[layer.BiasOffset..], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Forward_InferenceInChunks_GivesTrainingBits()
    {
        Case c = Setup(14, 14, 8, 2, 3, 3, 2, 2, Padding.Same, -1, -1, Activation.Identity, rows: 300);
        Assert.True(300L * 14 * 14 * 3 * 3 * 2 > Convolution.InferenceColumnBudget, "the batch must not fit one chunk");
        var (training, _, inference, _) = ConvReference.Forward(c.Layer, c.Parameters, c.X, 300);
        Assert.Equal(training, inference);
    }
}

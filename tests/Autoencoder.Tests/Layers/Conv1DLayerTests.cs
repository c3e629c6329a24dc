using Autoencoder.Layers;
using static Autoencoder.Tests.Layers.ConvReference;

namespace Autoencoder.Tests.Layers;

/// <summary>
/// The 1-D convolution over signal windows against the definition in double (a convolution one row
/// high, ConvReference.cs): forward, backward, finite differences, Keras' lengths, the shapes it
/// refuses, its token and its <c>[k, Cin, filters]</c> kernel.
/// </summary>
public class Conv1DLayerTests
{
    private const int Rows = 3;

    private const int Offset = 1;

    /// <summary>Steps, input channels, filters, kernel, stride, padding.</summary>
    public static TheoryData<int, int, int, int, int, Padding> Geometries() => new()
    {
        { 1, 1, 1, 1, 1, Padding.Valid },
        { 1, 3, 4, 3, 1, Padding.Same },
        { 5, 1, 4, 2, 1, Padding.Valid },
        { 5, 3, 1, 3, 2, Padding.Same },
        { 7, 3, 4, 3, 2, Padding.Same },
        { 7, 1, 4, 2, 2, Padding.Valid },
        { 7, 3, 4, 1, 1, Padding.Same },
        { 28, 3, 4, 3, 2, Padding.Same },
        { 28, 1, 2, 5, 1, Padding.Valid },
    };

    private static (Conv1DLayer Layer, float[] Parameters, float[] X, int Wo, int Left) Setup(int w, int cin, int f, int k, int s, Padding padding, Activation activation, int rows = Rows)
    {
        var layer = new Conv1DLayer("signal", LayerShape.Image(1, w, cin), f, k, s, padding, activation);
        layer.Place(Offset, 0);
        var (wo, left) = ConvAxis(w, k, s, padding);
        return (layer, Values(Offset + layer.ParameterCount, seed: 31), Values(rows * w * cin, seed: 32), wo, left);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Forward_MatchesTheDefinition_TrainingAndInferenceAlike(int w, int cin, int f, int k, int s, Padding padding)
    {
        var (layer, parameters, x, wo, left) = Setup(w, cin, f, k, s, padding, Activation.Elu);
        Assert.Equal(LayerShape.Image(1, wo, f), layer.OutputShape);
        Assert.Equal(left, layer.PadLeft);
        var (training, saved, inference, pre) = ConvReference.Forward(layer, parameters, x, Rows);
        double[] z = Conv(
            Double(x), Rows, 1, w, cin, Double(parameters.AsSpan(layer.WeightOffset, layer.WeightCount)), Double(parameters.AsSpan(layer.BiasOffset, f)), f,
            1, k, 1, s, 0, left, 1, wo);
        AssertClose("Z", z, saved);
        AssertClose("A", z.Select(v => v > 0 ? v : Math.Exp(v) - 1).ToArray(), training);
        Assert.Equal(training, inference);
        Assert.Equal(saved.AsSpan(0, z.Length).ToArray(), pre);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Backward_MatchesTheDefinition(int w, int cin, int f, int k, int s, Padding padding)
    {
        var (layer, parameters, x, wo, left) = Setup(w, cin, f, k, s, padding, Activation.Sigmoid);
        var (training, saved, _, _) = ConvReference.Forward(layer, parameters, x, Rows);
        float[] dZ = Values(training.Length, seed: 33);
        var (dWeights, dBias, dInput) = ConvBackward(
            Double(x), Rows, 1, w, cin, Double(parameters.AsSpan(layer.WeightOffset, layer.WeightCount)), f, 1, k, 1, s, 0, left, 1, wo, Double(dZ));
        float[] gradients = Enumerable.Repeat(float.NaN, parameters.Length).ToArray();
        float[] dX = Enumerable.Repeat(float.NaN, x.Length).ToArray();
        var pass = new BackwardPass(Rows, parameters, gradients, 1, [], 0) { FromPreActivation = true };
        layer.Backward(ref pass, x, training, saved, dZ, dX);
        AssertClose("dW", dWeights, gradients.AsSpan(layer.WeightOffset, layer.WeightCount));
        AssertClose("db", dBias, gradients.AsSpan(layer.BiasOffset, f));
        AssertClose("dX", dInput, dX);
    }

    /// <summary>The float backward of <c>L = Σ c·tanh(conv1d(X, W) + b)</c> against central differences of the double definition.</summary>
    [Theory]
    [InlineData(6, 2, 3, 3, 2, Padding.Same)]
    [InlineData(5, 1, 2, 2, 1, Padding.Valid)]
    public void Backward_MatchesFiniteDifferences(int w, int cin, int f, int k, int s, Padding padding)
    {
        const int rows = 2;
        var (layer, parameters, x, wo, left) = Setup(w, cin, f, k, s, padding, Activation.Tanh, rows);
        var (training, saved, _, _) = ConvReference.Forward(layer, parameters, x, rows);
        float[] c = Values(training.Length, seed: 34);
        var gradients = new float[parameters.Length];
        var dX = new float[x.Length];
        var pass = new BackwardPass(rows, parameters, gradients, 1, [], 0);
        layer.Backward(ref pass, x, training, saved, (float[])c.Clone(), dX);

        double[] theta = Double(parameters), input = Double(x), cd = Double(c);
        double Loss() => Conv(input, rows, 1, w, cin, theta[layer.WeightOffset..layer.BiasOffset], theta[layer.BiasOffset..], f, 1, k, 1, s, 0, left, 1, wo)
            .Select((v, i) => cd[i] * Math.Tanh(v)).Sum();
        GradientCheck.Check("parameter", theta, Offset, gradients, Loss);
        GradientCheck.Check("input", input, 0, dX, Loss);
    }

    [Fact]
    public void Constructor_ImpossibleShape_ThrowsArgumentExceptionNamingLayerRuleAndValue()
    {
        var e = Assert.Throws<ArgumentException>(() => new Conv1DLayer("encoder.0", LayerShape.Image(1, 4, 2), 3, 5, 1, Padding.Valid, Activation.Relu));
        Assert.Equal("Layer encoder.0 (conv1d): a kernel of 5 with 'valid' padding needs a signal of at least 5 steps; got 4.", e.Message);
        Assert.Contains("one row high", Assert.Throws<ArgumentException>(() => new Conv1DLayer("c", LayerShape.Image(2, 4, 1), 3, 2, 1, Padding.Same, Activation.Relu)).Message);
        Assert.Contains("at least 1 filter; got 0", Assert.Throws<ArgumentException>(() => new Conv1DLayer("c", LayerShape.Image(1, 4, 1), 0, 2, 1, Padding.Same, Activation.Relu)).Message);
        Assert.Contains("strides must be positive; got 1×0", Assert.Throws<ArgumentException>(() => new Conv1DLayer("c", LayerShape.Image(1, 4, 1), 1, 2, 0, Padding.Same, Activation.Relu)).Message);
    }

    [Fact]
    public void Describes_ItsKindTokenTensorsAndLength()
    {
        var layer = new Conv1DLayer("encoder.1", LayerShape.Image(1, 7, 3), 4, 3, 2, Padding.Same, Activation.Gelu);
        Assert.Equal(LayerShape.Image(1, 4, 4), layer.OutputShape);
        Assert.Equal("conv1d", layer.Kind);
        Assert.Equal("gelu", layer.Description);
        Assert.Equal((3 * 3 * 4) + 4, layer.ParameterCount);
        Assert.Equal(2L * 4 * (4 + 9), layer.SavedCount(2));
        Assert.Equal([3, 3, 4], layer.Tensors.First().Shape);
        var utf8 = new byte[64];
        Assert.True(layer.TryWriteFileToken(utf8, out int written));
        Assert.Equal("conv1d:4:3:2:same:gelu", System.Text.Encoding.ASCII.GetString(utf8, 0, written));
    }
}

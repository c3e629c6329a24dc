namespace Autoencoder.Layers;

/// <summary>
/// A change of shape with the same values in the same order: flatten (an image to a vector, as
/// Keras' <c>Flatten</c> on channels-last data) or reshape (a vector to an image, Keras'
/// <c>Reshape</c>). A sample's floats are contiguous and channels-last in both shapes, so forward and
/// backward are copies and inference skips the layer.
/// </summary>
internal sealed class ReshapeLayer : Layer
{
    public ReshapeLayer(string name, LayerShape input, LayerShape output)
        : base(name, input, output)
    {
        if (input.Size != output.Size)
        {
            throw new ArgumentException(Invariant($"A reshape keeps the values: {input} holds {input.Size} and {output} holds {output.Size}."), nameof(output));
        }
    }

    /// <inheritdoc/>
    public override string Kind => OutputShape.IsVector ? "flatten" : "reshape";

    /// <inheritdoc/>
    public override bool IdentityAtInference => true;

    /// <summary>Copies: the values do not move.</summary>
    public override void Forward(ref ForwardPass pass, ReadOnlySpan<float> x, Span<float> y, Span<float> saved) =>
        x[..(pass.Rows * InputSize)].CopyTo(y);

    /// <summary>Overwrites <c>dX = dY</c>.</summary>
    public override void Backward(ref BackwardPass pass, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> saved, Span<float> dY, Span<float> dX)
    {
        if (!dX.IsEmpty)
        {
            dY[..(pass.Rows * OutputSize)].CopyTo(dX);
        }
    }

    /// <summary><c>flatten:{features}</c> or <c>reshape:{height}x{width}x{channels}</c>.</summary>
    public override bool TryWriteFileToken(Span<byte> utf8, out int written) => OutputShape.IsVector
        ? System.Text.Unicode.Utf8.TryWrite(utf8, System.Globalization.CultureInfo.InvariantCulture, $"flatten:{OutputShape.Channels}", out written)
        : System.Text.Unicode.Utf8.TryWrite(utf8, System.Globalization.CultureInfo.InvariantCulture, $"reshape:{OutputShape.Height}x{OutputShape.Width}x{OutputShape.Channels}", out written);

    /// <summary>
    /// An ONNX <c>Reshape</c> to <c>[batch, …]</c> in channels-last order, the library's: an image
    /// input (NCHW inside a graph) is first transposed to channels-last, and an image output is
    /// reshaped channels-last, then transposed to NCHW.
    /// </summary>
    public override string EmitOnnx(IOnnxGraph graph, ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> state, string input, string? output)
    {
        string current = input;
        if (!InputShape.IsVector)
        {
            current = graph.NodeWith("Transpose", Invariant($"{Name}/ToChannelsLast"), [current], null, [OnnxAttribute.Ints("perm", 0, 2, 3, 1)]);
        }

        long[] shape = OutputShape.IsVector ? [-1, OutputShape.Channels] : [-1, OutputShape.Height, OutputShape.Width, OutputShape.Channels];
        string target = graph.Int64Initializer(Invariant($"{Name}.shape"), shape);
        if (OutputShape.IsVector)
        {
            return graph.Node("Reshape", Invariant($"{Name}/Reshape"), [current, target], output);
        }

        current = graph.Node("Reshape", Invariant($"{Name}/Reshape"), [current, target], null);
        return graph.NodeWith("Transpose", Invariant($"{Name}/ToChannelsFirst"), [current], output, [OnnxAttribute.Ints("perm", 0, 3, 1, 2)]);
    }
}

using Autoencoder.Activations;

namespace Autoencoder.Layers;

/// <summary>
/// An activation as a layer of its own, <c>y = f(x)</c> element-wise, for activations that follow a
/// layer other than a dense one (batch normalization sits between a dense layer's affine map and
/// its activation). Backward: <c>dX = dY ⊙ f′(x)</c>, from <c>x</c> and <c>y</c>.
/// </summary>
internal sealed class ActivationLayer : Layer
{
    public ActivationLayer(string name, LayerShape shape, Activation activation)
        : base(name, shape, shape)
    {
        Activation = activation;
    }

    /// <summary>The function <c>f</c>.</summary>
    public Activation Activation { get; }

    /// <inheritdoc/>
    public override string Kind => "activation";

    /// <inheritdoc/>
    public override string Description => ActivationFunctions.Name(Activation);

    /// <inheritdoc/>
    public override Activation OutputActivation => Activation;

    /// <inheritdoc/>
    public override bool WritesPreActivation => true;

    /// <summary><c>y = f(x)</c>; at inference also copies <c>x</c> to the pass's pre-activation buffer when it asks.</summary>
    public override void Forward(ref ForwardPass pass, ReadOnlySpan<float> x, Span<float> y, Span<float> saved)
    {
        int count = pass.Rows * OutputSize;
        if (!pass.Training && !pass.PreActivation.IsEmpty)
        {
            x[..count].CopyTo(pass.PreActivation);
        }

        ActivationFunctions.Forward(Activation, x[..count], y[..count]);
    }

    /// <summary>Overwrites <c>dX = dY ⊙ f′(x)</c> (or <c>dX = dY</c> when the loss already went through <c>f</c>).</summary>
    public override void Backward(ref BackwardPass pass, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> saved, Span<float> dY, Span<float> dX)
    {
        if (dX.IsEmpty)
        {
            return;
        }

        int count = pass.Rows * OutputSize;
        if (pass.FromPreActivation)
        {
            dY[..count].CopyTo(dX);
            return;
        }

        ActivationFunctions.Backward(Activation, x[..count], y[..count], dY[..count], dX[..count]);
    }

    /// <inheritdoc/>
    public override ReadOnlySpan<float> PreActivation(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> saved) => x;

    /// <inheritdoc/>
    public override bool TryWriteFileToken(Span<byte> utf8, out int written) =>
        System.Text.Unicode.Utf8.TryWrite(utf8, System.Globalization.CultureInfo.InvariantCulture, $"activation:{ActivationFunctions.Name(Activation)}", out written);

    /// <inheritdoc/>
    public override string EmitOnnx(IOnnxGraph graph, ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> state, string input, string? output) =>
        ActivationOnnx.Emit(graph, Activation, Name, input, output);
}

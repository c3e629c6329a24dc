namespace Autoencoder.Layers;

/// <summary>
/// Inverted dropout (Keras' <c>Dropout</c>): in training each value is kept with probability
/// <c>1 − Rate</c> and scaled by <c>1/(1 − Rate)</c>, else set to 0, with a mask drawn afresh per
/// batch; at inference it passes its input through. Backward: <c>dX = dY ⊙ mask</c>.
/// </summary>
internal sealed class DropoutLayer : Layer
{
    public DropoutLayer(string name, LayerShape shape, double rate)
        : base(name, shape, shape)
    {
        Rate = rate;
    }

    /// <summary>Fraction of values dropped, in [0, 1).</summary>
    public double Rate { get; }

    /// <inheritdoc/>
    public override string Kind => "dropout";

    /// <inheritdoc/>
    public override bool IdentityAtInference => true;

    /// <summary>The mask, one float per value.</summary>
    public override long SavedCount(int rows) => (long)rows * OutputSize;

    /// <summary>Training: draws the mask (one 32-bit draw per value, in order) into <paramref name="saved"/> and writes <c>y = x ⊙ mask</c>; inference: copies.</summary>
    public override void Forward(ref ForwardPass pass, ReadOnlySpan<float> x, Span<float> y, Span<float> saved)
    {
        int count = pass.Rows * OutputSize;
        if (!pass.Training)
        {
            x[..count].CopyTo(y);
            return;
        }

        uint threshold = MaskingNoise.ThresholdOf(Rate);
        float keep = (float)(1.0 / (1.0 - Rate));
        ref Pcg32 random = ref pass.Random;
        for (int i = 0; i < count; i++)
        {
            float m = random.NextUInt32() < threshold ? 0f : keep;
            saved[i] = m;
            y[i] = x[i] * m;
        }
    }

    /// <summary>Overwrites <c>dX = dY ⊙ mask</c>.</summary>
    public override void Backward(ref BackwardPass pass, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> saved, Span<float> dY, Span<float> dX)
    {
        if (!dX.IsEmpty)
        {
            int count = pass.Rows * OutputSize;
            System.Numerics.Tensors.TensorPrimitives.Multiply(dY[..count], saved[..count], dX[..count]);
        }
    }

    /// <inheritdoc/>
    public override bool TryWriteFileToken(Span<byte> utf8, out int written) =>
        System.Text.Unicode.Utf8.TryWrite(utf8, System.Globalization.CultureInfo.InvariantCulture, $"dropout:{Rate:R}", out written);

    /// <summary>Nothing: inference passes the input on under the same name.</summary>
    public override string EmitOnnx(IOnnxGraph graph, ReadOnlyMemory<float> parameters, ReadOnlyMemory<float> state, string input, string? output) =>
        output is null ? input : graph.Node("Identity", Invariant($"{Name}/Identity"), [input], output);
}
